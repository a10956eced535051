"""Agents read the COP: overview, chapters, roll-ups, short links, services and partnerships."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from axes import tree
from axes.models import ProjectPage, ProjectStatus
from axes.readers import Reader

from .factories import AmbitionPageFactory, AxisPageFactory, ProjectPageFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chapter(axis, ambition, project, relation_usagers, education):
    """Axis 2 with ambition 16 (projects 16.1 to 16.3) and ambition 17 (one project)."""
    ProjectPageFactory(
        parent=ambition,
        reference="16.2",
        status=ProjectStatus.REALISE,
        progress=100,
        pilot_service=education,
        services=[relation_usagers],
    )
    ProjectPageFactory(parent=ambition, reference="16.3", status=ProjectStatus.SUSPENDU, progress=None)
    other = AmbitionPageFactory(parent=axis, number=17, title="Dématérialiser le fonctionnement interne")
    ProjectPageFactory(parent=other, reference="17.1", status=ProjectStatus.REALISE, progress=80)
    return axis


def test_rollups_count_statuses_and_average_progress_in_the_database(chapter, ambition):
    by_ambition = ProjectPage.objects.rollups_by_ancestor(tree.AMBITION_PATH_LENGTH, Reader.of())
    rollup = by_ambition[ambition.path]
    assert rollup.total == 3
    assert rollup.counts[ProjectStatus.ENGAGE] == 1
    assert rollup.counts[ProjectStatus.REALISE] == 1
    assert rollup.done_percent == 33
    assert rollup.mean_progress == 70  # (40 + 100) / 2: a project without progress does not count
    assert rollup.text == "3 projets : 1 engagé, 1 réalisé, 1 suspendu"


def test_drafts_do_not_count_in_rollups(chapter, ambition):
    ProjectPageFactory(parent=ambition, reference="16.9", live=False, status=ProjectStatus.REALISE)
    assert ProjectPage.objects.child_of(ambition).rollup_for(Reader.of()).total == 3


def test_the_home_page_shows_the_cop_at_a_glance(agent_client, chapter, ambition):
    html = agent_client.get("/").content.decode()
    assert "Accompagner la transition numérique" in html
    assert f'href="{ambition.url}"' in html
    assert 'aria-label="3 projets : 1 engagé, 1 réalisé, 1 suspendu"' in html
    assert "<strong>4</strong> projets" in html
    assert "<strong>50&nbsp;%</strong> réalisés" in html
    assert reverse("my_service") in html
    assert 'role="search"' in html


def test_the_home_page_lists_the_latest_published_changes(agent_client, chapter, project):
    project.title = "Application de la ville, version 2"
    project.save_revision().publish()
    html = agent_client.get("/").content.decode()
    assert "Dernières mises à jour" in html
    assert "Application de la ville, version 2" in html


def test_a_chapter_shows_each_ambition_with_its_projects_in_number_order(agent_client, chapter):
    html = agent_client.get(chapter.url).content.decode()
    assert html.index("Ambition n° 16") < html.index("Ambition n° 17")
    assert html.index("16.1") < html.index("16.2") < html.index("16.3") < html.index("17.1")
    assert 'href="/services/education/"' in html


def test_the_ambition_page_links_its_neighbours_and_services(agent_client, chapter, ambition):
    html = agent_client.get(ambition.url).content.decode()
    assert 'rel="next"' in html
    assert "Ambition n°&nbsp;17" in html
    assert 'rel="prev"' not in html
    assert 'href="/services/relation-usagers/"' in html


def test_the_project_page_links_services_and_related_projects(agent_client, chapter, project):
    related = ProjectPage.objects.get(reference="17.1")
    project.related_links.create(related_project=related)
    project.save_revision().publish()
    html = agent_client.get(project.url).content.decode()
    assert 'href="/services/education/"' in html
    assert "Projets liés" in html
    assert related.title in html
    assert "/projets/16.1/" in html


def test_short_links_lead_to_the_ambition_and_the_project(agent_client, chapter, ambition, project):
    assert agent_client.get("/ambitions/16/")["Location"] == ambition.url
    assert agent_client.get("/projets/16.1/")["Location"] == project.url


def test_a_short_link_to_nothing_is_a_404(agent_client, chapter):
    assert agent_client.get("/ambitions/99/").status_code == 404
    assert agent_client.get("/projets/99.9/").status_code == 404


def test_a_short_link_never_leads_to_a_draft(agent_client, ambition):
    ProjectPageFactory(parent=ambition, reference="16.8", live=False)
    assert agent_client.get("/projets/16.8/").status_code == 404


def test_the_service_list_counts_projects_led_and_partnered(agent_client, chapter):
    response = agent_client.get(reverse("service_list"))
    services = {
        service.slug: service for group in response.context["directions"].values() for service in group
    }
    assert (services["relation-usagers"].pilot_count, services["relation-usagers"].partner_count) == (1, 1)
    assert (services["education"].pilot_count, services["education"].partner_count) == (1, 1)


def test_a_service_page_groups_its_projects_and_names_its_partners(agent_client, chapter, axis, ambition):
    response = agent_client.get(reverse("service_detail", args=["relation-usagers"]))
    [(shown_axis, ambitions)] = response.context["chapters"]
    assert shown_axis == axis
    [(shown_ambition, projects)] = ambitions
    assert shown_ambition == ambition
    assert [(project.reference, project.leads) for project in projects] == [("16.1", True), ("16.2", False)]
    assert [(partner.slug, partner.shared) for partner in response.context["partners"]] == [("education", 2)]


def test_an_unknown_service_is_a_404(agent_client):
    assert agent_client.get("/services/inconnu/").status_code == 404


def test_my_service_sends_the_agent_to_their_service(agent_client, agent, relation_usagers):
    agent.services.add(relation_usagers)
    assert agent_client.get(reverse("my_service"))["Location"] == "/services/relation-usagers/"


def test_my_service_lists_several_services(agent_client, agent, relation_usagers, education):
    agent.services.add(relation_usagers, education)
    html = agent_client.get(reverse("my_service")).content.decode()
    assert "/services/relation-usagers/" in html
    assert "/services/education/" in html


def test_my_service_explains_what_to_do_without_a_service(agent_client):
    assert "Demandez à un administrateur" in agent_client.get(reverse("my_service")).content.decode()


def test_the_partnership_table_counts_projects_per_service_and_axis(agent_client, chapter):
    response = agent_client.get(reverse("partnerships"))
    rows = {row["service"].slug: row for row in response.context["rows"]}
    assert rows["relation-usagers"]["total"] == 2
    assert rows["education"]["cells"][0][0] == 2
    pairs = response.context["pairs"]
    assert pairs[0]["shared"] == 2
    assert {pairs[0]["first"][1], pairs[0]["second"][1]} == {"relation-usagers", "education"}


def test_the_accessibility_statement_is_public_and_linked_from_every_page(client, agent_client, chapter):
    assert "partiellement conforme" in client.get(reverse("accessibility")).content.decode()
    for url in ("/", chapter.url, reverse("service_list")):
        assert 'href="/accessibilite/"' in agent_client.get(url).content.decode()


def test_the_new_pages_are_private(client, chapter):
    for url in ("/services/", "/services/education/", "/partenariats/", "/mon-service/", "/ambitions/16/"):
        assert client.get(url)["Location"].startswith("/connexion/")


def add_ambitions(axes, services, ambitions, projects_per_ambition, first_number):
    """`ambitions` × `projects_per_ambition` projects spread over `axes`, each led by one of
    `services` with the next one as partner; returns the last ambition."""
    for index in range(ambitions):
        number = first_number + index
        ambition = AmbitionPageFactory(parent=axes[index % len(axes)], number=number)
        for position in range(1, projects_per_ambition + 1):
            ProjectPageFactory(
                parent=ambition,
                reference=f"{number}.{position}",
                pilot_service=services[(index + position) % len(services)],
                services=[services[(index + position + 1) % len(services)]],
            )
    return ambition


def services_named(numbers):
    return [ServiceFactory(name=f"Service {n}", slug=f"service-{n}") for n in numbers]


def count_queries(client, url):
    """The queries of a visit to `url`, and what it showed (the test settings keep no page cache:
    each visit renders the page in full)."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context), response.content.decode()


def test_query_counts_do_not_grow_with_the_cop(agent_client, home, agent):
    services = services_named(range(4))
    axes = [AxisPageFactory(parent=home, number=number) for number in (1, 2)]
    ambition = add_ambitions(axes, services, ambitions=2, projects_per_ambition=2, first_number=100)
    project = ProjectPage.objects.child_of(ambition).first()
    agent.services.add(*services[:2])  # two services: "Mon service" lists them
    urls = {
        "accueil": "/",
        "axe": axes[0].url,
        "ambition": ambition.url,
        "projet": project.url,
        "services": reverse("service_list"),
        "service": reverse("service_detail", args=["service-1"]),
        "partenariats": reverse("partnerships"),
        "mon-service": reverse("my_service"),
    }
    before = {name: count_queries(agent_client, url) for name, url in urls.items()}

    # The same pages, each with much more to show: more axes and services on the home page and in
    # the tables, more ambitions in the axis, projects in the ambition and in service 1, partners
    # for the project, services for the agent.
    axes += [AxisPageFactory(parent=home, number=number) for number in (3, 4)]
    services += services_named(range(4, 16))
    add_ambitions(axes, services, ambitions=16, projects_per_ambition=3, first_number=200)
    for position in range(3, 10):
        ProjectPageFactory(
            parent=ambition, reference=f"{ambition.number}.{position}", pilot_service=services[position]
        )
    project.services.add(*services[4:16])
    project.save()
    agent.services.add(*services[2:8])
    after = {name: count_queries(agent_client, url) for name, url in urls.items()}

    grown = {name for name in urls if len(after[name][1]) > len(before[name][1]) + 300}
    assert grown == set(urls), "the second build must add to what every page shows"
    counts = {name: count for name, (count, _) in after.items()}
    assert counts == {name: count for name, (count, _) in before.items()}
    # 15, one for the reader rule (axes.readers): which pages the view restrictions hide, one for a
    # project's milestones and one for its indicators.
    assert max(counts.values()) <= 20, counts
