"""The editorial trail holds on every path that changes content (issue 12).

Each path runs on the same small published COP, in which an editor keeps an unapproved draft of
project 16.2 and a project that was never published, both holding a secret word. After each path:

(a) every live page is exactly the revision its last publication approved;
(b) the secret is on no reader surface (the crawler of tests/reader_surfaces.py);
(c) each publication has one log entry, and its validator and notes show in the public history;
(d) the path created exactly the revisions that its users asked for.
"""

import datetime
import io
import json
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.actions.move_page import MovePageAction
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.test.utils.form_data import querydict_from_html

import pytest
import time_machine

from axes.models import Milestone, ProjectPage
from editorial import roles
from indicators.models import Indicator, IndicatorValue

from .clients import client_for
from .factories import AmbitionPageFactory, IndicatorFactory, ProjectPageFactory, UserFactory
from .reader_surfaces import surface_texts, surfaces_showing

pytestmark = pytest.mark.django_db

SECRET = "Zorglub"
PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")
COMMENT = "Validé en comité de pilotage."
NOTE = "Livré en mars."
# An indicator's value that no moderator approved, as typed and as a page would write it.
DRAFT_VALUE = 987654
DRAFT_VALUE_WRITTEN = "987654"
DRAFT_VALUE_SHOWN = "987\u202f654"


@dataclass
class Expected:
    """What a path should leave behind: the revisions its users asked for, and the publications
    (page, validator's name, notes that its history shows)."""

    revisions: int = 0
    publications: list = field(default_factory=list)


def member(username, group=None, services=(), **fields):
    user = UserFactory(username=username, first_name=username.capitalize(), last_name="Martin", **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    user.services.add(*services)
    return user


def publish(page, user):
    page.save_revision(user=user).publish(user=user, skip_permission_checks=True)


def fresh(page):
    return Page.objects.get(pk=page.pk).specific


@dataclass
class Cop:
    people: dict
    pages: dict

    def client(self, role):
        return client_for(self.people[role])

    def name(self, role):
        return self.people[role].get_full_name()


@pytest.fixture
def cop(home, axis, ambition, project, relation_usagers):
    people = {
        "agent": member("agent", roles.AGENTS, [relation_usagers]),
        "referent": member("referent", roles.REFERENTS, [relation_usagers]),
        "editor": member("editeur", roles.EDITORS),
        "moderator": member("moderateur", roles.MODERATORS),
        "administrator": member("admin", is_staff=True, is_superuser=True),
    }
    other_ambition = AmbitionPageFactory(parent=axis, number=17, title="Former les agents au numérique")
    guichet = ProjectPageFactory(
        parent=ambition, reference="16.2", title="Ouvrir un guichet unique", pilot_service=relation_usagers
    )
    for page in (axis, ambition, other_ambition, project, guichet):
        publish(page, people["moderator"])
    # The unapproved work that must show nowhere, whatever the path does.
    draft = fresh(guichet)
    draft.title, draft.summary = f"Guichet {SECRET}", f"Le guichet {SECRET}."
    draft.milestones.add(Milestone(title=f"Jalon {SECRET}", planned_date=datetime.date(2026, 3, 1)))
    draft.save_revision(user=people["editor"])
    ProjectPageFactory(parent=ambition, reference="16.9", title=f"Brouillon {SECRET}", live=False)
    # An indicator with an editor's unapproved draft, and one never published.
    indicator = IndicatorFactory(
        name="Démarches en ligne", slug="demarches", service=relation_usagers, ambitions=[ambition]
    )
    indicator.name = f"Démarches {SECRET}"
    indicator.values.add(IndicatorValue(date=datetime.date(2025, 6, 30), value=DRAFT_VALUE))
    indicator.save_revision(user=people["editor"])
    IndicatorFactory(name=f"Indicateur {SECRET}", live=False, ambitions=[ambition])
    IndicatorFactory(
        name="Usagers accueillis", slug="accueil", service=relation_usagers, ambitions=[ambition]
    )
    pages = {"project": fresh(project), "ambition": ambition, "other_ambition": other_ambition}
    return Cop(people, pages)


# --- The paths ---------------------------------------------------------------------------------


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def editor_form(client, page, **changes):
    data = querydict_from_html(client.get(edit_url(page)).content.decode(), form_id="page-edit-form")
    for name, value in changes.items():
        data[name] = value
    return data


def submit_in_editor(cop, title="Créer l'application de la ville, version 2"):
    client = cop.client("editor")
    project = cop.pages["project"]
    client.post(
        edit_url(project), editor_form(client, project, title=title, **{"action-submit": "Soumettre"})
    )
    return fresh(project)


def task_state(page):
    return fresh(page).current_workflow_task_state


def act_from_dashboard(cop, page, action, comment=COMMENT):
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state(page).pk])
    return cop.client("moderator").post(url, {"comment": comment})


def act_from_editor(cop, page, action, comment=COMMENT):
    client = cop.client("moderator")
    data = editor_form(client, page)
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = action
    data["workflow-action-extra-data"] = json.dumps({"comment": comment})
    client.post(edit_url(page), data)
    # What the editor's autosave posts a second later: the same form, still carrying the action.
    client.post(edit_url(page), data, HTTP_ACCEPT="application/json")


def editor_saves_and_submits(cop):
    submit_in_editor(cop)
    return Expected(revisions=1)


def moderator_publishes_in_editor(cop):
    client = cop.client("moderator")
    project = cop.pages["project"]
    data = editor_form(client, project, title="Créer l'application", **{"action-publish": "Publier"})
    client.post(edit_url(project), data)
    return Expected(revisions=1, publications=[(project, cop.name("moderator"), [])])


def approve_from_dashboard(cop):
    project = submit_in_editor(cop)
    act_from_dashboard(cop, project, "approve")
    return Expected(revisions=1, publications=[(project, cop.name("moderator"), [COMMENT])])


def approve_from_editor(cop):
    project = submit_in_editor(cop)
    act_from_editor(cop, project, "approve")
    return Expected(revisions=1, publications=[(project, cop.name("moderator"), [COMMENT])])


def reject_from_dashboard(cop):
    project = submit_in_editor(cop, title=f"Application {SECRET}")
    act_from_dashboard(cop, project, "reject")
    return Expected(revisions=1)


def reject_from_editor(cop):
    project = submit_in_editor(cop, title=f"Application {SECRET}")
    act_from_editor(cop, project, "reject")
    return Expected(revisions=1)


def referent_proposal_approved(cop):
    project = cop.pages["project"]
    proposal = reverse("propose_update", args=[project.reference])
    cop.client("referent").post(proposal, {"status": "realise", "progress": 100, "note": NOTE})
    act_from_dashboard(cop, project, "approve")
    return Expected(revisions=1, publications=[(project, cop.name("moderator"), [NOTE, COMMENT])])


def referent_proposal_pending(cop):
    project = cop.pages["project"]
    proposal = reverse("propose_update", args=[project.reference])
    cop.client("referent").post(proposal, {"status": "abandonne", "note": f"Note {SECRET}"})
    return Expected(revisions=1)


def referent_proposes_a_value(cop):
    """The référent's value waits for the moderators: readers see none of it."""
    proposal = reverse("propose_indicator_value", args=["demarches"])
    response = cop.client("referent").post(
        proposal, {"date": "2025-12-31", "value": DRAFT_VALUE_WRITTEN, "note": f"Note {SECRET}"}
    )
    assert response.status_code == 302, response.content.decode()
    assert Indicator.objects.get(slug="demarches").workflow_in_progress
    return Expected()


def editor_imports_values(cop):
    """An editor's values go to the moderators, not to the readers."""
    client = cop.client("editor")
    url = reverse("spreadsheets_import_values")
    upload = io.BytesIO(f"indicateur;date;valeur\naccueil;2024-12-31;{DRAFT_VALUE_WRITTEN}\n".encode())
    upload.name = "valeurs.csv"
    response = client.post(url, {"file": upload})
    token = response.context["pending"]["token"]
    client.post(url, {"confirm": "1", "token": token})
    assert Indicator.objects.get(slug="accueil").workflow_in_progress
    return Expected()


IMPORT_HEADER = "ref;axe;ambition;titre;resume;statut;service_pilote;avancement\n"


def import_file(rows):
    return (IMPORT_HEADER + "".join(f"{row}\n" for row in rows)).encode()


def import_rows():
    """16.1 changed and moved to ambition 17, 16.2 (whose draft must be left alone) changed too,
    16.5 new."""
    return [
        "16.1;2;17;Créer l'application de la ville;Une application pour faire ses démarches en ligne.;"
        "engage;Relation usagers;60",
        "16.2;2;16;Ouvrir un guichet unique;Un guichet pour toutes les démarches.;realise;"
        "Relation usagers;100",
        "16.5;2;16;Former aux démarches en ligne;Des ateliers dans les maisons de quartier.;en_projet;"
        "Relation usagers;",
    ]


def import_by_moderator(cop, tmp_path):
    path = tmp_path / "projets.csv"
    path.write_bytes(import_file(import_rows()))
    call_command("import_cop", str(path), "--user", "moderateur", "--skip-drafts", stdout=io.StringIO())
    new = ProjectPage.objects.get(reference="16.5")
    moderator = cop.name("moderator")
    return Expected(revisions=2, publications=[(cop.pages["project"], moderator, []), (new, moderator, [])])


def import_by_editor(cop):
    """In the admin, an editor's changes go to the moderators; the move is refused, so it is left out."""
    rows = [row.replace("16.1;2;17;", "16.1;2;16;") for row in import_rows()]
    client = cop.client("editor")
    url = reverse("spreadsheets_import")
    upload = io.BytesIO(import_file(rows))
    upload.name = "projets.csv"
    response = client.post(url, {"file": upload, "skip_drafts": "on"})
    token = response.context["pending"]["token"]
    client.post(url, {"confirm": "1", "token": token})
    return Expected(revisions=2)


def move_to_another_ambition(cop):
    administrator = cop.people["administrator"]
    MovePageAction(cop.pages["project"], cop.pages["other_ambition"], "last-child", administrator).execute()
    return Expected()


def copy_in_admin(cop):
    project = cop.pages["project"]
    url = reverse("wagtailadmin_pages:copy", args=[project.pk])
    data = {
        "new_title": f"Copie {SECRET}",
        "new_reference": "16.7",
        "new_slug": "copie",
        "new_parent_page": project.get_parent().pk,
        "publish_copies": "on",
    }
    cop.client("moderator").post(url, data)
    assert ProjectPage.objects.filter(reference="16.7", live=False).exists()
    return Expected(revisions=1)


def revert_to_an_earlier_version(cop):
    project = cop.pages["project"]
    first = project.live_revision
    moderator_publishes_in_editor(cop)
    client = cop.client("moderator")
    url = reverse("wagtailadmin_pages:revisions_revert", args=[project.pk, first.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data["action-publish"] = "Publier"
    client.post(edit_url(project), data)
    assert fresh(project).title == first.as_object().title
    moderator = cop.name("moderator")
    return Expected(revisions=2, publications=[(project, moderator, []), (project, moderator, [])])


def scheduled_publication(cop):
    project = cop.pages["project"]
    client = cop.client("moderator")
    go_live = timezone.localtime() + datetime.timedelta(days=1)
    data = editor_form(
        client,
        project,
        title="Créer l'application, le jour venu",
        go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
        **{"action-publish": "Publier"},
    )
    client.post(edit_url(project), data)
    assert fresh(project).title != "Créer l'application, le jour venu"
    with time_machine.travel(go_live + datetime.timedelta(minutes=5)):
        call_command("publish_scheduled", stdout=io.StringIO())
    assert fresh(project).title == "Créer l'application, le jour venu"
    return Expected(
        revisions=1, publications=[(project, f"{cop.name('moderator')} (publication programmée)", [])]
    )


def unpublish(cop):
    project = cop.pages["project"]
    url = reverse("wagtailadmin_pages:unpublish", args=[project.pk])
    cop.client("moderator").post(url)
    assert not fresh(project).live
    return Expected()


PATHS = [
    editor_saves_and_submits,
    moderator_publishes_in_editor,
    approve_from_dashboard,
    approve_from_editor,
    reject_from_dashboard,
    reject_from_editor,
    referent_proposal_approved,
    referent_proposal_pending,
    referent_proposes_a_value,
    editor_imports_values,
    import_by_moderator,
    import_by_editor,
    move_to_another_ambition,
    copy_in_admin,
    revert_to_an_earlier_version,
    scheduled_publication,
    unpublish,
]


# --- The invariants ----------------------------------------------------------------------------


def trail_state():
    return {
        "revisions": Revision.page_revisions.count(),
        "publications": set(
            PageLogEntry.objects.filter(action__in=PUBLISH_ACTIONS).values_list("pk", flat=True)
        ),
    }


def assert_live_pages_are_their_last_approved_revision():
    for page in Page.objects.filter(depth__gt=2, live=True).specific():
        last = (
            PageLogEntry.objects.filter(page=page, action__in=PUBLISH_ACTIONS)
            .order_by("-timestamp", "-pk")
            .first()
        )
        assert last is not None, page
        assert page.live_revision_id == last.revision_id, page
        approved = last.revision.as_object()
        assert page.title == approved.title, page
        for name in ("reference", "summary", "status", "progress", "number"):
            assert getattr(page, name, None) == getattr(approved, name, None), (page, name)


def assert_publications_told(cop, before, expected):
    new = PageLogEntry.objects.filter(action__in=PUBLISH_ACTIONS).exclude(pk__in=before["publications"])
    assert sorted(entry.page_id for entry in new) == sorted(page.pk for page, _, _ in expected.publications)
    assert len({entry.revision_id for entry in new}) == new.count(), "one log entry per publication"
    agent = cop.client("agent")
    for page, validator, notes in expected.publications:
        history = agent.get(fresh(page).url + "historique/").content.decode()
        assert f"publiée par {validator}" in history.replace("&#x27;", "'"), (page, validator)
        for note in notes:
            assert note in history, (page, note)


@pytest.mark.parametrize("path", PATHS, ids=[path.__name__ for path in PATHS])
def test_the_trail_holds(path, cop, tmp_path):
    before = trail_state()
    expected = path(cop, tmp_path) if "tmp_path" in path.__code__.co_varnames else path(cop)

    assert_live_pages_are_their_last_approved_revision()
    agent = cop.people["agent"]
    texts = surface_texts(cop.client("agent"), agent, search_words=[SECRET[:-1]])
    assert surfaces_showing(SECRET, texts) == []
    assert surfaces_showing(DRAFT_VALUE_SHOWN, texts) == surfaces_showing(DRAFT_VALUE_WRITTEN, texts) == []
    assert_publications_told(cop, before, expected)
    assert trail_state()["revisions"] - before["revisions"] == expected.revisions
