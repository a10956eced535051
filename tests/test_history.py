"""Agents read what changed in the COP: a page's history, the journal, its feed, two dates compared."""

import datetime
import zoneinfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageLogEntry

import pytest
import time_machine

from axes.models import AmbitionPage, ProjectPage, ProjectStatus
from history.diff import changes_between, summary_of, word_diff
from history.models import Edition

from .factories import (
    AmbitionPageFactory,
    AxisPageFactory,
    EditionFactory,
    ProjectPageFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def moderator():
    """Publishes, withdraws and moves pages (the roles and their permissions are editorial's tests)."""
    return UserFactory(
        username="moderatrice", first_name="Dominique", last_name="Modératrice", is_superuser=True
    )


@pytest.fixture
def finances():
    return ServiceFactory(name="Finances", slug="finances")


def publish(page, user=None, **changes):
    """Publishes a new version of `page` with `changes`, as a moderator does in the admin."""
    for name, value in changes.items():
        setattr(page, name, value)
    revision = page.save_revision(user=user)
    revision.publish(user=user, skip_permission_checks=True)
    page.refresh_from_db()
    return revision


def save_draft(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    return page.save_revision()


def at(year, month, day, hour=10, minute=0):
    """Freezes the clock at that time in Clamart."""
    return time_machine.travel(datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS), tick=False)


def history_url(page):
    return page.url + "historique/"


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"{url} répond {response.status_code}"
    return response.content.decode()


@pytest.fixture
def project_history(project, moderator, finances, education):
    """Project 16.1 published three times: first, then a new status and progress, then services."""
    with at(2024, 3, 1):
        publish(project, moderator)
    with at(2024, 6, 15):
        publish(
            project,
            moderator,
            status=ProjectStatus.REALISE,
            progress=60,
            due_date=datetime.date(2024, 12, 31),
        )
    with at(2024, 9, 2):
        project.services.add(finances)
        project.services.remove(education.name)  # modelcluster removes tags by name
        publish(project, moderator)
    return project


# The diff, on revision contents


EDUCATION, FINANCES = 1, 2
NAMES = {EDUCATION: "Éducation", FINANCES: "Finances"}


def test_a_diff_reads_status_labels_progress_dates_and_services_by_name():
    before = {"status": "engage", "progress": 40, "due_date": None, "service_links": [{"tag": EDUCATION}]}
    after = {
        "status": "realise",
        "progress": 60,
        "due_date": "2024-12-31",
        "service_links": [{"tag": FINANCES}],
    }
    assert summary_of(changes_between(ProjectPage, before, after, NAMES)) == (
        "statut : Engagé → Réalisé ; avancement : 40 % → 60 % ; "
        "échéance : non renseignée → 31 décembre 2024 ; "
        "service ajouté : Finances ; service retiré : Éducation"
    )


def test_a_diff_marks_inserted_and_deleted_words_and_ignores_a_change_of_markup_only():
    before = {"summary": "Une application pour les démarches", "body": "<p>Premier <b>jet</b></p><p>fin</p>"}
    after = {
        "summary": "Une application mobile pour les démarches en ligne",
        "body": "<p>Premier jet</p><p>fin</p>",
    }
    [summary] = changes_between(ProjectPage, before, after, NAMES)
    assert summary.words == (
        ("same", "Une application"),
        ("ins", "mobile"),
        ("same", "pour les démarches"),
        ("ins", "en ligne"),
    )


def test_a_rich_text_reads_as_words_between_paragraphs():
    before = {"intro": "<p>Premier</p><p>second&nbsp;&amp; dernier</p>"}
    after = {"intro": "<p>Premier</p><p>troisième &amp; dernier</p>"}
    [intro] = changes_between(AmbitionPage, before, after, NAMES)
    assert intro.before == "Premier second & dernier"
    assert intro.words == (
        ("same", "Premier"),
        ("del", "second"),
        ("ins", "troisième"),
        ("same", "& dernier"),
    )


def test_a_long_unchanged_text_is_shortened_around_the_change():
    words = [f"mot{n}" for n in range(40)]
    runs = word_diff(" ".join(words), " ".join(words[:20] + ["nouveau"] + words[20:]))
    assert runs[0] == ("same", "… " + " ".join(words[12:20]))
    assert runs[1] == ("ins", "nouveau")
    assert runs[2] == ("same", " ".join(words[20:28]) + " …")


# A page's history


def test_the_history_lists_published_versions_newest_first_with_a_french_diff(
    agent_client, project_history, moderator
):
    html = html_of(agent_client, history_url(project_history))
    assert html.index("2\xa0septembre 2024") < html.index("15\xa0juin 2024") < html.index("1er\xa0mars 2024")
    assert "Première publication" in html
    assert "Validée et publiée par Dominique Modératrice" in html
    assert "Engagé" in html and "Réalisé" in html and "realise" not in html
    assert "40 %" in html and "60 %" in html
    assert "31 décembre 2024" in html
    assert "ajouté&nbsp;: Finances" in html
    assert "retiré&nbsp;: Éducation" in html


def test_the_history_marks_words_and_escapes_what_editors_typed(agent_client, project, moderator):
    publish(project, moderator)
    publish(project, moderator, summary="Une application <script>alert('piège')</script> pour tous.")
    html = html_of(agent_client, history_url(project))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert '<ins><span class="visually-hidden">ajouté&nbsp;: </span>' in html
    assert '<del><span class="visually-hidden">supprimé&nbsp;: </span>' in html


def test_the_history_shows_the_approval_comment_but_not_an_earlier_rejection(
    agent_client, project, moderator
):
    revision = project.save_revision(user=moderator)
    for action, comment in (
        ("wagtail.workflow.reject", "À revoir."),
        ("wagtail.workflow.approve", "Vu en comité."),
    ):
        PageLogEntry.objects.log_action(
            project, action, user=moderator, revision=revision, data={"comment": comment}
        )
    revision.publish(user=moderator)
    html = html_of(agent_client, history_url(project))
    assert "Vu en comité." in html
    assert "Dominique Modératrice" in html
    assert "À revoir." not in html


def test_the_axis_and_ambition_have_a_history_too_and_the_pages_link_it(
    agent_client, axis, ambition, project
):
    publish(ambition, intro="<p>Une ambition pour tous.</p>")
    publish(ambition, intro="<p>Une ambition pour tous les habitants.</p>")
    assert "habitants" in html_of(agent_client, history_url(ambition))
    assert agent_client.get(history_url(axis)).status_code == 200
    for page in (axis, ambition, project):
        assert f'href="{history_url(page)}"' in html_of(agent_client, page.url)


def test_the_history_is_paginated(agent_client, project):
    for progress in range(22):
        publish(project, progress=progress)
    first = agent_client.get(history_url(project))
    assert len(first.context["versions"]) == 20
    second = agent_client.get(history_url(project) + "?page=2")
    assert [version.first for version in second.context["versions"]] == [False, True]
    assert "avancement : 0 % → 1 %" in second.context["versions"][0].summary


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_history_query_count_does_not_grow_with_the_versions(agent_client, project, finances, moderator):
    publish(project, moderator)
    publish(project, moderator, progress=50)
    few = count_queries(agent_client, history_url(project))
    for progress in range(12):
        project.services.add(ServiceFactory() if progress % 2 else finances)
        publish(project, UserFactory(), progress=progress, summary=f"Résumé {progress}")
    assert count_queries(agent_client, history_url(project)) == few
    # HomePage.route finds the page of a history in one query, as for the reading pages; the
    # history itself reads its log entries, revisions, services and notes once each.
    assert few <= 18


# Drafts, privacy


def test_a_draft_shows_nowhere(agent_client, project, ambition, moderator):
    with at(2024, 3, 1):
        publish(project, moderator)
    with at(2024, 4, 1):
        save_draft(project, title="Brouillon confidentiel", status=ProjectStatus.ABANDONNE)
    urls = [
        history_url(project),
        reverse("evolutions"),
        reverse("evolutions_feed"),
        reverse("evolutions_compare") + "?du=2024-02-01&au=2024-05-01",
    ]
    for url in urls:
        html = html_of(agent_client, url)
        assert "Brouillon confidentiel" not in html, url
        assert "Abandonné" not in html, url


def test_the_history_of_a_withdrawn_page_is_not_served(agent_client, project, moderator):
    publish(project, moderator)
    project.unpublish(user=moderator)
    assert agent_client.get(history_url(project)).status_code == 404


def test_history_and_evolutions_are_private(client, project):
    for url in (
        history_url(project),
        reverse("evolutions"),
        reverse("evolutions_feed"),
        reverse("evolutions_compare"),
    ):
        assert client.get(url)["Location"].startswith("/connexion/"), url


# The journal and its feed


@pytest.fixture
def two_axes(axis, ambition, project, home, moderator, finances):
    """Project 16.1 (axis 2) changed in June; project 41.1 (axis 4, Finances) published in July; 16.1
    withdrawn in August."""
    other_axis = AxisPageFactory(parent=home, number=4, title="Conduire une transition écologique")
    other_ambition = AmbitionPageFactory(parent=other_axis, number=41)
    with at(2024, 5, 1):
        publish(project, moderator)
    with at(2024, 6, 10):
        publish(project, moderator, status=ProjectStatus.REALISE, progress=60)
    with at(2024, 7, 20):
        publish(
            ProjectPageFactory(parent=other_ambition, reference="41.1", pilot_service=finances), moderator
        )
    with at(2024, 8, 5):
        project.unpublish(user=moderator)
    return other_axis


def journal_lines(client, **params):
    response = client.get(reverse("evolutions"), params)
    assert response.status_code == 200
    return [(line.label, line.action_label) for line in response.context["lines"]], response


def test_the_journal_lists_publications_and_withdrawals_newest_first(agent_client, two_axes):
    lines, response = journal_lines(agent_client)
    assert lines == [
        ("Projet 16.1", "Retiré"),
        ("Projet 41.1", "Publié"),
        ("Projet 16.1", "Publié"),
        ("Projet 16.1", "Publié"),
    ]
    html = response.content.decode()
    assert "Statut\u00a0: Engagé → Réalisé\u202f; avancement\u00a0: 40 % → 60 %" in html
    assert "Dominique Modératrice" in html
    assert "/historique/#version-" in html


def test_the_journal_filters_by_dates_axis_and_service(agent_client, two_axes):
    assert [line for line, _ in journal_lines(agent_client, du="2024-06-01", au="2024-07-31")[0]] == [
        "Projet 41.1",
        "Projet 16.1",
    ]
    assert {line for line, _ in journal_lines(agent_client, axe="4")[0]} == {"Projet 41.1"}
    assert {line for line, _ in journal_lines(agent_client, service="education")[0]} == {"Projet 16.1"}


def test_a_bad_journal_filter_gets_a_french_message_and_is_left_out(agent_client, two_axes):
    lines, response = journal_lines(agent_client, du="31/13/2024", service="inconnu", axe="4")
    html = response.content.decode()
    assert "Date invalide" in html
    assert "Ce service n&#x27;existe pas\u00a0: ce filtre est ignoré." in html
    assert {line for line, _ in lines} == {"Projet 41.1"}


def test_the_journal_query_count_does_not_grow_with_the_entries(agent_client, ambition, moderator):
    def publish_projects(count, first):
        for index in range(first, first + count):
            project = ProjectPageFactory(
                parent=ambition, reference=f"16.{index}", pilot_service=ServiceFactory()
            )
            publish(project, UserFactory())
            publish(project, moderator, progress=index)

    publish_projects(2, first=1)
    agent_client.get("/")  # the site's root paths in the cache, as on any server after one request
    few = count_queries(agent_client, reverse("evolutions"))
    publish_projects(12, first=3)
    assert count_queries(agent_client, reverse("evolutions")) == few
    assert few <= 16


def test_the_journal_is_paginated_30_per_page(agent_client, project):
    for progress in range(31):
        publish(project, progress=progress)
    assert len(journal_lines(agent_client)[0]) == 30
    assert len(journal_lines(agent_client, page="2")[0]) == 1


def test_the_feed_is_atom_in_french_and_links_each_entry_to_the_history(agent_client, two_axes, project):
    publish(project, summary="<script>alert(1)</script>")
    response = agent_client.get(reverse("evolutions_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert "<title>Évolutions du COP</title>" in feed
    assert f"http://testserver{history_url(project)}#version-" in feed
    assert "Statut : Engagé → Réalisé ; avancement : 40 % → 60 %" in feed
    assert "<script>" not in feed and "&lt;script" not in feed.replace("&amp;lt;script", "")


def test_the_feed_takes_the_journal_filters(agent_client, two_axes):
    feed = agent_client.get(reverse("evolutions_feed"), {"axe": "4"}).content.decode()
    assert "Projet 41.1" in feed
    assert "Projet 16.1" not in feed


# The COP at two dates


@pytest.fixture
def cop_over_time(home, moderator, relation_usagers, education, finances):
    """A small COP published at known times (Paris time):

    - 10 January 2022: axis 2, ambitions 16 and 17, projects 16.1 (engagé, 40 %), 16.2 and 16.3;
    - 15 February 2022, 23:30: 16.1 becomes réalisé, 100 %, with Finances;
    - 10 April 2022: 17.1 is published, 16.3 withdrawn, 16.2 moved to ambition 17;
    - 2 May 2022: a draft of 16.1 (abandonné), never published.
    """
    with at(2022, 1, 10):
        axis = AxisPageFactory(parent=home, number=2)
        ambition_16 = AmbitionPageFactory(parent=axis, number=16, title="Simplifier l'accès")
        ambition_17 = AmbitionPageFactory(parent=axis, number=17, title="Dématérialiser")
        projects = {
            reference: ProjectPageFactory(
                parent=ambition_16, reference=reference, pilot_service=relation_usagers, progress=40
            )
            for reference in ("16.1", "16.2", "16.3")
        }
        for page in (axis, ambition_16, ambition_17, *projects.values()):
            publish(page, moderator)
    with at(2022, 2, 15, hour=23, minute=30):
        projects["16.1"].services.add(finances)
        publish(projects["16.1"], moderator, status=ProjectStatus.REALISE, progress=100)
    with at(2022, 4, 10):
        publish(ProjectPageFactory(parent=ambition_17, reference="17.1", pilot_service=education), moderator)
        projects["16.3"].unpublish(user=moderator)
        projects["16.2"].move(ambition_17, pos="last-child", user=moderator)
    with at(2022, 5, 2):
        save_draft(projects["16.1"], status=ProjectStatus.ABANDONNE)
    return projects


def compared(client, start, end):
    response = client.get(reverse("evolutions_compare"), {"du": start, "au": end})
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert comparison is not None, response.context["form"].errors
    return comparison, response.content.decode()


def references(projects):
    return [project.reference for project in projects]


def test_the_comparison_sees_a_change_published_late_on_the_second_date(agent_client, cop_over_time):
    comparison, html = compared(agent_client, "2022-01-31", "2022-02-15")
    assert (comparison.added, comparison.removed, comparison.moved) == ([], [], [])
    [changed] = comparison.changed
    assert changed.reference == "16.1"
    assert (
        changed.summary == "statut : Engagé → Réalisé ; avancement : 40 % → 100 % ; service ajouté : Finances"
    )
    assert comparison.counts == [("Axes", 1, 1), ("Ambitions", 2, 2), ("Projets", 3, 3)]
    assert "Statut\u00a0: Engagé → Réalisé" in html


def test_the_comparison_lists_projects_added_removed_and_moved(agent_client, cop_over_time):
    comparison, html = compared(agent_client, "2022-03-01", "2022-05-31")
    assert references(comparison.added) == ["17.1"]
    assert references(comparison.removed) == ["16.3"]
    assert references(comparison.moved) == ["16.2"]
    assert comparison.changed == []  # the draft of May never counts
    [moved] = comparison.moved
    assert (moved.ambition_before[1], moved.ambition_after[1]) == (
        "Ambition n° 16 : Simplifier l'accès",
        "Ambition n° 17 : Dématérialiser",
    )
    assert comparison.counts[2] == ("Projets", 3, 3)
    assert "de l'Ambition n° 16 : Simplifier l&#x27;accès à l'Ambition n° 17 : Dématérialiser" in html


def test_the_comparison_before_the_cop_existed_adds_everything(agent_client, cop_over_time):
    comparison, _ = compared(agent_client, "2021-12-31", "2022-01-10")
    assert references(comparison.added) == ["16.1", "16.2", "16.3"]


def test_the_comparison_asks_for_two_valid_dates_in_french(agent_client):
    html = html_of(agent_client, reverse("evolutions_compare") + "?du=2022-13-01&au=")
    assert "Date invalide" in html
    assert "Indiquez la seconde date à comparer." in html
    html = html_of(agent_client, reverse("evolutions_compare") + "?du=2022-05-01&au=2022-01-01")
    assert "La seconde date précède la première" in html
    assert 'for="id_du">Première date</label>' in html


def test_editions_are_offered_as_presets(agent_client):
    EditionFactory(name="Édition de mars 2022", date=datetime.date(2022, 3, 1))
    EditionFactory(name="Édition de juin 2022", date=datetime.date(2022, 6, 30))
    html = html_of(agent_client, reverse("evolutions_compare"))
    assert "?du=2022-03-01&amp;au=2022-06-30" in html
    assert "De « Édition de mars 2022 » à « Édition de juin 2022 »" in html
    assert "De « Édition de juin 2022 » à aujourd&#x27;hui" in html


def test_editors_manage_editions_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("wagtailsnippets_history_edition:add"),
        {"name": "Édition de mars 2022", "date": "2022-03-01", "description": ""},
    )
    assert response.status_code == 302
    assert Edition.objects.get().name == "Édition de mars 2022"
    listing = admin_client.get(reverse("wagtailsnippets_history_edition:list")).content.decode()
    assert "Édition de mars 2022" in listing


# Renumbering


def test_a_renumbered_ambition_keeps_its_old_short_link_and_the_history_says_so(agent_client, ambition):
    publish(ambition)
    publish(ambition, number=18)
    response = agent_client.get("/ambitions/16/")
    assert response.status_code == 302
    assert response["Location"] == ambition.url
    html = html_of(agent_client, history_url(ambition))
    assert '<span class="change-list__before">16</span>' in html
    assert "<strong>18</strong>" in html
    assert 'l\'ancienne adresse <a href="/ambitions/16/">/ambitions/16/</a> redirige ici' in html


def test_a_project_with_a_new_reference_keeps_its_old_short_link(agent_client, project):
    publish(project)
    publish(project, reference="16.9")
    assert agent_client.get("/projets/16.1/")["Location"] == project.url
    assert agent_client.get("/projets/16.9/")["Location"] == project.url


def test_an_old_number_given_to_another_page_leads_to_that_page(agent_client, axis, ambition):
    publish(ambition)
    publish(ambition, number=18)
    newcomer = AmbitionPageFactory(parent=axis, number=16)
    publish(newcomer)
    assert agent_client.get("/ambitions/16/")["Location"] == newcomer.url
    publish(newcomer, number=19)
    publish(ambition, number=16)
    assert agent_client.get("/ambitions/16/")["Location"] == ambition.url
    assert not Redirect.objects.filter(old_path="/ambitions/16").exists()


def test_a_draft_renumbering_redirects_nothing(agent_client, ambition):
    publish(ambition)
    save_draft(ambition, number=18)
    assert not Redirect.objects.exists()
