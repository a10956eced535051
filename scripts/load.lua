-- wrk script of scripts/load.py: counts the answers that are not 2xx (wrk itself counts only
-- 4xx and 5xx, and a redirect to the login page would pass for a page), and prints the figures
-- as one JSON line that load.py reads.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

-- Paths given after `--` are requested in turn (the mixed scenario's readers); none: wrk's URL.
local paths = {}
local turn = 0

function init(args)
   not_2xx = 0
   paths = args
end

function request()
   if #paths == 0 then
      return wrk.format()
   end
   turn = turn + 1
   return wrk.format(nil, paths[(turn % #paths) + 1])
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      not_2xx = not_2xx + 1
   end
end

function done(summary, latency, requests)
   local not_2xx_total = 0
   for _, thread in ipairs(threads) do
      not_2xx_total = not_2xx_total + thread:get("not_2xx")
   end
   local function ms(percent)
      return latency:percentile(percent) / 1000
   end
   io.write(string.format(
      'COP-LOAD {"requests": %d, "seconds": %.3f, "not_2xx": %d, "timeouts": %d, '
         .. '"socket_errors": %d, "p50": %.2f, "p90": %.2f, "p95": %.2f, "p99": %.2f}\n',
      summary.requests,
      summary.duration / 1e6,
      not_2xx_total,
      summary.errors.timeout,
      summary.errors.connect + summary.errors.read + summary.errors.write,
      ms(50), ms(90), ms(95), ms(99)
   ))
end
