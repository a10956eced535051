"""Production is what the tests run: the production settings under gunicorn, on the throwaway
PostgreSQL cluster's own database (`cop`, which pytest's `test_cop` leaves alone), with the four
variables of the README alone (no Redis: the database cache), the static files collected with
their hashed names, the demo COP. An agent signs in through the login form and fetches every URL
family of PRODUCT.md; a digest goes out through the console backend with links to COP_BASE_URL;
an application reads the read API with a token, and nothing without one.
"""

import io
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings

import pytest
from pypdf import PdfReader

from scripts.production_server import get, production_env, running_server, sign_in

BASE_URL = "https://cop.ville-test.fr"
AGENT = "agent-production"
PROJECT = "1.1"  # a project of the current COP (the 2026–2032 one in the demo)
SERVICE = "relation-usagers"

SET_UP_THE_AGENT = """
from django.contrib.auth.models import Group
from accounts.models import User
from axes.models import Service
from digests.models import Frequency, Scope, Subscription
from editorial.roles import AGENTS
import datetime, zoneinfo
names = {{"first_name": "Agnès", "last_name": "Production", "email": "agnes@ville-test.fr"}}
agent, _ = User.objects.update_or_create(username="{username}", defaults=names)
agent.set_password("{password}")
agent.save()
agent.groups.set(Group.objects.filter(name=AGENTS))
agent.services.set(Service.objects.filter(slug="{service}"))
Subscription.objects.filter(user=agent).delete()
Subscription.objects.create(
    user=agent, scope=Scope.COP, frequency=Frequency.WEEKLY,
    covered_until=datetime.datetime(2000, 1, 1, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")),
)
"""

PAGE_URLS = """
from axes.cops import current_cop
from axes.models import AmbitionPage, AxisPage, ProjectPage
from followup.models import Campaign
from indicators.models import Indicator
cop = current_cop()
axis = AxisPage.objects.live().child_of(cop).order_by("number").first()
ambition = AmbitionPage.objects.live().descendant_of(cop).order_by("number").first()
project = ProjectPage.objects.live().descendant_of(cop).order_by("path").first()
indicator = Indicator.objects.filter(cop=cop, live=True).order_by("slug").first()
campaign = Campaign.objects.filter(cop=cop).first()
print("URLS", axis.url, ambition.url, project.url, indicator.slug, campaign.pk)
"""

# A référent whose service owes something (a late milestone, a project past due or an indicator's value).
SET_UP_A_REFERENT = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from axes.cops import current_cop
from axes.models import Milestone, ProjectPage
from editorial.roles import REFERENTS
from indicators.models import Indicator
cop, today = current_cop(), timezone.localdate()
late = Milestone.objects.late(today).filter(project__path__startswith=cop.path).select_related("project")
owing = [milestone.project.pilot_service for milestone in late[:1]]
owing += [project.pilot_service for project in ProjectPage.objects.descendant_of(cop).past_due(today)[:1]]
indicators = Indicator.objects.filter(cop=cop, live=True)
owing += [indicator.service for indicator in indicators.with_values_due(today)]
user, _ = get_user_model().objects.get_or_create(
    username="referente", defaults={"email": "referente@ville-test.fr"}
)
user.groups.set(Group.objects.filter(name=REFERENTS))
user.services.set(owing[:1])
"""


CREATE_A_TOKEN = """
from api.models import ApiToken
ApiToken.objects.filter(name="Test de production").delete()
token = ApiToken(name="Test de production")
print("KEY", token.set_new_key())
token.save()
"""


def manage(env, *arguments, stdin=None):
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(arguments)} :\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def server_env():
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith("postgres"):
        pytest.fail("Le test de production a besoin de PostgreSQL : lancez-le par « make test ».")
    with tempfile.TemporaryDirectory(prefix="cop-production-") as directory:
        env = production_env(
            BASE_URL,
            DATABASE_URL=database,
            CACHE_URL="",
            REDIS_URL="",
            STATIC_ROOT=str(Path(directory) / "static"),
            COP_PDF_CACHE_DIR=str(Path(directory) / "pdf"),
            EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
            WEB_CONCURRENCY="2",
        )
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "load_demo_cop", "--if-empty")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        yield env, Path(directory)


@pytest.fixture(scope="module")
def agent_session(server_env):
    """(port, Cookie header of the signed-in agent, page URLs) on a running production server."""
    env, directory = server_env
    password = secrets.token_urlsafe(16)
    setup = SET_UP_THE_AGENT.format(username=AGENT, password=password, service=SERVICE)
    manage(env, "shell", "-c", setup)
    output = manage(env, "shell", "-c", PAGE_URLS)
    urls = next(line for line in output.splitlines() if line.startswith("URLS")).split()[1:]
    pages = dict(zip(["axis", "ambition", "project", "indicator", "campaign"], urls, strict=True))
    with running_server(env, directory / "gunicorn.log") as port:
        yield port, sign_in(port, AGENT, password), pages


HTML, PDF, JSON = "text/html", "application/pdf", "application/json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def url_families(pages):
    return [
        ("/", 200, HTML),
        (pages["axis"], 200, HTML),
        (pages["ambition"], 200, HTML),
        (pages["project"], 200, HTML),
        (f"{pages['project']}historique/", 200, HTML),
        ("/ambitions/16/", 302, None),
        (f"/projets/{PROJECT}/", 302, None),
        ("/services/", 200, HTML),
        (f"/services/{SERVICE}/", 200, HTML),
        ("/mon-service/", 302, None),
        ("/partenariats/", 200, HTML),
        ("/recherche/?q=ecole", 200, HTML),
        ("/recherche/?q=numerique&axe=2&statut=engage&page=2", 200, HTML),
        ("/recherche/suggestions/?q=eco", 200, JSON),
        ("/evolutions/", 200, HTML),
        ("/evolutions/flux/", 200, "application/atom+xml"),
        ("/evolutions/comparer/?du=2022-01-01&au=2026-01-01", 200, HTML),
        ("/abonnements/", 200, HTML),
        ("/export/projets.csv", 200, "text/csv"),
        ("/export/projets.xlsx", 200, XLSX),
        ("/export/cop.pdf", 200, PDF),
        (f"{pages['axis']}chapitre.pdf", 200, PDF),
        (f"/services/{SERVICE}/fiche.pdf", 200, PDF),
        ("/export/affiche.pdf", 200, PDF),
        ("/accessibilite/", 200, HTML),
        ("/indicateurs/", 200, HTML),
        (f"/indicateurs/?service={SERVICE}&axe=1", 200, HTML),
        (f"/indicateurs/{pages['indicator']}/", 200, HTML),
        ("/export/indicateurs.csv", 200, "text/csv"),
        ("/export/indicateurs.xlsx", 200, XLSX),
        ("/calendrier/", 200, HTML),
        (f"/calendrier/?axe=1&service={SERVICE}", 200, HTML),
        (f"/campagnes/{pages['campaign']}/", 200, HTML),
        ("/cops/2020-2026/indicateurs/", 200, HTML),
        ("/cops/2020-2026/calendrier/", 200, HTML),
        ("/static/css/cop.css", 200, "text/css"),
    ]


def test_every_url_family_answers_the_signed_in_agent(agent_session):
    port, cookie, pages = agent_session
    failures = []
    for url, status, content_type in url_families(pages):
        answer = get(port, url, cookie)
        got = (answer.status, answer.content_type.split(";")[0])
        if got[0] != status or (content_type and got[1] != content_type):
            failures.append(f"{url} : {got} au lieu de {(status, content_type)}")
    assert not failures, "\n".join(failures)


def test_an_unknown_address_answers_a_french_404(agent_session):
    port, cookie, _ = agent_session
    for url in ("/projets/99.9/", "/cette-page-n-existe-pas/", "/services/inconnu/"):
        answer = get(port, url, cookie)
        assert answer.status == 404, url
        assert "Page introuvable" in answer.body and "Not Found" not in answer.body, url


def test_anonymous_visitors_are_sent_to_the_login_page(agent_session):
    port, _, pages = agent_session
    answer = get(port, pages["project"])
    assert answer.status == 302 and answer.location.startswith("/connexion/")


def test_a_digest_links_to_the_public_address(server_env, agent_session):
    env, _ = server_env
    mail = manage(env, "send_digests")
    links = set(re.findall(r"https?://[^/\s\"'<>]+", mail))
    assert links == {BASE_URL}, links


def test_a_reminder_links_to_the_public_address(server_env, agent_session):
    env, _ = server_env
    manage(env, "shell", "-c", SET_UP_A_REFERENT)
    mail = manage(env, "send_reminders", "--force")
    assert "referente@ville-test.fr" in mail
    links = set(re.findall(r"https?://[^/\s\"'<>]+", mail))
    assert links == {BASE_URL}, links


def pdf_text(answer):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.raw)).pages)


@pytest.mark.parametrize("url", ["/export/affiche.pdf", "/export/cop.pdf"])
def test_printed_links_and_the_poster_lead_to_the_public_address(agent_session, url):
    port, cookie, _ = agent_session
    text = pdf_text(get(port, url, cookie))
    assert "cop.ville-test.fr" in text
    assert "localhost" not in text and "127.0.0.1" not in text


@pytest.fixture(scope="module")
def api_key(server_env):
    env, _ = server_env
    output = manage(env, "shell", "-c", CREATE_A_TOKEN)
    return next(line for line in output.splitlines() if line.startswith("KEY")).split()[1]


def test_the_read_api_answers_a_token_and_nothing_without_one(agent_session, api_key):
    port, cookie, _ = agent_session
    url = "/api/v2/pages/?type=axes.ProjectPage&fields=reference,services"
    answer = get(port, url, headers={"Authorization": f"Bearer {api_key}"})
    assert (answer.status, answer.content_type) == (200, JSON)
    assert answer.headers["Cache-Control"] == "private, no-store"
    projects = json.loads(answer.body)
    assert projects["meta"]["total_count"] > 0
    assert all(project["meta"]["html_url"].startswith(BASE_URL) for project in projects["items"])
    for headers in ({}, {"Authorization": "Bearer inconnue"}):
        refused = get(port, url, cookie, headers=headers)  # a signed-in agent's session is no token
        assert (refused.status, refused.raw) == (401, b"")
        assert refused.headers["WWW-Authenticate"] == "Bearer"


def test_the_read_api_gives_the_indicators_with_their_addresses_on_the_base_url(agent_session, api_key):
    port, _, _ = agent_session
    answer = get(port, "/api/v2/indicators/?limit=100", headers={"Authorization": f"Bearer {api_key}"})
    assert (answer.status, answer.content_type) == (200, JSON)
    indicators = json.loads(answer.body)
    assert indicators["meta"]["total_count"] > 0
    for indicator in indicators["items"]:
        assert indicator["meta"]["html_url"].startswith(f"{BASE_URL}/indicateurs/")
        assert indicator["meta"]["detail_url"].startswith(f"{BASE_URL}/api/v2/indicators/")
        assert indicator["values"] and indicator["targets"]
