#!/usr/bin/env python3
"""Load test: the production server on loopback, driven by wrk, with and without the page cache.

    scripts/with_postgres.py .venv/bin/python scripts/load.py      (`make load`)

Migrates the database it is given (DATABASE_URL: `make load` starts a throwaway PostgreSQL),
loads the demo COP, collects the static files and creates an agent. Then, twice (page cache
on, then COP_PAGE_CACHE=off), it starts gunicorn with `cop_site.settings.production` on
127.0.0.1 (a free port, plain HTTP), signs the agent in, and drives five pages with wrk, one
after the other so that each page's throughput is its own, 20 connections each, LOAD_SECONDS in
all (60 by default: 12 s a page). It prints requests per second,
latency percentiles and errors per page, the cached/uncached throughput ratio, and exits non-zero
when a budget is missed (README, "Tenue en charge"). Every process it starts is stopped at the end,
on Ctrl-C too. Traffic goes to 127.0.0.1 only.
"""

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from io import StringIO
from pathlib import Path

from production_server import HOST, get, production_env, running_server, sign_in

BASE_DIR = Path(__file__).resolve().parent.parent
LUA_SCRIPT = Path(__file__).with_name("load.lua")
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
CONNECTIONS = 20
AGENT = "agent-charge"
MODERATOR = "moderateur-charge"
SUBSCRIBERS = ["abonne-charge-1", "abonne-charge-2"]
# The mixed scenario (issue 13): readers while a moderator publishes and agents subscribe.
MIXED_SECONDS = int(os.environ.get("LOAD_MIXED_SECONDS", "30"))
PUBLISH_EVERY = 5
SUBSCRIBE_EVERY = 1

# Budgets (issue 8), on the production configuration, with the page cache.
MAX_P95_MS = 300
MIN_CACHE_SPEEDUP = 5

# What wrk drives: (label, how to find its URL, whether the ×5 budget applies). A search is only
# partly cached: its results are, until the next publication, but each search is still counted
# for the editors' report and looks up its promoted results, in the database.
PAGES = [
    ("Accueil", "home", True),
    ("Axe", "axis", True),
    ("Projet", "project", True),
    ("Service", "service", True),
    ("Recherche", "search", False),
]
SEARCH_URL = "/recherche/?q=ecole"
SECONDS_PER_PAGE = max(1, SECONDS // len(PAGES))


def main():
    if not os.environ.get("DATABASE_URL"):
        sys.exit(
            "DATABASE_URL n'est pas défini : lancez « make load », qui démarre une base PostgreSQL jetable."
        )
    wrk = find_or_install_wrk()
    # Ended like Ctrl-C, so that the servers started below are stopped in every case.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    settings_env = production_env()
    password = secrets.token_urlsafe(16)
    urls = prepare_database(settings_env, password)
    results = {}
    with tempfile.TemporaryDirectory(prefix="cop-load-") as directory:
        for cached in (True, False):
            env = {**settings_env, "COP_PAGE_CACHE": "true" if cached else "false"}
            log = Path(directory) / f"gunicorn-{'cache' if cached else 'sans-cache'}.log"
            print(f"\n{run_title(cached)} : gunicorn sur http://{HOST}…", flush=True)
            with running_server(env, log) as port:
                cookie = sign_in(port, AGENT, password)
                check_pages(port, cookie, urls)
                results[cached] = drive(wrk, port, cookie, urls)
            print_run(cached, results[cached], urls)
        print(f"\nScénario mixte : gunicorn sur http://{HOST}…", flush=True)
        with running_server(settings_env, Path(directory) / "gunicorn-mixte.log") as port:
            mixed = run_mixed(wrk, port, password, urls)
        print_mixed(mixed)
    return max(report(results), report_mixed(mixed))


def find_or_install_wrk():
    if wrk := shutil.which("wrk"):
        return wrk
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk est absent : installation du paquet Debian « wrk »…", flush=True)
        quiet = {"stdout": subprocess.DEVNULL, "check": False}
        if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], **quiet).returncode:
            subprocess.run(["apt-get", "update", "-q"], **quiet)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], **quiet)
        if wrk := shutil.which("wrk"):
            return wrk
    sys.exit(
        "L'outil de charge wrk est introuvable. Installez-le (sur Debian : sudo apt-get install wrk), "
        "puis relancez « make load »."
    )


def prepare_database(env, password):
    """Migrates, loads the demo COP, collects the static files, creates the agent; returns the URLs."""
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, connections

    from accounts.models import User
    from axes.demo.builder import cop_2020, make_current
    from axes.models import AxisPage, ProjectPage, Service
    from editorial.roles import AGENTS, MODERATORS

    print("Base : migrations, COP de démonstration, fichiers statiques…", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo_cop", "--if-empty", stdout=StringIO())
    # The load test measures the demo's 2020–2026 COP (250 projects) at `/`, reopened so that the
    # moderator may publish in it, as an administrator would make it current.
    cop = cop_2020()
    make_current(cop, reopen=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    names = {"first_name": "Agent", "last_name": "Charge"}
    agent, _ = User.objects.update_or_create(username=AGENT, defaults=names)
    agent.set_password(password)
    agent.save()
    agent.groups.set(Group.objects.filter(name=AGENTS))
    for username in SUBSCRIBERS:
        subscriber, _ = User.objects.update_or_create(username=username, defaults=names)
        subscriber.set_password(password)
        subscriber.save()
        subscriber.groups.set(Group.objects.filter(name=AGENTS))
    moderator, _ = User.objects.update_or_create(username=MODERATOR, defaults=names)
    moderator.set_password(password)
    moderator.save()
    moderator.groups.set(Group.objects.filter(name=MODERATORS))
    urls = {
        "home": "/",
        "axis": AxisPage.objects.child_of(cop).live().order_by("number").first().url,
        "project": ProjectPage.objects.descendant_of(cop).live().get(reference="16.1").url,
        "service": f"/services/{Service.objects.get(slug='relation-usagers').slug}/",
        "search": SEARCH_URL,
        "published": [
            page.pk for page in ProjectPage.objects.descendant_of(cop).live().order_by("path")[:40]
        ],
        "services": list(Service.objects.order_by("slug").values_list("slug", flat=True)[:10]),
    }
    # Statistics for the planner, as a database in service has them: a freshly loaded one has none,
    # and the search query planned without them reads whole tables.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connections.close_all()
    return urls


def check_pages(port, cookie, urls, warm_up=3):
    """Each page answers 200 to the agent (not the login page); a few requests warm the workers."""
    for label, key, _ in PAGES:
        for _ in range(warm_up):
            answer = get(port, urls[key], cookie)
            if answer.status != 200:
                where = f" vers {answer.location}" if answer.location else ""
                sys.exit(f"{label} ({urls[key]}) répond {answer.status}{where} au lieu de 200.")


def drive(wrk, port, cookie, urls):
    """Each page in turn, alone, so that its throughput is its own; returns the figures by page key."""
    return {key: wrk_figures(run_wrk(wrk, port, cookie, urls[key])) for _, key, _ in PAGES}


def run_wrk(wrk, port, cookie, url, seconds=SECONDS_PER_PAGE, paths=()):
    command = [
        wrk,
        "--threads",
        "2",
        "--connections",
        str(CONNECTIONS),
        "--duration",
        f"{seconds}s",
        "--timeout",
        "10s",
        "--script",
        LUA_SCRIPT,
        "--header",
        f"Cookie: {cookie}",
        f"http://{HOST}:{port}{url}",
    ]
    if paths:
        command += ["--", *paths]
    return subprocess.run(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=seconds + 60
    ).stdout


def wrk_figures(output):
    for line in output.splitlines():
        if line.startswith("COP-LOAD "):
            figures = json.loads(line.removeprefix("COP-LOAD "))
            figures["rate"] = figures["requests"] / figures["seconds"]
            figures["errors"] = figures["not_2xx"] + figures["timeouts"] + figures["socket_errors"]
            return figures
    sys.exit(f"wrk n'a pas rendu ses mesures :\n{output}")


def run_title(cached):
    return "Avec le cache des pages" if cached else "Sans cache (COP_PAGE_CACHE=off)"


def fr(number, decimals=0):
    """1 234,5 rather than 1,234.5."""
    return f"{number:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def print_run(cached, figures, urls):
    print(f"\n{run_title(cached)} ({CONNECTIONS} connexions, {SECONDS_PER_PAGE} s par page)")
    columns = "".join(f"{name:>9}" for name in ("req/s", "p50 ms", "p90 ms", "p95 ms", "p99 ms", "erreurs"))
    print(f"  {'page':<11}{columns}  URL")
    for label, key, _ in PAGES:
        page = figures[key]
        print(
            f"  {label:<11}{fr(page['rate'], 1):>9}{fr(page['p50'], 1):>9}{fr(page['p90'], 1):>9}"
            f"{fr(page['p95'], 1):>9}{fr(page['p99'], 1):>9}{fr(page['errors']):>9}  {urls[key]}"
        )


def report(results):
    """The budgets, page by page; the exit status of the script."""
    misses = []
    print("\nBudgets")
    for label, key, whole_page in PAGES:
        cached, uncached = results[True][key], results[False][key]
        errors = cached["errors"] + uncached["errors"]
        if errors:
            misses.append(f"{label} : {fr(errors)} erreur(s) (réponses non 2xx, délais dépassés, sockets)")
        if cached["p95"] >= MAX_P95_MS:
            p95 = fr(cached["p95"], 1)
            misses.append(f"{label} : p95 de {p95} ms avec le cache (budget {MAX_P95_MS} ms)")
        speedup = cached["rate"] / uncached["rate"] if uncached["rate"] else float("inf")
        if whole_page and speedup < MIN_CACHE_SPEEDUP:
            misses.append(f"{label} : débit ×{fr(speedup, 1)} avec le cache (budget ×{MIN_CACHE_SPEEDUP})")
        p95 = fr(cached["p95"], 1)
        note = "" if whole_page else " (résultats en cache, chaque recherche comptée en base)"
        speedup_text = f"débit ×{fr(speedup, 1)} avec le cache"
        print(f"  {label:<11}p95 {p95} ms, {fr(errors)} erreur(s), {speedup_text}{note}")
    if misses:
        print("\nBudget dépassé :\n" + "\n".join(f"  - {miss}" for miss in misses))
        return 1
    print(
        f"\nBudgets tenus : aucune erreur, p95 < {MAX_P95_MS} ms, "
        f"débit des pages en cache ≥ ×{MIN_CACHE_SPEEDUP}."
    )
    return 0


class Activity(threading.Thread):
    """Repeats `act(port, cookie, turn)` every `every` seconds until stopped; counts what failed."""

    def __init__(self, port, cookie, every, act):
        super().__init__(daemon=True)
        self.port, self.cookie, self.every, self.act = port, cookie, every, act
        self.stopped = threading.Event()
        self.done, self.failures, self.seconds = 0, [], []

    def run(self):
        turn = 0
        while not self.stopped.wait(0 if turn == 0 else self.every):
            started = time.monotonic()
            try:
                self.act(self.port, self.cookie, turn)
                self.done += 1
            except Exception as error:  # noqa: BLE001 (every failure is reported, none stops the run)
                self.failures.append(str(error))
            self.seconds.append(time.monotonic() - started)
            turn += 1


def page_form(port, cookie, path, form_id=None):
    """The form of the page at `path` as a browser would post it back (Wagtail's own form reader),
    with the page's CSRF token, wherever the page keeps it."""
    from django.http import QueryDict

    from wagtail.test.utils.form_data import querydict_from_html

    answer = get(port, path, cookie)
    if answer.status != 200:
        raise RuntimeError(f"{path} : {answer.status}")
    data = querydict_from_html(answer.body, form_id=form_id) if form_id else QueryDict(mutable=True)
    data["csrfmiddlewaretoken"] = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.body)[1]
    return data


def post(port, cookie, path, data):
    body = data.urlencode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://{HOST}:{port}{path}"}
    return get(port, path, cookie, method="POST", body=body, headers=headers)


def publisher(project_ids):
    """A moderator changes a project's progress in the page editor and publishes it."""

    def publish(port, cookie, turn):
        path = f"/admin/pages/{project_ids[turn % len(project_ids)]}/edit/"
        data = page_form(port, cookie, path, form_id="page-edit-form")
        data["progress"] = str((int(data.get("progress") or 0) + 7) % 101)
        data["action-publish"] = "action-publish"
        answer = post(port, cookie, path, data)
        if answer.status != 302:
            raise RuntimeError(f"publication refusée ({answer.status}) : {path}")

    return publish


def subscriber(services):
    """An agent subscribes to a service from its page, weekly or monthly by turns."""

    def subscribe(port, cookie, turn):
        slug = services[turn % len(services)]
        data = page_form(port, cookie, f"/services/{slug}/")
        data.update(
            {"portee": "service", "cible": slug, "frequence": "hebdomadaire" if turn % 2 else "mensuelle"}
        )
        answer = post(port, cookie, "/abonnements/abonner/", data)
        if answer.status not in (200, 302):
            raise RuntimeError(f"abonnement refusé ({answer.status}) : {slug}")

    return subscribe


def run_mixed(wrk, port, password, urls):
    """20 readers on five pages in turn while a moderator publishes and two agents subscribe."""
    reader = sign_in(port, AGENT, password)
    check_pages(port, reader, urls)
    activities = [
        Activity(port, sign_in(port, MODERATOR, password), PUBLISH_EVERY, publisher(urls["published"]))
    ]
    activities += [
        Activity(port, sign_in(port, username, password), SUBSCRIBE_EVERY, subscriber(urls["services"]))
        for username in SUBSCRIBERS
    ]
    for activity in activities:
        activity.start()
    paths = [urls[key] for _, key, _ in PAGES]
    readers = wrk_figures(run_wrk(wrk, port, reader, paths[0], MIXED_SECONDS, paths))
    for activity in activities:
        activity.stopped.set()
        activity.join()
    return {"readers": readers, "publisher": activities[0], "subscribers": activities[1:]}


def print_mixed(mixed):
    readers = mixed["readers"]
    print(f"\nScénario mixte ({CONNECTIONS} lecteurs sur cinq pages, {MIXED_SECONDS} s)")
    print(
        f"  lecteurs : {fr(readers['rate'], 1)} req/s, p50 {fr(readers['p50'], 1)} ms, "
        f"p95 {fr(readers['p95'], 1)} ms, p99 {fr(readers['p99'], 1)} ms, {fr(readers['errors'])} erreur(s)"
    )
    publisher_ = mixed["publisher"]
    print(
        f"  modérateur : {publisher_.done} publication(s) (une toutes les {PUBLISH_EVERY} s), "
        f"{len(publisher_.failures)} échec(s)"
    )
    subscribed = sum(activity.done for activity in mixed["subscribers"])
    failed = sum(len(activity.failures) for activity in mixed["subscribers"])
    print(f"  abonnements : {subscribed} enregistré(s) par {len(SUBSCRIBERS)} agents, {failed} échec(s)")


def report_mixed(mixed):
    readers, misses = mixed["readers"], []
    if readers["errors"]:
        misses.append(f"lecteurs : {fr(readers['errors'])} erreur(s)")
    if readers["p95"] > MAX_P95_MS:
        misses.append(f"lecteurs : p95 de {fr(readers['p95'], 1)} ms (budget {MAX_P95_MS} ms)")
    for activity in [mixed["publisher"], *mixed["subscribers"]]:
        misses += activity.failures[:3]
    if not mixed["publisher"].done:
        misses.append("aucune publication pendant le scénario")
    if misses:
        print("\nScénario mixte, budget dépassé :\n" + "\n".join(f"  - {miss}" for miss in misses))
        return 1
    print(f"Scénario mixte, budget tenu : aucune erreur, p95 des lecteurs ≤ {MAX_P95_MS} ms.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
