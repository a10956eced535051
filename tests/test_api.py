"""The read API (`/api/v2/`, api/): the intranet's tools read the COP's live pages and its services
with a token that an administrator created, and only that; a draft, a page restricted to groups
and a draft's unpublished changes never show; every listing makes the same number of queries
whatever the size of the COP; a token's requests are rate-limited; a bad parameter is a 400."""

import hashlib
import re

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import PageViewRestriction

import pytest

from api.checks import check_api_rate
from api.models import ApiToken
from axes.models import ProjectPage
from editorial import roles

from .clients import client_for
from .factories import AmbitionPageFactory, ProjectPageFactory, ServiceFactory, UserFactory
from .reader_surfaces import api_texts as crawled_api_texts

pytestmark = pytest.mark.django_db

SECRET = "Zorglub"
PROJECTS = "/api/v2/pages/?type=axes.ProjectPage"


def new_token(name="Annuaire des projets"):
    """(token, key) as the admin creates them."""
    token = ApiToken(name=name)
    key = token.set_new_key()
    token.save()
    return token, key


@pytest.fixture
def key():
    return new_token()[1]


def get(client, url, key=None, scheme="Bearer", **headers):
    if key:
        headers["HTTP_AUTHORIZATION"] = f"{scheme} {key}"
    return client.get(url, **headers)


def assert_refused_in_french(response):
    """A 400 whose message is ours, in French, not Wagtail's or DRF's English one."""
    assert response.status_code == 400, response.content
    message = response.json()["message"]
    assert message and not message.startswith(("query parameter", "unknown", "limit must", "offset must"))


def items(response):
    assert response.status_code == 200, response.content
    return response.json()["items"]


def publish(page, user=None):
    page.save_revision(user=user).publish(user=user, skip_permission_checks=True)
    page.refresh_from_db()


@pytest.fixture
def cop(axis, ambition, project):
    """Axis 2, ambition 16 and project 16.1 (relation usagers pilots, éducation partners), live."""
    return {"axis": axis, "ambition": ambition, "project": project}


# --- Reading ----------------------------------------------------------------------------------


def test_a_token_reads_the_projects_with_their_services(client, cop, key):
    response = get(client, PROJECTS, key)

    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-store"
    assert response.json()["meta"]["total_count"] == 1
    [project] = response.json()["items"]
    assert project["title"] == "Créer l'application de la ville"
    assert project["reference"] == "16.1"
    assert project["status"] == {"code": "engage", "label": "Engagé"}
    assert project["progress"] == 40
    assert project["pilot_service"]["slug"] == "relation-usagers"
    assert [service["name"] for service in project["services"]] == ["Éducation", "Relation usagers"]
    assert project["services"][1]["meta"]["detail_url"].startswith("http://testserver/api/v2/services/")
    assert (project["axis"]["number"], project["ambition"]["number"]) == (2, 16)
    assert project["meta"]["html_url"] == f"http://testserver{cop['project'].url}"
    assert "last_published_at" in project["meta"]


def test_a_page_in_detail_has_its_texts_and_its_short_address(client, cop, key):
    project = cop["project"]
    detail = get(client, f"/api/v2/pages/{project.pk}/", key).json()

    assert detail["summary"] == "Une application pour faire ses démarches en ligne."
    assert detail["short_url"] == "http://testserver/projets/16.1/"
    assert detail["meta"]["parent"]["id"] == cop["ambition"].pk
    assert detail["meta"]["parent"]["meta"]["html_url"] == f"http://testserver{cop['ambition'].url}"
    ambition = get(client, f"/api/v2/pages/{cop['ambition'].pk}/", key).json()
    assert (ambition["number"], ambition["axis"]["title"]) == (16, "Accompagner la transition numérique")


def test_projects_filter_by_service_status_and_fields(client, cop, key, ambition):
    other = ServiceFactory(name="Voirie", slug="voirie")
    ProjectPageFactory(parent=ambition, reference="16.2", pilot_service=other, status="realise")

    by_service = items(get(client, f"{PROJECTS}&service=education", key))
    assert [project["reference"] for project in by_service] == ["16.1"]
    by_status = items(get(client, f"{PROJECTS}&status=realise&fields=_,reference", key))
    assert by_status == [{"reference": "16.2"}]
    by_search = items(get(client, f"{PROJECTS}&search=application&service=relation-usagers", key))
    assert [project["reference"] for project in by_search] == ["16.1"]


def test_the_services_endpoint_counts_the_projects_of_each_service(client, cop, key):
    services = {service["slug"]: service for service in items(get(client, "/api/v2/services/", key))}

    assert services["relation-usagers"]["project_count"] == 1
    assert services["relation-usagers"]["pilot_count"] == 1
    assert (services["education"]["project_count"], services["education"]["pilot_count"]) == (1, 0)
    assert "aliases" not in services["education"]


def test_a_token_may_be_sent_as_token_and_every_method_but_reading_is_refused(client, cop, key):
    assert get(client, PROJECTS, key, scheme="Token").status_code == 200
    assert client.head(PROJECTS, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.options(PROJECTS, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    for method in (client.post, client.put, client.patch, client.delete):
        response = method(PROJECTS, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 405
        assert "lecture seule" in response.json()["message"]


def test_the_api_root_names_its_endpoints(client, key):
    assert get(client, "/api/v2/", key).json() == {
        "pages": "http://testserver/api/v2/pages/",
        "services": "http://testserver/api/v2/services/",
        "indicators": "http://testserver/api/v2/indicators/",
    }
    options = client.options("/api/v2/services/", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert options["name"] == "Services" and options["renders"] == ["application/json"]


# --- Refusals without a valid token ----------------------------------------------------------


def revoked_key():
    token, key = new_token("Ancien outil")
    token.revoke(None)
    return key


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer inconnue", "Bearer deux mots", "Basic YWdlbnQ6c2VjcmV0", "revoked"],
    ids=["none", "empty", "unknown", "malformed", "basic", "revoked"],
)
def test_without_a_valid_token_the_answer_is_a_bare_401(client, cop, authorization):
    headers = {}
    if authorization == "revoked":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {revoked_key()}"
    elif authorization:
        headers["HTTP_AUTHORIZATION"] = authorization
    for url in (
        PROJECTS,
        f"/api/v2/pages/{cop['project'].pk}/",
        "/api/v2/services/",
        "/api/v2/pages/?limit=x",
        "/api/v2/",
    ):
        response = client.get(url, **headers)
        assert response.status_code == 401, url
        assert response.content == b"", url
        assert response["WWW-Authenticate"] == "Bearer"
    assert client.post(PROJECTS, **headers).status_code == 401


def test_a_signed_in_agent_without_a_token_gets_nothing(agent_client, cop):
    response = agent_client.get(PROJECTS)
    assert (response.status_code, response.content) == (401, b"")


# --- The reader rule ---------------------------------------------------------------------------


def api_texts(client, key):
    """Every listing and detail of the API, as one text."""
    listings = [
        "/api/v2/pages/?fields=*&limit=100",
        *[f"/api/v2/pages/?type=axes.{kind}&fields=*&limit=100" for kind in ("AxisPage", "AmbitionPage")],
        f"{PROJECTS}&fields=*&limit=100",
        "/api/v2/services/?limit=100",
    ]
    texts = [get(client, url, key).content.decode() for url in listings]
    for page in ProjectPage.objects.all():
        texts.append(get(client, f"/api/v2/pages/{page.pk}/", key).content.decode())
    return "\n".join(texts)


def test_a_project_never_published_is_not_in_the_api(client, cop, key, ambition):
    draft = ProjectPageFactory(parent=ambition, reference="16.9", title=f"Brouillon {SECRET}", live=False)

    assert SECRET not in api_texts(client, key)
    assert get(client, f"/api/v2/pages/{draft.pk}/", key).status_code == 404
    assert [project["reference"] for project in items(get(client, PROJECTS, key))] == ["16.1"]


def test_a_live_projects_draft_changes_are_not_in_the_api(client, cop, key, moderator):
    project = cop["project"]
    publish(project, moderator)
    draft = project.get_latest_revision_as_object()
    draft.title = f"Titre {SECRET}"
    draft.summary = f"Résumé {SECRET}."
    draft.body = f"<p>Le mot {SECRET}.</p>"
    draft.services.add(ServiceFactory(name="Voirie", slug="voirie"))
    draft.save_revision(user=moderator)

    text = api_texts(client, key)
    assert SECRET not in text
    assert "Créer l'application de la ville" in text
    [listed] = items(get(client, PROJECTS, key))
    assert {service["slug"] for service in listed["services"]} == {"relation-usagers", "education"}


def test_a_page_restricted_to_a_group_is_not_in_the_api(client, cop, key, ambition, relation_usagers):
    secret = ProjectPageFactory(
        parent=ambition, reference="16.3", title=f"Projet {SECRET}", pilot_service=relation_usagers
    )
    restriction = PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Direction générale"))

    assert SECRET not in api_texts(client, key)
    assert get(client, f"/api/v2/pages/{secret.pk}/", key).status_code == 404
    services = {service["slug"]: service for service in items(get(client, "/api/v2/services/", key))}
    assert services["relation-usagers"]["project_count"] == 1


def test_a_restricted_ambition_hides_its_projects_and_no_project_names_it(client, cop, key, axis):
    hidden = AmbitionPageFactory(parent=axis, number=17, title=f"Ambition {SECRET}")
    ProjectPageFactory(parent=hidden, reference="17.1", title="Sous l'ambition cachée")
    restriction = PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Direction générale"))

    text = api_texts(client, key)
    assert SECRET not in text and "Sous l'ambition cachée" not in text
    assert get(client, f"/api/v2/pages/?child_of={hidden.pk}", key).status_code == 400


def test_a_project_under_an_unpublished_ambition_names_no_ambition(client, cop, key, axis):
    ambition = AmbitionPageFactory(parent=axis, number=18, title=f"Ambition {SECRET}", live=False)
    ProjectPageFactory(parent=ambition, reference="18.1", title="Projet publié")

    [listed] = [p for p in items(get(client, PROJECTS, key)) if p["reference"] == "18.1"]
    assert listed["ambition"] is None and listed["axis"]["number"] == 2
    assert SECRET not in api_texts(client, key)


def test_the_invariants_crawler_reads_the_api(client, cop, ambition):
    draft = ProjectPageFactory(parent=ambition, reference="16.9", title=f"Brouillon {SECRET}", live=False)

    texts = crawled_api_texts(client, search_words=["application"])
    assert (
        "Créer l'application de la ville"
        in texts["/api/v2/pages/?type=axes.ProjectPage&fields=*&limit=100&offset=0"]
    )
    assert texts[f"/api/v2/pages/{draft.pk}/"] == "[404]"
    assert not [url for url, text in texts.items() if SECRET in text]
    assert not ApiToken.objects.exists()


# --- A fixed number of queries -----------------------------------------------------------------

# The queries of each listing, pinned for 3 projects and for 30: the token, the restrictions (the
# reader rule), the COPs (which one is read), the count and the rows; the services of the projects,
# their axes and ambitions (one query each); and one more, once a minute, to note the token's last use.
LISTINGS = {
    "projects": (PROJECTS, 9),
    "projects, every field": (f"{PROJECTS}&fields=*&limit=100", 9),
    "projects of a service": (f"{PROJECTS}&service=education&limit=100", 9),
    "ambitions": ("/api/v2/pages/?type=axes.AmbitionPage&fields=*&limit=100", 7),
    "axes": ("/api/v2/pages/?type=axes.AxisPage&fields=*", 6),
    "pages": ("/api/v2/pages/?fields=*&limit=100", 6),
    "services": ("/api/v2/services/?limit=100", 6),
}


def grow_cop(ambition, size, services):
    for number in range(ProjectPage.objects.count(), size):
        ProjectPageFactory(
            parent=ambition,
            reference=f"16.{number + 10}",
            pilot_service=services[number % 2],
            services=services,
        )


@pytest.mark.parametrize("listing", LISTINGS)
def test_every_listing_makes_the_same_queries_for_3_and_30_projects(
    client, cop, key, ambition, education, relation_usagers, django_assert_max_num_queries, listing
):
    url, most = LISTINGS[listing]
    get(client, url, key)  # the site's root paths in the cache, as on any server after one request
    counts = []
    for size in (3, 30):
        grow_cop(ambition, size, [education, relation_usagers])
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(most):
            response = get(client, url, key)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert ProjectPage.objects.count() == 30


# --- Rate limit ----------------------------------------------------------------------------------


def test_a_token_past_its_rate_gets_a_429_while_another_still_reads(client, cop, settings):
    settings.COP_API_RATE = "3/minute"
    _, busy = new_token("Outil bavard")
    _, quiet = new_token("Outil discret")

    for _ in range(3):
        assert get(client, PROJECTS, busy).status_code == 200
    refused = get(client, PROJECTS, busy)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "Trop de requêtes" in refused.json()["message"]
    assert get(client, PROJECTS, quiet).status_code == 200


def test_a_rate_that_cannot_be_read_is_refused_by_the_checks(settings):
    settings.COP_API_RATE = "beaucoup"
    assert [error.id for error in check_api_rate(None)] == ["api.E001"]
    settings.COP_API_RATE = "100/minute"
    assert check_api_rate(None) == []


# --- Bad parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "limit=abc",
        "limit=-1",
        "limit=1000",
        "offset=-5",
        "offset=1e3",
        "fields=inconnu",
        "fields=(",
        "fields=*,title",
        "fields=title(id)",
        "fields=" + "a(" * 400,
        "fields=" + "a(" * 200 + ")" * 200,
        "type=inconnu",
        "type=axes.Service",
        "type=axes.ProjectPage&order=inconnu",
        "type=axes.ProjectPage&status=bidon",
        "type=axes.ProjectPage&due_date=demain",
        "type=axes.ProjectPage&progress=beaucoup",
        "type=axes.ProjectPage&pilot_service=x",
        "service=education",
        "parametre=inconnu",
        "child_of=abc",
        "child_of=99999",
        "search=%00",
        "title=a%00b",
        "rich_text_format=html",
        "order=random&offset=2",
        "search=application&search_operator=peut-etre",
        "type=axes.ProjectPage&order=services",
    ],
)
def test_a_bad_parameter_is_a_400_in_french(client, cop, key, query):
    assert_refused_in_french(get(client, f"/api/v2/pages/?{query}", key))


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/?offset=999999999",
        "/api/v2/pages/?id=99999999999999999999",
        "/api/v2/pages/99999999999/",
        "/api/v2/pages/find/?id=abc",
        "/api/v2/pages/find/?html_path=/nulle-part/",
        "/api/v2/services/?slug=inconnu",
        "/api/v2/services/?order=-name",
        "/api/v2/services/?fields=*",
    ],
)
def test_odd_but_valid_requests_answer_without_an_error(client, cop, key, url):
    assert get(client, url, key).status_code in {200, 302, 400, 404}


# --- The page cache ------------------------------------------------------------------------------


def test_the_page_cache_never_keeps_an_api_answer(agent, cop, key, page_cache):
    client = client_for(agent)
    for _ in range(2):
        response = get(client, PROJECTS, key)
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert not [name for name in page_cache._cache if "cop-page:" in name]


# --- The admin -------------------------------------------------------------------------------------

ADD_URL = reverse("jetons_api:add")
INDEX_URL = reverse("jetons_api:index")


def test_an_administrator_creates_a_token_sees_its_key_once_and_revokes_it(admin_client, client, cop):
    created = admin_client.post(ADD_URL, {"name": "Annuaire des projets"})

    assert created.status_code == 200
    page = created.content.decode()
    assert "elle ne sera plus jamais affichée" in page
    key = re.search(r'id="cle-api">([^<]+)<', page).group(1)
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8] and token.created_by.username == "admin"
    stored = " ".join(str(value) for value in ApiToken.objects.values().get().values())
    assert key not in stored
    assert "no-store" in created["Cache-Control"]
    for url in (INDEX_URL, reverse("jetons_api:edit", args=[token.pk])):
        shown = admin_client.get(url).content.decode()
        assert key not in shown and token.prefix in shown
    assert get(client, PROJECTS, key).status_code == 200
    assert ApiToken.objects.get().last_used_at is not None

    revoke_url = reverse("jetons_api:revoke", args=[token.pk])
    assert f'href="{revoke_url}"' in admin_client.get(INDEX_URL).content.decode()
    assert "Oui, révoquer" in admin_client.get(revoke_url).content.decode()
    assert admin_client.post(revoke_url).status_code == 302

    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by.username == "admin"
    assert get(client, PROJECTS, key).status_code == 401
    assert "Révoqué le" in admin_client.get(INDEX_URL).content.decode()
    history = admin_client.get(reverse("jetons_api:history", args=[token.pk])).content.decode()
    assert "Jeton révoqué" in history


def test_no_one_deletes_a_token(admin_client):
    token, _ = new_token()
    assert admin_client.post(reverse("jetons_api:delete", args=[token.pk])).status_code in {302, 403}
    assert ApiToken.objects.filter(pk=token.pk).exists()


@pytest.mark.parametrize("role", [roles.MODERATORS, roles.EDITORS, roles.AGENTS])
def test_the_token_admin_is_refused_to_anyone_but_administrators(role):
    user = UserFactory(username="quelquun")
    user.groups.add(Group.objects.get(name=role))
    token, _ = new_token()
    browser = client_for(user)

    for url in (INDEX_URL, ADD_URL, reverse("jetons_api:edit", args=[token.pk])):
        assert browser.get(url).status_code in {302, 403}, url
    assert browser.post(ADD_URL, {"name": "Outil pirate"}).status_code in {302, 403}
    assert browser.post(reverse("jetons_api:revoke", args=[token.pk])).status_code in {302, 403}
    assert ApiToken.objects.get().revoked_at is None and ApiToken.objects.count() == 1
    if role != roles.AGENTS:
        assert "Jetons d'API" not in browser.get(reverse("wagtailadmin_home")).content.decode()


def test_a_group_given_the_permission_to_add_tokens_manages_them():
    group = Group.objects.create(name="Intégrateurs")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="api", codename="add_apitoken"),
    )
    user = UserFactory(username="integratrice")
    user.groups.add(group)
    browser = client_for(user)

    assert browser.get(INDEX_URL).status_code == 200
    assert browser.post(ADD_URL, {"name": "Tableau de bord"}).status_code == 200
    assert ApiToken.objects.get().created_by == user
