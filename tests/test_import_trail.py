"""The import and the editorial trail (issue 12): an import starts from the live version, never
writes over a draft or a validation in progress, and an editor's import moves no published page."""

import io
import json

from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from wagtail.models import Revision, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

import pytest

from axes.models import ProjectPage
from editorial import roles
from spreadsheets.importer import Mode, Outcome, PendingState, plan_import

from .factories import AmbitionPageFactory, ProjectPageFactory, UserFactory
from .test_spreadsheets import IMPORT_URL, cop_state, csv_file, export_row, import_file, member, row, upload

pytestmark = pytest.mark.django_db

SECRET = "ornithorynque"


def live(reference):
    return ProjectPage.objects.get(reference=reference)


def latest_content(project):
    return ProjectPage.objects.get(pk=project.pk).get_latest_revision().content


def reader_sees(project):
    """The project's page as an agent reads it, through its short address."""
    reader = Client()
    reader.force_login(UserFactory(username="lecteur"))
    return reader.get(f"/projets/{project.reference}/", follow=True).content.decode()


def draftail(text):
    block = {"key": "a1b2c", "type": "unstyled", "text": text, "depth": 0}
    block |= {"inlineStyleRanges": [], "entityRanges": []}
    return json.dumps({"blocks": [block], "entityMap": {}})


def save_draft_in_the_page_editor(project, user, **changes):
    """`user` opens the page editor, changes some fields and saves a draft, as in the admin."""
    client = Client()
    client.force_login(user)
    url = reverse("wagtailadmin_pages:edit", args=[project.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    for name, value in changes.items():
        data[name] = value
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def save_draft(project, user=None, **changes):
    draft = project.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.save_revision(user=user)


def submit_for_moderation(project, user=None, **changes):
    save_draft(project, user, **changes)
    project.get_workflow().start(ProjectPage.objects.get(pk=project.pk), user)


def import_as_administrator(client, content, skip_drafts=False):
    """Uploads the file in the admin and confirms it if the preview lets it: the preview's response."""
    fields = {"file": upload(content)} | ({"skip_drafts": "on"} if skip_drafts else {})
    response = client.post(IMPORT_URL, fields)
    if response.context.get("pending") and response.context["plan"].is_valid:
        client.post(IMPORT_URL, {"confirm": "1", "token": response.context["pending"]["token"]})
    return response


# --- Reproduction 1: an import over an editor's draft -----------------------------------------


def test_an_import_that_changes_a_project_with_a_secret_draft_is_refused_and_publishes_nothing(
    project, admin_client
):
    editor, _ = member("editeur", roles.EDITORS)
    save_draft_in_the_page_editor(project, editor, body=draftail(f"Mot de passe : {SECRET}"))
    assert SECRET in latest_content(project)["body"]
    before = cop_state()

    response = import_as_administrator(admin_client, csv_file([row(avancement="33")]))

    html = response.content.decode()
    assert "Fichier refusé : 1\xa0erreur à corriger" in html
    assert (
        "Ligne 2, colonne « Référence » (ref), valeur « 16.1 » : ce projet a un brouillon non publié" in html
    )
    assert cop_state() == before
    assert SECRET not in reader_sees(project)
    assert live("16.1").has_unpublished_changes and SECRET in latest_content(project)["body"]


def test_with_drafts_left_alone_the_draft_stays_pending_and_the_other_rows_are_imported(
    project, admin_client
):
    ProjectPageFactory(
        parent=project.get_parent(),
        reference="16.2",
        summary="Un projet.",
        pilot_service=project.pilot_service,
    )
    editor, _ = member("editeur", roles.EDITORS)
    save_draft_in_the_page_editor(project, editor, body=draftail(f"Mot de passe : {SECRET}"))
    draft_revision = live("16.1").latest_revision_id
    content = csv_file([row(avancement="33"), {**export_row("16.2"), "avancement": "50"}])

    response = import_as_administrator(admin_client, content, skip_drafts=True)

    assert [project.row.reference for project in response.context["skipped"]] == ["16.1"]
    assert live("16.2").progress == 50
    project = live("16.1")
    assert (project.progress, project.latest_revision_id) == (40, draft_revision)
    assert project.has_unpublished_changes and SECRET in latest_content(project)["body"]
    assert SECRET not in reader_sees(project)


def test_the_import_writes_over_the_live_version_not_the_latest_revision(project):
    """A revision that Wagtail did not count as a change (`has_unpublished_changes` stays false)
    must not reach the readers either."""
    draft = project.get_latest_revision_as_object()
    draft.body = f"<p>{SECRET}</p>"
    draft.save_revision(changed=False)
    assert not live("16.1").has_unpublished_changes

    plan = import_file(csv_file([row(avancement="33")]))

    assert plan.counts() == {Outcome.CHANGED: 1}
    published = live("16.1")
    assert published.progress == 33 and SECRET not in published.body
    assert SECRET not in published.get_latest_revision().content["body"]


@pytest.mark.parametrize("mode", list(Mode))
def test_a_changed_row_over_any_unapproved_change_refuses_the_file_in_every_mode(project, ambition, mode):
    in_moderation = ProjectPageFactory(parent=ambition, reference="16.2", pilot_service=project.pilot_service)
    never_published = ProjectPageFactory(
        parent=ambition, reference="16.3", pilot_service=project.pilot_service, live=False
    )
    save_draft(project, title="Titre du brouillon")
    submit_for_moderation(in_moderation, title="Titre soumis")
    rows = [
        row(avancement="33"),
        {**row(avancement="33"), "ref": "16.2", "titre": in_moderation.title},
        {**row(avancement="33"), "ref": "16.3", "titre": never_published.title},
    ]
    before = cop_state()

    plan = import_file(csv_file(rows), mode=mode)

    assert [(problem.line, problem.reason.split(",")[0]) for problem in plan.problems] == [
        (2, "ce projet a un brouillon non publié"),
        (
            3,
            "ce projet attend déjà la validation des modérateurs et l'import passerait par-dessus : "
            "attendez leur décision",
        ),
        (4, "ce projet a un brouillon non publié"),
    ]
    assert cop_state() == before


def test_a_change_sent_back_by_the_moderators_is_a_draft_the_import_does_not_overtake(project):
    editor, _ = member("editeur", roles.EDITORS)
    moderator, _ = member("moderateur", roles.MODERATORS)
    submit_for_moderation(project, editor, title="Titre refusé")
    task_state = live("16.1").current_workflow_task_state
    task_state.task.specific.on_action(task_state, moderator, "reject")
    assert live("16.1").current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES

    plan = import_file(csv_file([row(avancement="33")]), mode=Mode.SUBMIT, user=editor)

    reasons = [problem.reason.split(",")[0] for problem in plan.problems]
    assert reasons == ["ce projet a un brouillon non publié"]
    assert latest_content(project)["title"] == "Titre refusé"


def test_an_unchanged_row_leaves_a_draft_in_place_so_export_then_import_stays_a_no_op(project):
    save_draft(project, title="Titre du brouillon")
    before = cop_state()
    plan = import_file(csv_file([export_row("16.1")]))
    assert plan.counts() == {Outcome.UNCHANGED: 1}
    assert plan.projects[0].pending.state == PendingState.DRAFT
    assert cop_state() == before


def test_leaving_drafts_alone_is_idempotent_and_writes_nothing_of_theirs(project):
    save_draft(project, title="Titre du brouillon")
    content = csv_file([row(avancement="33", services_partenaires="Éducation, Voirie")])
    before = cop_state()
    assert not import_file(content, create_services=True).is_valid
    for _ in range(2):
        plan = import_file(content, create_services=True, skip_drafts=True)
        assert plan.counts() == {Outcome.SKIPPED: 1} and not plan.new_services
        assert (
            plan.summary_lines()[0]
            == "Projets : 0\xa0créé, 0\xa0modifié, 0\xa0inchangé, 1\xa0laissé de côté."
        )
    assert cop_state() == before


# --- Reproduction 1, continued: a draft that renumbers the project ----------------------------


@pytest.fixture
def renumbered(project):
    """An editor's draft gives project 16.1 the reference 99.9; nobody has approved it."""
    editor, _ = member("editeur", roles.EDITORS)
    save_draft_in_the_page_editor(project, editor, reference="99.9")
    assert latest_content(project)["reference"] == "99.9" and live("16.1").pk == project.pk
    return project


def test_a_renumbering_draft_is_not_published_by_the_next_import_of_the_old_reference(renumbered):
    before = cop_state()
    plan = import_file(csv_file([row(avancement="33")]))
    assert [problem.line for problem in plan.problems] == [2]
    assert cop_state() == before

    plan = import_file(csv_file([row(avancement="33")]), skip_drafts=True)
    assert plan.counts() == {Outcome.SKIPPED: 1}
    assert list(ProjectPage.objects.values_list("reference", flat=True)) == ["16.1"]
    assert latest_content(renumbered)["reference"] == "99.9"
    assert cop_state() == before


def test_a_reference_given_by_a_pending_draft_is_not_given_to_a_second_project(renumbered):
    new_row = row(ref="99.9", titre="Un autre projet", avancement="")
    plan = plan_import("projets.csv", csv_file([new_row]))
    assert [str(problem) for problem in plan.problems] == [
        "Ligne 2, colonne « Référence » (ref), valeur « 99.9 » : "
        "cette référence est celle que donne au projet 16.1 "
        "son brouillon non publié : le créer en ferait deux ; attendez que ce changement soit validé ou "
        "abandonné, ou laissez-le de côté (case « Laisser de côté les projets qui ont un brouillon ou une "
        "validation en cours », option --skip-drafts de import_cop)."
    ]
    plan = import_file(csv_file([new_row]), skip_drafts=True)
    assert plan.counts() == {Outcome.SKIPPED: 1}
    assert plan.skipped_lines() == [
        "Laissé de côté : 99.9 (brouillon non publié du projet 16.1, qui lui donne cette référence)"
    ]
    assert not ProjectPage.objects.filter(reference="99.9").exists()


def test_after_the_renumbering_is_approved_the_old_reference_no_longer_finds_it(renumbered):
    live("16.1").get_latest_revision().publish()
    assert live("99.9").pk == renumbered.pk
    plan = plan_import("projets.csv", csv_file([export_row("99.9")]))
    assert plan.counts() == {Outcome.UNCHANGED: 1}


# --- Reproduction 2: an editor's import never moves a published page -------------------------


@pytest.fixture
def other_ambition(axis):
    return AmbitionPageFactory(parent=axis, number=17, title="Ouvrir les données")


MOVE_REFUSED = (
    "Ligne 2, colonne « Ambition », valeur « 17 » : ce projet est publié dans l’ambition n° 16 : seul un "
    "modérateur peut le déplacer, dans l'administration ou par un import qui publie ; remettez 16 et "
    "demandez-lui ce déplacement."
)


def test_an_editors_import_that_moves_a_published_project_is_refused(project, other_ambition):
    _, client = member("editeur", roles.EDITORS)
    before = cop_state()
    response = client.post(IMPORT_URL, {"file": upload(csv_file([row(ambition="17", avancement="90")]))})
    assert escape(MOVE_REFUSED) in response.content.decode()
    assert cop_state() == before
    assert live("16.1").get_parent().specific.number == 16


def test_a_draft_import_moves_nothing_either(project, other_ambition, tmp_path):
    path = tmp_path / "projets.csv"
    path.write_bytes(csv_file([row(ambition="17")]))
    before = cop_state()
    errors = io.StringIO()
    with pytest.raises(CommandError, match="Import refusé : 1\xa0erreur"):
        call_command("import_cop", str(path), "--draft", stderr=errors)
    assert MOVE_REFUSED in errors.getvalue()
    assert cop_state() == before


def test_an_administrators_import_moves_the_project(project, other_ambition, admin_client):
    import_as_administrator(admin_client, csv_file([row(ambition="17")]))
    assert live("16.1").get_parent().specific.number == 17
    assert not live("16.1").has_unpublished_changes


def test_a_publishing_import_moves_only_for_whom_wagtail_lets_move_the_page(project, other_ambition):
    """`import_cop --user editeur` publishes as the editor, who may not move a live page; a
    moderator may."""
    editor, _ = member("editeur", roles.EDITORS)
    moderator, _ = member("moderateur", roles.MODERATORS)
    content = csv_file([row(ambition="17")])
    plan = import_file(content, user=editor)
    assert [str(problem) for problem in plan.problems] == [MOVE_REFUSED]
    assert live("16.1").get_parent().specific.number == 16
    assert import_file(content, user=moderator).is_valid
    assert live("16.1").get_parent().specific.number == 17


# --- What the preview and the command say -------------------------------------------------------


@pytest.fixture
def projects_in_progress(project, ambition):
    """16.1 has a draft, 16.2 is in moderation, 16.3 has a draft that the file does not change."""
    in_moderation = ProjectPageFactory(parent=ambition, reference="16.2", pilot_service=project.pilot_service)
    untouched = ProjectPageFactory(parent=ambition, reference="16.3", pilot_service=project.pilot_service)
    save_draft(project, title="Titre du brouillon")
    submit_for_moderation(in_moderation, title="Titre soumis")
    save_draft(untouched, title="Autre brouillon")
    return project, in_moderation, untouched


def file_for(projects_in_progress):
    project, in_moderation, untouched = projects_in_progress
    rows = [row(avancement="33"), {**export_row("16.2"), "avancement": "80"}, export_row("16.3")]
    return csv_file(rows)


def test_the_preview_shows_the_projects_left_alone_and_why(projects_in_progress, admin_client):
    content = file_for(projects_in_progress)
    response = admin_client.post(IMPORT_URL, {"file": upload(content), "skip_drafts": "on"})
    html = response.content.decode()
    assert "Projets laissés de côté (2)" in html
    assert "<td>16.1</td><td>Créer l&#x27;application de la ville</td><td>brouillon non publié</td>" in html
    assert "<td>validation en cours</td>" in html
    assert "16.3 (brouillon non publié)" in html  # unchanged, its draft kept
    assert "Rien à importer : le COP contient déjà ce tableau, hormis les projets laissés de côté." in html

    response = admin_client.post(IMPORT_URL, {"file": upload(content)})
    html = response.content.decode()
    assert "Fichier refusé : 2\xa0erreurs à corriger" in html
    assert "ce projet attend déjà la validation des modérateurs" in html


def test_the_command_lists_the_projects_left_alone(projects_in_progress, tmp_path):
    path = tmp_path / "projets.csv"
    path.write_bytes(file_for(projects_in_progress))
    before = cop_state()
    errors = io.StringIO()
    with pytest.raises(CommandError, match="Import refusé : 2\xa0erreur"):
        call_command("import_cop", str(path), "--dry-run", stderr=errors)
    assert (
        "Ligne 3, colonne « Référence » (ref), valeur « 16.2 » : ce projet attend déjà la validation"
        in errors.getvalue()
    )

    output = io.StringIO()
    call_command("import_cop", str(path), "--skip-drafts", stdout=output)
    assert output.getvalue().splitlines()[0] == (
        "Projets : 0\xa0créé, 0\xa0modifié, 1\xa0inchangé, 2\xa0laissés de côté."
    )
    assert "Laissé de côté : 16.1 (brouillon non publié)" in output.getvalue()
    assert "Laissé de côté : 16.2 (validation en cours)" in output.getvalue()
    assert cop_state() == before


def test_an_editors_import_is_told_what_was_left_alone(projects_in_progress):
    _, client = member("editeur", roles.EDITORS)
    rows = [
        row(avancement="33"),
        export_row("16.3"),
        {**export_row("16.3"), "ref": "16.4", "resume": "Neuf."},
    ]
    response = client.post(IMPORT_URL, {"file": upload(csv_file(rows)), "skip_drafts": "on"})
    token = response.context["pending"]["token"]
    response = client.post(IMPORT_URL, {"confirm": "1", "token": token}, follow=True)
    assert "1\xa0projet créé, 0\xa0modifié, 1\xa0laissé de côté, soumis" in response.content.decode()
    assert Revision.page_revisions.filter(object_id=str(live("16.4").pk)).count() == 1
