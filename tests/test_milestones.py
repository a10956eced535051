"""Milestones (jalons) of projects: on the project page and in its history, late on the editors'
dashboard, cleared by the référent's proposal, and on the COP's calendar."""

import datetime
import re

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from axes.cops import cops_scope
from axes.models import Milestone, ProjectPage, ProjectStatus
from editorial import roles
from editorial.dashboard import EditorialDashboardPanel
from history.diff import changes_between, summary_of

from .clients import client_for
from .factories import AmbitionPageFactory, AxisPageFactory, MilestoneFactory, ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"{url} répond {response.status_code}"
    return response.content.decode()


def with_milestones(project, *milestones):
    """`project` holding `milestones` (title, planned date[, done date]), not saved yet."""
    project.milestones = [
        Milestone(title=title, planned_date=planned, done_date=done[0] if done else None)
        for title, planned, *done in milestones
    ]
    return project


def publish(project, user, *milestones):
    """A new version of `project` with `milestones`, published as a moderator does."""
    with_milestones(project, *milestones).save_revision(user=user).publish(
        user=user, skip_permission_checks=True
    )
    return ProjectPage.objects.get(pk=project.pk)


# --- On the project page ---------------------------------------------------------------------------


def test_the_project_page_lists_its_milestones_in_date_order_with_what_is_late(
    agent_client, project, moderator
):
    publish(
        project,
        moderator,
        ("Ouverture au public", today() + 60 * DAY),
        ("Cahier des charges", today() - 90 * DAY, today() - 80 * DAY),
        ("Choix du prestataire", today() - 10 * DAY),
    )
    html = html_of(agent_client, project.url)
    assert (
        html.index("Cahier des charges")
        < html.index("Choix du prestataire")
        < html.index("Ouverture au public")
    )
    assert "réalisé le" in html and "en retard" in html and "à venir" in html
    assert "<caption" in html and 'scope="row">Choix du prestataire</th>' in html


def test_a_project_without_milestones_shows_no_milestone_table(agent_client, project):
    assert "Jalons" not in html_of(agent_client, project.url)


def test_a_draft_milestone_never_shows_on_the_project_page(agent_client, project, moderator):
    project = publish(project, moderator, ("Cahier des charges", today() + 10 * DAY))
    with_milestones(
        project, ("Cahier des charges", today() + 10 * DAY), ("Jalon confidentiel", today() + 20 * DAY)
    ).save_revision(user=moderator)
    html = html_of(agent_client, project.url)
    assert "Cahier des charges" in html
    assert "Jalon confidentiel" not in html


def test_a_milestone_turns_late_on_the_cached_page_the_day_after_its_date(
    agent_client, project, moderator, page_cache
):
    publish(project, moderator, ("Choix du prestataire", datetime.date(2026, 3, 16)))
    city = timezone.get_current_timezone()
    with time_machine.travel(datetime.datetime(2026, 3, 16, 23, 50, tzinfo=city)):
        assert "en retard" not in html_of(agent_client, project.url)
    with time_machine.travel(
        datetime.datetime(2026, 3, 17, 0, 10, tzinfo=city)
    ):  # the fragment is still fresh
        assert "en retard" in html_of(agent_client, project.url)


# --- What is late --------------------------------------------------------------------------------


def test_a_milestone_is_late_when_undone_past_its_date_in_a_live_project_under_way(ambition, project):
    done = MilestoneFactory(project=project, planned_date=today() - 9 * DAY, done_date=today() - 8 * DAY)
    upcoming = MilestoneFactory(project=project, planned_date=today())
    late = MilestoneFactory(project=project, planned_date=today() - DAY)
    finished = ProjectPageFactory(parent=ambition, reference="16.2", status=ProjectStatus.REALISE)
    given_up = ProjectPageFactory(parent=ambition, reference="16.3", status=ProjectStatus.ABANDONNE)
    draft = ProjectPageFactory(parent=ambition, reference="16.4", live=False)
    past = today() - 30 * DAY
    closed = [MilestoneFactory(project=closed, planned_date=past) for closed in (finished, given_up)]
    unpublished = MilestoneFactory(project=draft, planned_date=past)

    assert list(Milestone.objects.late(today())) == [late]
    assert [m.is_late(today()) for m in (done, upcoming, late, *closed)] == [False, False, True, False, False]
    assert not Milestone.objects.late(today()).filter(pk=unpublished.pk).exists()
    assert [m.state_on(today()) for m in (done, upcoming, late, closed[0])] == [
        "done",
        "upcoming",
        "late",
        "undone",
    ]


# --- On the editors' dashboard -------------------------------------------------------------------


def dashboard_html():
    with cops_scope():  # as in a request
        return EditorialDashboardPanel().render_html({})


def test_the_dashboard_lists_late_milestones_with_a_count_per_axis(axis, ambition, project):
    other_axis = AxisPageFactory(parent=axis.get_parent(), number=3, title="Développer la qualité de vie")
    other_project = ProjectPageFactory(
        parent=AmbitionPageFactory(parent=other_axis, number=20), reference="20.1"
    )
    MilestoneFactory(project=project, title="Choix du prestataire", planned_date=today() - 5 * DAY)
    MilestoneFactory(project=other_project, title="Permis déposé", planned_date=today() - 40 * DAY)
    MilestoneFactory(project=other_project, title="Travaux", planned_date=today() + 40 * DAY)

    context = EditorialDashboardPanel().get_context_data({})
    late = context["late_milestones"]
    assert [milestone.title for milestone in late.items] == ["Permis déposé", "Choix du prestataire"]
    assert late.total == 2
    assert [(row_axis, counts[2]) for row_axis, counts in context["axis_rows"]] == [
        (axis, 1),
        (other_axis, 1),
    ]
    html = dashboard_html()
    assert "Jalons en retard (2)" in html
    assert "20.1 " in html and "« Permis déposé », prévu le" in html


def test_the_dashboard_says_when_no_milestone_is_late(project):
    MilestoneFactory(project=project, planned_date=today() - 5 * DAY, done_date=today() - 6 * DAY)
    assert "Aucun jalon n'est en retard." in dashboard_html()


def test_the_dashboard_caps_late_milestones_and_keeps_its_query_count(ambition, project):
    MilestoneFactory(project=project, planned_date=today() - DAY)
    with CaptureQueriesContext(connection) as few:
        dashboard_html()
    for number in range(12):
        late_project = ProjectPageFactory(parent=ambition, reference=f"16.{10 + number}")
        MilestoneFactory.create_batch(2, project=late_project, planned_date=today() - 3 * DAY)
    with CaptureQueriesContext(connection) as many:
        html = dashboard_html()
    assert len(many) == len(few)
    assert "Les 10 premiers sur 25." in html


# --- The référent clears a late milestone ------------------------------------------------------


@pytest.fixture
def referent(relation_usagers):
    """A référent of the service that leads `project`."""
    user = UserFactory(username="referent", first_name="Claude", last_name="Référente")
    user.groups.add(Group.objects.get(name=roles.REFERENTS))
    user.services.add(relation_usagers)
    return user


def proposal_url(project):
    return reverse("propose_update", args=[project.reference])


def form_as_sent(client, project, **changes):
    """What the browser sends back of the proposal form, with `changes` typed in."""
    form = client.get(proposal_url(project)).context["form"]
    data = {field.html_name: field.value() for field in form}
    data = {
        name: value.isoformat() if isinstance(value, datetime.date) else value or ""
        for name, value in data.items()
    }
    return {**data, **changes}


def milestone_field(milestone):
    return f"milestone_{milestone.pk}_done_date"


def approve(project, moderator):
    task_state = project.workflow_states.get().current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[project.pk, "approve", task_state.pk])
    assert client_for(moderator).post(url, {"comment": ""}).status_code == 302


def test_the_referent_clears_a_late_milestone_and_the_moderator_approves(
    agent_client, project, referent, moderator
):
    late = MilestoneFactory(project=project, title="Choix du prestataire", planned_date=today() - 10 * DAY)
    client = client_for(referent)
    form_page = html_of(client, proposal_url(project))
    assert "« Choix du prestataire » réalisé le" in form_page and "en retard" in form_page

    done = today() - 2 * DAY
    sent = form_as_sent(client, project, **{milestone_field(late): done.isoformat(), "note": "Attribué."})
    assert client.post(proposal_url(project), sent).status_code == 302
    assert list(Milestone.objects.late(today())) == [late], "late until the moderators approve"
    assert "en retard" in html_of(agent_client, project.url)

    approve(project, moderator)
    assert Milestone.objects.get(pk=late.pk).done_date == done
    assert not Milestone.objects.late(today()).exists()
    assert "en retard" not in html_of(agent_client, project.url)


def test_the_referent_adds_a_milestone(project, referent, moderator):
    MilestoneFactory(project=project, title="Choix du prestataire", planned_date=today() - 10 * DAY)
    client = client_for(referent)
    planned = today() + 30 * DAY
    sent = form_as_sent(
        client,
        project,
        new_milestone_title="Ouverture au public",
        new_milestone_planned_date=planned.isoformat(),
        note="Date d'ouverture fixée.",
    )
    assert client.post(proposal_url(project), sent).status_code == 302
    approve(project, moderator)
    milestones = project.milestones.order_by("planned_date")
    assert [(m.title, m.planned_date, m.done_date) for m in milestones] == [
        ("Choix du prestataire", today() - 10 * DAY, None),
        ("Ouverture au public", planned, None),
    ]


@pytest.mark.parametrize(
    ("typed", "field", "error"),
    [
        ({"done": 1}, "done", "Un jalon se déclare réalisé une fois qu'il l'est : pas à une date future."),
        (
            {"new_milestone_title": "Ouverture"},
            "new_milestone_planned_date",
            "Indiquez la date prévue du nouveau jalon.",
        ),
        (
            {"new_milestone_planned_date": "2030-01-31"},
            "new_milestone_title",
            "Donnez un intitulé au nouveau jalon.",
        ),
        ({"done": "pas une date"}, "done", "Saisissez une date valide."),
    ],
)
def test_milestone_errors_are_in_french(project, referent, typed, field, error):
    milestone = MilestoneFactory(project=project, planned_date=today() - 10 * DAY)
    if "done" in typed:
        value = typed.pop("done")
        typed[milestone_field(milestone)] = (
            (today() + value * DAY).isoformat() if isinstance(value, int) else value
        )
        field = milestone_field(milestone)
    client = client_for(referent)
    response = client.post(proposal_url(project), form_as_sent(client, project, note="Mise à jour.", **typed))
    assert response.status_code == 200
    assert error in response.context["form"].errors[field]
    assert not project.workflow_states.exists()


def test_a_proposal_that_changes_no_milestone_nor_anything_else_is_refused(project, referent):
    MilestoneFactory(project=project, planned_date=today() - 10 * DAY, done_date=today() - 9 * DAY)
    client = client_for(referent)
    response = client.post(proposal_url(project), form_as_sent(client, project, note="Rien de neuf."))
    assert "Modifiez au moins une information du projet (statut, avancement, dates ou jalons)" in (
        response.content.decode()
    )


# --- In the history ------------------------------------------------------------------------------


def revision_milestone(title, planned, done=None, pk=None):
    return {"pk": pk, "title": title, "planned_date": planned, "done_date": done, "sort_order": 0}


def test_the_diff_tells_milestones_added_removed_done_and_moved_in_french():
    before = {
        "milestones": [
            revision_milestone("Cahier des charges", "2025-01-31", pk=7),
            revision_milestone("Choix du prestataire", "2025-03-31", pk=8),
            revision_milestone("Étude abandonnée", "2025-02-28", pk=9),
        ]
    }
    after = {
        "milestones": [
            revision_milestone("Cahier des charges", "2025-01-31", "2025-02-03", pk=7),
            revision_milestone("Choix du prestataire", "2025-05-31", pk=8),
            revision_milestone("Ouverture au public", "2025-09-01"),
        ]
    }
    assert summary_of(changes_between(ProjectPage, before, after, {})) == (
        "jalons : ajouté : « Ouverture au public », prévu le 1 septembre 2025 ; "
        "retiré : « Étude abandonnée » ; "
        "« Cahier des charges » : non réalisé → réalisé le 3 février 2025 ; "
        "« Choix du prestataire » : prévu le 31 mars 2025 → prévu le 31 mai 2025"
    )


def test_a_milestone_first_published_is_the_same_milestone_once_it_has_an_id():
    """Its first revision was saved before the publication gave it an id."""
    before = {"milestones": [revision_milestone("Cahier des charges", "2025-01-31")]}
    after = {"milestones": [revision_milestone("Cahier des charges", "2025-01-31", pk=12)]}
    assert changes_between(ProjectPage, before, after, {}) == []


def test_the_history_tells_a_milestone_done(agent_client, project, moderator):
    project = publish(project, moderator, ("Cahier des charges", datetime.date(2025, 1, 31)))
    project = publish(
        project, moderator, ("Cahier des charges", datetime.date(2025, 1, 31), datetime.date(2025, 2, 3))
    )
    text = html_of(agent_client, project.url + "historique/").replace("\xa0", " ")
    assert "« Cahier des charges » : non réalisé → réalisé le 3 février 2025" in text


# --- The calendar --------------------------------------------------------------------------------


@pytest.fixture
def two_axes(axis, ambition, project, relation_usagers, education, moderator):
    """Axis 2 (project 16.1, from 2024 to 2026, with two milestones, and 16.2, undated) and axis 3
    (project 20.1, led by Éducation)."""
    project.start_date, project.due_date = datetime.date(2024, 1, 15), datetime.date(2026, 12, 31)
    publish(
        project,
        moderator,
        ("Cahier des charges", datetime.date(2024, 6, 30), datetime.date(2024, 7, 2)),
        ("Ouverture au public", datetime.date(2026, 9, 1)),
    )
    ProjectPageFactory(
        parent=ambition, reference="16.2", title="Ouvrir un guichet unique", pilot_service=education
    )
    other_axis = AxisPageFactory(parent=axis.get_parent(), number=3, title="Développer la qualité de vie")
    ProjectPageFactory(
        parent=AmbitionPageFactory(parent=other_axis, number=20),
        reference="20.1",
        title="Rénover les écoles",
        pilot_service=education,
        start_date=datetime.date(2025, 3, 1),
        due_date=datetime.date(2027, 6, 30),
    )
    return other_axis


def headings(html):
    return re.findall(r"<h2[^>]*>([^<]*)</h2>", html)


def calendar_url(query=""):
    return reverse("calendar") + query


def test_the_calendar_shows_each_axis_projects_from_start_to_due_date_with_their_milestones(
    agent_client, two_axes
):
    html = html_of(agent_client, calendar_url())
    assert headings(html) == [
        "Axe 2\xa0: Accompagner la transition numérique",
        "Axe 3\xa0: Développer la qualité de vie",
        "Projets sans dates de début et d'échéance",
    ]
    assert "du 15\xa0janvier 2024 au 31\xa0décembre 2026" in html
    assert "Cahier des charges&nbsp;: prévu le 30\xa0juin 2024, réalisé le 2\xa0juillet 2024" in html
    assert "Ouverture au public&nbsp;: prévu le 1er\xa0septembre 2026" in html
    # The scale runs from 2024 to 2027 (four years): 16.1 starts 14 days into it.
    assert 'class="calendar-bar status-bg--engage" style="left: 0.96%; width: 73.99%"' in html
    assert html.index("Rénover les écoles") < html.index("Ouvrir un guichet unique")  # the undated one apart
    assert "3\xa0projets, dont 1 sans dates de début et d'échéance." in html


def test_the_calendar_is_in_the_navigation_and_linked_from_axes_and_services(agent_client, two_axes, axis):
    assert f'href="{calendar_url()}"' in html_of(agent_client, "/")
    assert f'href="{calendar_url("?axe=2")}"' in html_of(agent_client, axis.url)
    assert f'href="{calendar_url("?service=education")}"' in html_of(agent_client, "/services/education/")


def test_the_calendar_filters_by_axis(agent_client, two_axes):
    html = html_of(agent_client, calendar_url("?axe=3"))
    assert "Rénover les écoles" in html
    assert "16.1" not in html and "Ouvrir un guichet unique" not in html


def test_the_calendar_of_a_service_groups_its_projects_by_pilot_its_own_first(agent_client, two_axes):
    html = html_of(agent_client, calendar_url("?service=education"))
    assert headings(html) == [
        "Service pilote\xa0: Éducation",
        "Service pilote\xa0: Relation usagers",
        "Projets sans dates de début et d'échéance",
    ]
    assert html.index("Rénover les écoles") < html.index("Créer l&#x27;application")
    assert "avec le service Éducation" in html
    assert "Relation usagers" in html_of(agent_client, calendar_url("?service=education&axe=2"))
    assert "Rénover les écoles" not in html_of(agent_client, calendar_url("?service=relation-usagers"))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?axe=abc", "Cet axe n'existe pas dans ce COP\u00a0: ce filtre est ignoré."),
        ("?axe=9", "Cet axe n'existe pas dans ce COP\u00a0: ce filtre est ignoré."),
        ("?axe=99999999999999999999", "Cet axe n'existe pas dans ce COP\u00a0: ce filtre est ignoré."),
        ("?service=inconnu", "Ce service n'existe pas\u00a0: ce filtre est ignoré."),
        ("?service=%00", "Le caractère nul n’est pas autorisé."),
        ("?service=education&axe=x", "Cet axe n'existe pas dans ce COP\u00a0: ce filtre est ignoré."),
    ],
)
def test_a_bad_filter_is_said_in_french_and_left_out(agent_client, two_axes, query, message):
    response = agent_client.get(calendar_url(query))
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert message in html
    assert "Rénover les écoles" in html


def test_a_draft_milestone_or_project_never_shows_on_the_calendar(agent_client, two_axes, project, ambition):
    project = ProjectPage.objects.get(pk=project.pk)
    project.milestones = [
        *project.milestones.all(),
        Milestone(title="Jalon confidentiel", planned_date=today()),
    ]
    project.save_revision()
    ProjectPageFactory(parent=ambition, reference="16.9", title="Projet en brouillon", live=False)
    html = html_of(agent_client, calendar_url())
    assert "Ouverture au public" in html
    assert "Jalon confidentiel" not in html and "Projet en brouillon" not in html


def calendar_queries(client, url):
    """The queries of a second visit (the first one may note the agent's session once)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        html_of(client, url)
    return len(queries)


def test_the_calendar_query_count_does_not_grow_with_the_projects(
    agent_client, axis, ambition, relation_usagers
):
    def add_projects(count, first):
        for number in range(first, first + count):
            dated = ProjectPageFactory(
                parent=ambition,
                reference=f"16.{number}",
                pilot_service=relation_usagers,
                start_date=datetime.date(2024, 1, 1),
                due_date=datetime.date(2027, 1, 1),
            )
            MilestoneFactory.create_batch(2, project=dated, planned_date=datetime.date(2025, 1, 1))

    add_projects(5, first=1)
    few = {
        query: calendar_queries(agent_client, calendar_url(query))
        for query in ("", "?axe=2&service=relation-usagers")
    }
    add_projects(45, first=6)
    many = {query: calendar_queries(agent_client, calendar_url(query)) for query in few}
    assert many == few
    assert "50\xa0projets" in html_of(agent_client, calendar_url())


def test_an_archived_cops_calendar_shows_its_projects_in_its_words(agent_client, two_axes, relation_usagers):
    from .test_several_cops import OTHER_WORDS, make_cop

    cop = make_cop("COP 2014–2020", "2014-2020", start_year=2014, end_year=2020, archived=True, **OTHER_WORDS)
    other_axis = AxisPageFactory(parent=cop, number=2, title="Une ville qui se déplace autrement")
    ProjectPageFactory(
        parent=AmbitionPageFactory(parent=other_axis, number=16),
        reference="16.1",
        title="Tracer la piste cyclable",
        pilot_service=relation_usagers,
        start_date=datetime.date(2015, 1, 1),
        due_date=datetime.date(2018, 12, 31),
    )
    html = html_of(agent_client, "/cops/2014-2020/calendrier/")
    assert "Calendrier des fiches action" in html and "Orientation 2\xa0: Une ville" in html
    assert 'href="/cops/2014-2020/une-ville-qui-se-deplace-autrement/' in html
    assert "Tracer la piste cyclable" in html and "Rénover les écoles" not in html
    assert "Rénover les écoles" in html_of(agent_client, calendar_url())
    assert "Tracer la piste cyclable" not in html_of(agent_client, calendar_url())
    assert (
        html_of(agent_client, "/cops/2014-2020/une-ville-qui-se-deplace-autrement/").count(
            'href="/cops/2014-2020/calendrier/?axe=2"'
        )
        == 1
    )


def test_the_calendar_is_private(client, two_axes):
    assert client.get(calendar_url())["Location"].startswith("/connexion/")
