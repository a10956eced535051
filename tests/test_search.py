"""Agents search the COP: filters, facets, privacy, freshness, suggestions and analytics."""

from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

import pytest

from axes.models import ProjectStatus
from search.models import UnansweredQuery

from .factories import AmbitionPageFactory, AxisPageFactory, ProjectPageFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(ambition, project, relation_usagers, education):
    """16.1 (the app, Relation usagers with Éducation), 16.2 and 16.3 (Éducation)."""
    ProjectPageFactory(
        parent=ambition,
        reference="16.2",
        title="Identité numérique pour chaque foyer",
        summary="Un compte unique pour toutes les démarches.",
        pilot_service=education,
        status=ProjectStatus.REALISE,
    )
    ProjectPageFactory(
        parent=ambition,
        reference="16.3",
        title="Inscriptions scolaires en ligne",
        summary="Les écoles inscrivent les enfants sans papier.",
        pilot_service=education,
    )
    return project


def search(client, **params):
    response = client.get(reverse("search"), params)
    assert response.status_code == 200
    return response


def references(response):
    return [getattr(result, "reference", None) for result in response.context["outcome"].page.object_list]


def test_search_finds_projects_in_french_without_accents(agent_client, projects):
    assert "16.2" in references(search(agent_client, q="identite"))
    assert "16.3" in references(search(agent_client, q="ecole"))


def test_an_exact_reference_comes_first(agent_client, projects):
    assert references(search(agent_client, q="16.3"))[0] == "16.3"


def test_a_service_filter_without_words_lists_the_service_projects(agent_client, projects):
    response = search(agent_client, service="education")
    assert sorted(references(response)) == ["16.1", "16.2", "16.3"]


def test_filters_narrow_the_results_and_facets_count_them(agent_client, projects):
    response = search(agent_client, q="numerique")
    facets = response.context["outcome"].facets
    assert {code: count for code, _, count in facets["statuses"]}["realise"] == 1
    filtered = search(agent_client, q="numerique", statut="realise")
    assert references(filtered) == ["16.2"]
    service_links = {item["label"]: item for item in response.context["facet_groups"][1]["items"]}
    assert "service=education" in service_links["Éducation"]["url"]


def test_the_axis_filter_keeps_the_axis_pages(agent_client, home, projects):
    from .factories import AxisPageFactory

    other_axis = AxisPageFactory(parent=home, number=4, title="Conduire une transition écologique")
    other = AmbitionPageFactory(parent=other_axis, number=33)
    ProjectPageFactory(parent=other, reference="33.1", title="Écoles numériques et sobres")
    assert "33.1" not in references(search(agent_client, q="numerique", axe="2"))
    assert "33.1" in references(search(agent_client, q="numerique", axe="4"))


def test_a_bad_filter_gets_a_french_message_and_is_ignored(agent_client, projects):
    html = search(agent_client, q="numerique", service="inconnu", statut="fini", axe="x").content.decode()
    assert "Le service « inconnu » n&#x27;existe pas" in html
    assert "Le statut « fini » n&#x27;existe pas" in html
    assert "L’axe « x » n&#x27;existe pas" in html


def test_matched_words_are_highlighted_and_what_agents_type_is_escaped(agent_client, projects):
    html = search(agent_client, q="identite").content.decode()
    assert "<mark>Identité</mark>" in html
    html = search(agent_client, q="<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_no_result_gives_a_french_empty_state(agent_client, projects):
    html = search(agent_client, q="zzzz").content.decode()
    assert "0\xa0résultat pour" in html
    assert "Aucun projet, aucune ambition" in html


def test_drafts_and_pages_restricted_from_the_agent_are_never_found(agent_client, ambition, projects):
    ProjectPageFactory(parent=ambition, reference="16.7", title="Brouillon numérique secret", live=False)
    restricted = ProjectPageFactory(parent=ambition, reference="16.8", title="Projet numérique confidentiel")
    for_signed_in = ProjectPageFactory(parent=ambition, reference="16.9", title="Projet numérique interne")
    restriction = PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Direction générale"))
    PageViewRestriction.objects.create(page=for_signed_in, restriction_type=PageViewRestriction.LOGIN)
    found = references(search(agent_client, q="numerique"))
    assert "16.7" not in found
    assert "16.8" not in found
    assert "16.9" in found


def test_a_published_page_is_found_at_once_and_an_unpublished_one_disappears(
    agent_client, ambition, projects
):
    project = ProjectPageFactory(parent=ambition, reference="16.6", title="Guichet vidéo", live=False)
    assert "16.6" not in references(search(agent_client, q="guichet"))
    project.save_revision().publish()
    assert "16.6" in references(search(agent_client, q="guichet"))
    project.refresh_from_db()
    project.unpublish()
    assert "16.6" not in references(search(agent_client, q="guichet"))


def test_a_service_added_to_a_project_is_found_in_the_next_request(agent_client, projects):
    sports = ServiceFactory(name="Sports et loisirs", slug="sports")
    projects.services.add(sports)
    projects.save_revision().publish()
    assert "16.1" in references(search(agent_client, q="loisirs"))
    assert references(search(agent_client, service="sports")) == ["16.1"]


def test_the_search_page_query_count_does_not_grow_with_the_results(agent_client, home, ambition, projects):
    """The results are rendered in full each time (the test settings keep no page cache): a query
    per result, or per axis, ambition or service shown, would show here."""

    def count(query):
        search(agent_client, q=query)  # the first search of a query also records it
        with CaptureQueriesContext(connection) as context:
            response = search(agent_client, q=query)
        return len(context), response

    few, response = count("numerique")
    assert len(response.context["outcome"].page.object_list) == 3  # an axis, an ambition, a project
    # Twenty more results, spread over other axes and ambitions, each with its own services: the
    # first page is now full, of results whose places and services are all different.
    for axis_number in (3, 4):
        axis = AxisPageFactory(parent=home, number=axis_number, title=f"Axe {axis_number}")
        for ambition_number in (1, 2):
            other = AmbitionPageFactory(
                parent=axis,
                number=axis_number * 10 + ambition_number,
                title=f"Ambition numérique {ambition_number}",
            )
            for index in range(5):
                ProjectPageFactory(
                    parent=other,
                    reference=f"{other.number}.{index}",
                    title=f"Service numérique {index}",
                    pilot_service=ServiceFactory(
                        name=f"Pilote {other.number}.{index}", slug=f"p-{other.number}-{index}"
                    ),
                    services=[
                        ServiceFactory(
                            name=f"Partenaire {other.number}.{index}", slug=f"s-{other.number}-{index}"
                        )
                    ],
                )
    many, response = count("numerique")
    assert len(response.context["outcome"].page.object_list) == 20
    # Fewer page types on the page may save a query; more results never cost one.
    assert many <= few, f"{few} requêtes pour 3 résultats, {many} pour 20"


def test_results_are_paginated(agent_client, ambition, projects):
    for index in range(10, 35):
        ProjectPageFactory(parent=ambition, reference=f"16.{index}", title=f"Service numérique {index}")
    first = search(agent_client, q="numerique")
    assert len(first.context["outcome"].page.object_list) == 20
    assert "page=2" in first.context["page_links"]["next"]
    second = search(agent_client, q="numerique", page="2")
    shown = [{result.pk for result in response.context["outcome"].page} for response in (first, second)]
    assert shown[0].isdisjoint(shown[1])


def test_suggestions_propose_projects_ambitions_and_services_by_prefix(agent_client, projects):
    suggestions = agent_client.get(reverse("search_suggestions"), {"q": "appli"}).json()["suggestions"]
    assert suggestions[0]["label"] == "16.1 Créer l'application de la ville"
    assert suggestions[0]["url"] == projects.url
    services = agent_client.get(reverse("search_suggestions"), {"q": "educ"}).json()["suggestions"]
    assert {"label": "Éducation", "kind": "Service", "url": "/services/education/"} in services


def test_suggestions_need_two_letters_and_a_signed_in_agent(agent_client, projects):
    assert agent_client.get(reverse("search_suggestions"), {"q": "a"}).json()["suggestions"] == []
    assert Client().get(reverse("search_suggestions"), {"q": "appli"}).status_code == 302


def test_searches_and_searches_without_result_are_recorded(agent_client, projects):
    search(agent_client, q="Numérique")
    search(agent_client, q="zzzz")
    search(agent_client, q="zzzz")
    assert Query.get("numérique").hits == 1
    assert UnansweredQuery.objects.get(query__query_string="zzzz").hits == 2
    assert not UnansweredQuery.objects.filter(query__query_string="numérique").exists()


def test_editors_see_the_search_report_and_agents_do_not(agent_client, projects):
    search(agent_client, q="zzzz")
    assert agent_client.get(reverse("agent_search_report")).status_code in (302, 403)
    admin_client = Client()
    admin_client.force_login(UserFactory(username="chef", is_superuser=True))
    html = admin_client.get(reverse("agent_search_report"), {"unanswered_only": "true"}).content.decode()
    assert "Recherches des agents" in html
    assert "zzzz" in html


def test_promoted_results_come_first_but_never_a_draft(agent_client, ambition, projects):
    draft = ProjectPageFactory(parent=ambition, reference="16.9", title="Projet caché", live=False)
    query = Query.get("inscription")
    SearchPromotion.objects.create(
        query=query, page=projects, description="La future application", sort_order=0
    )
    SearchPromotion.objects.create(query=query, page=draft, sort_order=1)
    html = search(agent_client, q="inscription").content.decode()
    assert "Recommandé par l'équipe du COP" in html
    assert "La future application" in html
    assert "Projet caché" not in html
