"""Pages served from cached fragments: fresh right after every publication, never one agent's page
for another, and cheaper than rendering them."""

import datetime
import os
import subprocess
import sys

from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from wagtail.contrib.search_promotions.models import Query
from wagtail.models import PageViewRestriction

import pytest

from caching.models import PublicationGeneration
from editorial import roles
from indicators.models import IndicatorValue

from .factories import AmbitionPageFactory, IndicatorFactory, ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(page_cache):
    """Every test here is of the page cache, which the other tests run without."""


def html(client, url):
    """The page as the agent's browser gets it; texts are compared as the template escapes them."""
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def kept_in_cache(client, url):
    """Visits `url` until the agent's next visit is served whole: the first visit sets the CSRF
    cookie, the second keeps the page."""
    for _ in range(2):
        html(client, url)
    return client


def publish_new_project(ambition, **fields):
    """A project written as a draft, then published the way a moderator does: through a revision."""
    project = ProjectPageFactory(parent=ambition, live=False, **fields)
    project.save_revision().publish()
    return project


def test_the_home_and_the_chapter_show_a_project_right_after_its_publication(agent_client, axis, ambition):
    publish_new_project(ambition, reference="16.1", title="Ouvrir le guichet numérique")
    assert "Ouvrir le guichet numérique" in html(agent_client, "/")
    assert "Ouvrir le guichet numérique" in html(agent_client, axis.url)

    publish_new_project(ambition, reference="16.2", title="Former les agents d’accueil")

    assert "Former les agents d’accueil" in html(agent_client, "/")
    assert "Former les agents d’accueil" in html(agent_client, axis.url)
    assert "2 projets" in html(agent_client, ambition.url)


def test_an_unpublished_ambition_leaves_the_home_and_the_chapter_at_once(
    agent_client, axis, ambition, project
):
    other = AmbitionPageFactory(parent=axis, number=17, title="Dématérialiser le fonctionnement interne")
    for url in ("/", axis.url, ambition.url):
        assert "Dématérialiser le fonctionnement interne" in html(agent_client, url)

    other.unpublish()

    for url in ("/", axis.url, ambition.url):
        assert "Dématérialiser le fonctionnement interne" not in html(agent_client, url)


def test_a_renamed_service_shows_at_once_wherever_it_is_cached(agent_client, project, education):
    urls = [project.url, reverse("service_list"), reverse("service_detail", args=["relation-usagers"])]
    for url in urls:
        assert "Éducation" in html(agent_client, url)

    education.name = "Éducation et enfance"
    education.save()

    for url in urls:
        assert "Éducation et enfance" in html(agent_client, url)


def test_a_changed_project_shows_on_its_page_and_its_services_pages(agent_client, project, education):
    service_url = reverse("service_detail", args=["education"])
    assert escape("Créer l'application de la ville") in html(agent_client, service_url)

    revision = project.get_latest_revision_as_object()
    revision.title = "Créer l'application mobile de la ville"
    revision.save_revision().publish()

    assert escape("Créer l'application mobile de la ville") in html(agent_client, project.url)
    assert escape("Créer l'application mobile de la ville") in html(agent_client, service_url)


def test_a_draft_never_reaches_the_cached_pages(agent_client, axis, project):
    html(agent_client, project.url)
    draft = project.get_latest_revision_as_object()
    draft.title = "Titre en cours de rédaction"
    draft.save_revision()

    for url in (project.url, axis.url, "/", reverse("service_detail", args=["education"])):
        assert "Titre en cours de rédaction" not in html(agent_client, url)


def test_a_publication_names_a_new_generation_and_a_draft_does_not(project):
    before = PublicationGeneration.objects.get().token
    project.get_latest_revision_as_object().save_revision()
    assert PublicationGeneration.objects.get().token == before

    project.get_latest_revision_as_object().save_revision().publish()
    assert PublicationGeneration.objects.get().token != before


def test_an_indicators_draft_names_no_new_generation_and_its_publication_does(moderator):
    indicator = IndicatorFactory()
    before = PublicationGeneration.objects.get().token
    indicator.values.add(IndicatorValue(date=datetime.date(2025, 1, 1), value=30))
    revision = indicator.save_revision(user=moderator)
    assert PublicationGeneration.objects.get().token == before

    revision.publish(user=moderator)
    assert PublicationGeneration.objects.get().token != before


@pytest.mark.parametrize(
    "page", ["home", "axis", "ambition", "project", "service", "services", "partnerships"]
)
def test_a_cached_page_makes_fewer_queries_than_its_first_rendering(
    page, agent_client, axis, ambition, project, django_assert_max_num_queries
):
    url = {
        "home": "/",
        "axis": axis.url,
        "ambition": ambition.url,
        "project": project.url,
        "service": reverse("service_detail", args=["relation-usagers"]),
        "services": reverse("service_list"),
        "partnerships": reverse("partnerships"),
    }[page]
    rendered = queries_of(agent_client, url)
    cached = queries_of(agent_client, url)
    assert cached < rendered, (cached, rendered)
    # The agent's next visit is served whole: their session, their account, the publication.
    with django_assert_max_num_queries(3):
        assert agent_client.get(url).status_code == 200


def test_another_session_of_the_same_agent_renders_the_page_from_its_fragments(
    agent, axis, django_assert_max_num_queries
):
    html(signed_in(agent), axis.url)
    other_session = signed_in(agent)
    # Session, user, permissions, the publication, the page's routing and view restrictions, and
    # the restrictions that the reader rule applies to the fragments (axes.readers), and the city's
    # identity that the header shows (home.CityIdentity, once per request).
    with django_assert_max_num_queries(15):
        html(other_session, axis.url)


def test_a_subscription_shows_on_the_agents_next_visit(agent_client, education):
    url = reverse("service_detail", args=["education"])
    assert "S'abonner" in html(kept_in_cache(agent_client, url), url)
    response = agent_client.post(
        reverse("digests:subscribe"),
        {"portee": "service", "cible": "education", "frequence": "hebdomadaire", "suivant": url},
        follow=True,
    )
    assert "est noté" in response.content.decode()  # a page with a message is rendered for it

    page = html(agent_client, url)
    assert "est noté" not in page
    assert "Changer la fréquence" in page


def test_a_referent_given_a_service_sees_their_proposal_link_at_once(project, relation_usagers):
    referent = UserFactory(username="referent-nouveau")
    referent.groups.add(Group.objects.get(name=roles.REFERENTS))
    client = signed_in(referent)
    assert "Proposer une mise à jour" not in html(client, project.url)

    referent.services.add(relation_usagers)

    assert "Proposer une mise à jour" in html(client, project.url)


def subscribe_to_education(client, url):
    client.post(
        reverse("digests:subscribe"),
        {"portee": "service", "cible": "education", "frequence": "hebdomadaire", "suivant": url},
    )


def test_an_agent_subscribing_leaves_the_other_agents_pages_in_the_cache(
    agent, education, django_assert_max_num_queries
):
    url = reverse("service_detail", args=["education"])
    subscriber = kept_in_cache(signed_in(agent), url)
    other = kept_in_cache(signed_in(UserFactory(username="dominique")), url)
    generation = PublicationGeneration.objects.get().token

    subscribe_to_education(subscriber, url)

    assert PublicationGeneration.objects.get().token == generation
    with django_assert_max_num_queries(3):
        assert "S'abonner" in html(other, url)
    assert "est noté" in html(subscriber, url)  # rendered for its message, and not kept
    assert "Changer la fréquence" in html(subscriber, url)


@pytest.fixture
def direction():
    return Group.objects.create(name="Direction générale")


@pytest.fixture
def direction_project(ambition, direction):
    project = ProjectPageFactory(parent=ambition, reference="16.9", title="Réorganiser les directions")
    restriction = PageViewRestriction.objects.create(
        page=project, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(direction)
    return project


@pytest.mark.parametrize("side", ["agent", "group"])
def test_an_agent_given_a_group_sees_its_pages_at_once_and_the_others_keep_their_cache(
    side, agent, ambition, direction, direction_project, django_assert_max_num_queries
):
    member = kept_in_cache(signed_in(agent), ambition.url)
    other = kept_in_cache(signed_in(UserFactory(username="dominique")), ambition.url)
    assert "Réorganiser les directions" not in html(member, ambition.url)

    if side == "agent":
        agent.groups.add(direction)
    else:
        direction.user_set.add(agent)

    assert "Réorganiser les directions" in html(member, ambition.url)
    assert "Réorganiser les directions" in html(member, direction_project.url)
    with django_assert_max_num_queries(3):
        assert "Réorganiser les directions" not in html(other, ambition.url)


def test_an_agent_taken_out_of_a_group_no_longer_sees_its_pages(
    agent, ambition, direction, direction_project
):
    agent.groups.add(direction)
    member = kept_in_cache(signed_in(agent), ambition.url)
    assert "Réorganiser les directions" in html(member, ambition.url)

    agent.groups.remove(direction)

    assert "Réorganiser les directions" not in html(member, ambition.url)


def test_a_group_emptied_at_once_renews_the_pages_of_its_former_members(
    agent, ambition, direction, direction_project
):
    direction.user_set.add(agent)
    member = kept_in_cache(signed_in(agent), ambition.url)

    direction.user_set.clear()

    assert "Réorganiser les directions" not in html(member, ambition.url)


def test_a_renamed_agent_sees_their_new_name_at_once(agent, axis):
    client = kept_in_cache(signed_in(agent), axis.url)
    agent.first_name = "Camilla"
    agent.save()
    assert "Camilla Agent" in html(client, axis.url)


def test_a_publication_still_renews_every_agents_pages(agent, ambition, django_assert_max_num_queries):
    clients = [kept_in_cache(signed_in(user), ambition.url) for user in (agent, UserFactory(username="dom"))]

    publish_new_project(ambition, reference="16.2", title="Ouvrir le guichet numérique")

    for client in clients:
        assert queries_of(client, ambition.url) > 3
        assert "Ouvrir le guichet numérique" in html(client, ambition.url)


def test_one_agents_name_never_shows_in_anothers_page(axis, ambition, project):
    camille = UserFactory(username="camille", first_name="Camille", last_name="Durand")
    dominique = UserFactory(username="dominique", first_name="Dominique", last_name="Martin")
    for url in ("/", axis.url, ambition.url, project.url, reverse("service_detail", args=["education"])):
        assert "Camille Durand" in html(signed_in(camille), url)
        page = html(signed_in(dominique), url)
        assert "Dominique Martin" in page
        assert "Camille Durand" not in page


def test_a_referents_proposal_link_does_not_leak_to_an_agent(project, relation_usagers):
    referent = UserFactory(username="referent", first_name="Rémi", last_name="Référent")
    referent.groups.add(Group.objects.get(name=roles.REFERENTS))
    referent.services.add(relation_usagers)
    agent = UserFactory(username="agent-lambda")
    agent.groups.add(Group.objects.get(name=roles.AGENTS))

    assert "Proposer une mise à jour" in html(signed_in(referent), project.url)
    assert "Proposer une mise à jour" not in html(signed_in(agent), project.url)
    assert "Proposer une mise à jour" in html(signed_in(referent), project.url)


def test_each_agent_gets_their_own_logout_token(axis):
    first, second = signed_in(UserFactory(username="premier")), signed_in(UserFactory(username="second"))
    tokens = []
    for client in (first, second):
        page = html(client, axis.url)
        tokens.append(page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0])
    assert tokens[0] != tokens[1]


def test_cop_page_cache_off_caches_no_fragment():
    code = "from django.conf import settings; print(settings.CACHES['template_fragments']['BACKEND'])"
    local_cache_env = {
        name: value for name, value in os.environ.items() if name not in ("CACHE_URL", "REDIS_URL")
    }
    backends = {}
    for value in ("off", "on"):
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            env={
                **local_cache_env,
                "COP_PAGE_CACHE": value,
                # The test settings keep each process its own caches, whatever the environment.
                "DJANGO_SETTINGS_MODULE": "cop_site.settings.dev",
            },
            capture_output=True,
            text=True,
            check=True,
        )
        backends[value] = result.stdout.strip()
    assert backends == {
        "off": "django.core.cache.backends.dummy.DummyCache",
        "on": "django.core.cache.backends.db.DatabaseCache",
    }


def test_a_search_made_again_by_another_agent_comes_from_the_cache_and_still_counts(
    project, django_assert_max_num_queries
):
    first, second = signed_in(UserFactory(username="premier")), signed_in(UserFactory(username="second"))
    assert '<span class="ref">16.1</span>' in html(first, "/recherche/?q=application")

    # Session, user, the publication, the search counted (3), its promoted results, permissions (2),
    # and the city's identity that the header shows (home.CityIdentity, found with its site).
    with django_assert_max_num_queries(13):
        page = html(second, "/recherche/?q=application")
    assert '<span class="ref">16.1</span>' in page
    assert "Camille" not in page and "premier" not in page
    assert Query.get("application").hits == 2


def test_a_cached_search_finds_a_project_published_since(agent_client, ambition, project):
    assert "0\xa0résultat" in html(agent_client, "/recherche/?q=guichet")

    publish_new_project(ambition, reference="16.2", title="Ouvrir le guichet numérique")

    assert '<span class="ref">16.2</span>' in html(agent_client, "/recherche/?q=guichet")


def test_an_editors_pages_are_rendered_each_time_for_their_toolbar(axis, agent):
    editor = UserFactory(username="editrice")
    editor.groups.add(Group.objects.get(name=roles.EDITORS))
    editor_client, agent_client = signed_in(editor), signed_in(agent)
    for client in (editor_client, agent_client) * 2:  # the first visit sets the CSRF cookie
        html(client, axis.url)
    assert queries_of(agent_client, axis.url) <= 3
    assert queries_of(editor_client, axis.url) > 3
