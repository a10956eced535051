"""gunicorn's settings, from the environment: `gunicorn cop_site.wsgi` reads this file itself."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# PDF booklets take seconds to build; a stuck worker is still replaced after this.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Recycled now and then, so that a slow leak never grows for weeks; not too often, since a new
# worker starts with an empty local cache (without Redis) and a cached page is served in ~1 ms.
max_requests = 20_000
max_requests_jitter = 2_000
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The reverse proxy's X-Forwarded-* headers are trusted only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
