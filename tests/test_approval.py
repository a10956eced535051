"""An approval publishes exactly what the moderator reviewed, wherever they approve from; a copied
project gets a reference of its own and waits for the moderators (issue 12, reproductions 3 and 6)."""

import json

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from wagtail.models import PageLogEntry, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

import pytest

from axes.admin_forms import ServicesField
from axes.models import ProjectPage, ProjectStatus, Service
from editorial import roles
from editorial.change_detection import RichTextFormField
from editorial.signals import APPROVED_WITH_EDITS_LOG_ACTION
from editorial.wagtail_hooks import NUMBERED_PAGES_ARE_NOT_COPIED

from .clients import client_for
from .factories import ServiceFactory
from .test_editorial import edit_url, live, member, propose

pytestmark = pytest.mark.django_db

NOTE = "Application livrée en mars."
COMMENT = "Validé en comité de pilotage."


@pytest.fixture
def people(relation_usagers):
    return {
        "agent": member("agent", roles.AGENTS, [relation_usagers]),
        "referent": member("referent", roles.REFERENTS, [relation_usagers]),
        "moderator": member("moderateur", roles.MODERATORS),
        "administrator": member("admin", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def proposed(people, project):
    """Project 16.1 as the import and the demo write it (rich text without Draftail's block keys,
    three services), published once; then a référent's proposal with a note, waiting for review."""
    project.body = "<p>Une application en ligne.</p><ul><li>Paiement</li><li>Rendez-vous</li></ul>"
    project.services.add(ServiceFactory(name="Sports"), ServiceFactory(name="Finances"))
    project.save_revision().publish()
    propose(client_for(people["referent"]), project, progress=100, note=NOTE)
    return ProjectPage.objects.get(pk=project.pk)


def editor_form(client, page, **changes):
    """The page editor's form as `client` gets it, posted back with `changes`."""
    data = querydict_from_html(client.get(edit_url(page)).content.decode(), form_id="page-edit-form")
    for name, value in changes.items():
        data[name] = value
    return data


def with_approval(data, comment=COMMENT):
    """What Wagtail's "Approuver avec un commentaire et publier" button adds to the editor's form."""
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    data["workflow-action-extra-data"] = json.dumps({"comment": comment})
    return data


def autosave(client, page, data):
    return client.post(edit_url(page), data, HTTP_ACCEPT="application/json")


def public_history(people, page):
    return client_for(people["agent"]).get(page.url + "historique/").content.decode()


def proposal_revision(page):
    return PageLogEntry.objects.get(action="editorial.proposal", page=page).revision


def assert_published_as_reviewed(page):
    page = live(page)
    assert page.live_revision == proposal_revision(page) == page.get_latest_revision()
    assert not page.has_unpublished_changes
    assert (page.status, page.progress) == (ProjectStatus.REALISE, 100)


# --- Reproduction 3: approving from the page editor -------------------------------------------


def test_approving_in_the_editor_publishes_the_revision_under_review(people, proposed):
    moderator = client_for(people["moderator"])
    moderator.post(edit_url(proposed), with_approval(editor_form(moderator, proposed)))
    assert_published_as_reviewed(proposed)
    assert proposed.workflow_states.get().status == WorkflowState.STATUS_APPROVED


def test_services_listed_in_another_order_are_no_edit(people, proposed, monkeypatch):
    # As under a French collation in production, where "Éducation" comes before "Finances".
    monkeypatch.setattr(Service._meta, "ordering", ["-name"])
    moderator = client_for(people["moderator"])
    moderator.post(edit_url(proposed), with_approval(editor_form(moderator, proposed)))
    assert_published_as_reviewed(proposed)


def test_the_history_shows_the_notes_of_a_version_approved_in_the_editor(people, proposed):
    moderator = client_for(people["moderator"])
    moderator.post(edit_url(proposed), with_approval(editor_form(moderator, proposed)))
    html = public_history(people, proposed)
    assert escape(NOTE) in html
    assert escape(COMMENT) in html


def test_a_moderator_who_edits_while_approving_publishes_the_edit_with_the_notes(people, proposed):
    moderator = client_for(people["moderator"])
    data = with_approval(editor_form(moderator, proposed, title="Créer l'application de la ville, enfin"))
    moderator.post(edit_url(proposed), data)
    page = live(proposed)
    assert page.title == "Créer l'application de la ville, enfin"
    assert page.live_revision.user == people["moderator"]
    assert page.live_revision != proposal_revision(proposed)
    assert not page.has_unpublished_changes
    link = PageLogEntry.objects.get(action=APPROVED_WITH_EDITS_LOG_ACTION)
    assert (link.revision, link.data["approved_revisions"]) == (
        page.live_revision,
        [proposal_revision(page).pk],
    )
    html = public_history(people, proposed)
    assert escape(NOTE) in html
    assert escape(COMMENT) in html


def test_approving_from_the_dashboard_logs_no_edit(people, proposed):
    task_state = proposed.workflow_states.get().current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[proposed.pk, "approve", task_state.pk])
    client_for(people["moderator"]).post(url, {"comment": COMMENT})
    assert_published_as_reviewed(proposed)
    assert not PageLogEntry.objects.filter(action=APPROVED_WITH_EDITS_LOG_ACTION).exists()
    assert escape(COMMENT) in public_history(people, proposed)


def test_the_autosave_that_follows_an_approval_saves_nothing(people, proposed):
    moderator = client_for(people["moderator"])
    data = with_approval(editor_form(moderator, proposed))
    moderator.post(edit_url(proposed), data)
    revisions = proposed.revisions.count()
    response = autosave(moderator, proposed, data)
    assert response.status_code == 400
    assert response.json()["error_code"] == "invalid_revision"
    assert proposed.revisions.count() == revisions
    assert_published_as_reviewed(proposed)


def test_an_autosave_that_overtakes_the_approval_neither_approves_nor_saves(people, proposed):
    moderator = client_for(people["moderator"])
    data = with_approval(editor_form(moderator, proposed))
    revisions = proposed.revisions.count()
    assert autosave(moderator, proposed, data).status_code == 400
    assert proposed.workflow_states.get().status == WorkflowState.STATUS_IN_PROGRESS
    assert proposed.revisions.count() == revisions
    moderator.post(edit_url(proposed), data)
    assert_published_as_reviewed(proposed)


def test_an_ordinary_autosave_still_saves_a_draft(project, admin_client):
    data = editor_form(admin_client, project, title="Brouillon en cours")
    response = autosave(admin_client, project, data)
    assert response.json()["success"] is True
    assert live(project).get_latest_revision_as_object().title == "Brouillon en cours"


def test_rich_text_changes_with_its_text_not_with_its_block_keys(project):
    field = type(project).get_edit_handler().get_form_class().base_fields["body"]
    assert isinstance(field, RichTextFormField)
    html = "<p>Une application.</p><ul><li>Paiement</li></ul>"
    with_keys = (
        '<p data-block-key="a1b2c">Une application.</p><ul><li data-block-key="d3e4f">Paiement</li></ul>'
    )
    assert not field.has_changed(html, with_keys)
    assert not field.has_changed("", '<p data-block-key="x9y8z"></p>')
    assert field.has_changed(html, with_keys.replace("Paiement", "Paiement en ligne"))


def test_services_change_when_the_set_changes(project, education, relation_usagers):
    sports = ServiceFactory(name="Sports")
    field = type(project).get_edit_handler().get_form_class().base_fields["services"]
    assert isinstance(field, ServicesField)
    ids = [str(education.pk), str(relation_usagers.pk)]
    assert not field.has_changed([education, relation_usagers], list(reversed(ids)))
    assert field.has_changed([education, relation_usagers], [*ids, str(sports.pk)])
    assert field.has_changed([education, relation_usagers], ids[1:])


# --- A draft saved while the page waits for review ------------------------------------------
#
# Editors cannot save a page in review (Wagtail's workflow lock), but moderators and administrators
# can, by hand or by autosave. The dashboard's links (preview, comparisons) show the revision
# submitted, the page editor shows the latest one: an approval publishes what its screen showed.

SECRET = "Zorglub"


def dashboard_approval(people, page, moderator="moderator"):
    task_state = live(page).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    client_for(people[moderator]).post(url, {"comment": COMMENT})


def secret_draft_by_an_editor(people, page):
    """As any way of saving would, if one let an editor save during the review."""
    draft = live(page).get_latest_revision_as_object()
    draft.title, draft.summary = f"Application {SECRET}", f"Le projet {SECRET}."
    return draft.save_revision(user=member("editeur", roles.EDITORS))


def secret_draft_by_an_administrator(people, page):
    administrator = client_for(people["administrator"])
    data = editor_form(administrator, page, title=f"Application {SECRET}", summary=f"Le projet {SECRET}.")
    administrator.post(edit_url(page), data)
    return live(page).get_latest_revision()


def secret_draft_by_a_moderators_autosave(people, page):
    moderator = client_for(people["moderator"])
    data = editor_form(moderator, page, title=f"Application {SECRET}", summary=f"Le projet {SECRET}.")
    assert autosave(moderator, page, data).json()["success"] is True
    return live(page).get_latest_revision()


SECRET_DRAFTS = [
    secret_draft_by_an_editor,
    secret_draft_by_an_administrator,
    secret_draft_by_a_moderators_autosave,
]


def assert_secret_not_read(people, page):
    agent = client_for(people["agent"])
    for url in (live(page).url, reverse("project_shortlink", args=[page.reference])):
        assert SECRET not in agent.get(url, follow=True).content.decode()
    assert SECRET not in public_history(people, page)


def test_an_editor_cannot_save_a_page_in_review(people, proposed):
    editor = client_for(member("editeur", roles.EDITORS))
    revisions = proposed.revisions.count()
    editor.post(edit_url(proposed), editor_form(editor, proposed, title=f"Application {SECRET}"))
    assert proposed.revisions.count() == revisions


@pytest.mark.parametrize("save_secret_draft", SECRET_DRAFTS)
def test_the_dashboard_approves_the_revision_submitted_not_a_later_draft(people, proposed, save_secret_draft):
    submitted = proposal_revision(proposed)
    secret = save_secret_draft(people, proposed)
    assert secret != submitted
    task_state = live(proposed).current_workflow_task_state
    assert task_state.revision == submitted
    # What the dashboard shows the moderator: the revision submitted.
    preview = reverse("wagtailadmin_pages:workflow_preview", args=[proposed.pk, task_state.task_id])
    assert SECRET not in client_for(people["moderator"]).get(preview).content.decode()
    dashboard = client_for(people["moderator"]).get(reverse("wagtailadmin_home")).content.decode()
    assert f"/revisions/compare/live...{submitted.pk}/" in dashboard
    assert f"/revisions/compare/live...{secret.pk}/" not in dashboard

    dashboard_approval(people, proposed)

    page = live(proposed)
    assert page.live_revision == submitted
    assert (page.status, page.progress) == (ProjectStatus.REALISE, 100)
    assert SECRET not in page.title + page.summary
    # The later draft stays what it was: a draft that nobody reviewed.
    assert page.get_latest_revision() == secret
    assert page.has_unpublished_changes
    assert_secret_not_read(people, proposed)
    html = public_history(people, proposed)
    assert escape(NOTE) in html
    assert escape(COMMENT) in html
    assert not PageLogEntry.objects.filter(action=APPROVED_WITH_EDITS_LOG_ACTION).exists()


def test_the_approving_moderators_own_autosave_is_no_more_reviewed_on_the_dashboard(people, proposed):
    submitted = proposal_revision(proposed)
    secret_draft_by_a_moderators_autosave(people, proposed)
    dashboard_approval(people, proposed)
    assert live(proposed).live_revision == submitted
    assert_secret_not_read(people, proposed)


@pytest.mark.parametrize("save_secret_draft", SECRET_DRAFTS)
def test_an_editor_opened_before_a_later_draft_publishes_the_form_it_showed(
    people, proposed, save_secret_draft
):
    moderator = client_for(people["moderator"])
    shown = with_approval(editor_form(moderator, proposed))
    save_secret_draft(people, proposed)
    moderator.post(edit_url(proposed), shown)
    page = live(proposed)
    assert SECRET not in page.title + page.summary
    assert (page.status, page.progress) == (ProjectStatus.REALISE, 100)
    assert page.live_revision.user == people["moderator"]
    assert not page.has_unpublished_changes
    assert page.workflow_states.get().status == WorkflowState.STATUS_APPROVED
    assert_secret_not_read(people, proposed)
    html = public_history(people, proposed)
    assert escape(NOTE) in html
    assert escape(COMMENT) in html


@pytest.mark.parametrize("save_secret_draft", SECRET_DRAFTS)
def test_an_editor_that_shows_a_later_draft_publishes_it(people, proposed, save_secret_draft):
    secret = save_secret_draft(people, proposed)
    moderator = client_for(people["moderator"])
    html = moderator.get(edit_url(proposed)).content.decode()
    assert SECRET in html  # the page editor shows the latest revision: the moderator reviews it
    moderator.post(edit_url(proposed), with_approval(editor_form(moderator, proposed)))
    page = live(proposed)
    assert page.live_revision == secret == page.get_latest_revision()
    assert SECRET in page.title
    link = PageLogEntry.objects.get(action=APPROVED_WITH_EDITS_LOG_ACTION)
    assert (link.revision, link.data["approved_revisions"]) == (secret, [proposal_revision(page).pk])
    html = public_history(people, proposed)
    assert escape(NOTE) in html
    assert escape(COMMENT) in html


# --- Reproduction 6: copying a project --------------------------------------------------------


def copy_url(page):
    return reverse("wagtailadmin_pages:copy", args=[page.pk])


def copy_data(page, **fields):
    return {
        "new_title": "Créer l'application de la ville, volet 2",
        "new_reference": "16.7",
        "new_slug": "application-volet-2",
        "new_parent_page": page.get_parent().pk,
        **fields,
    }


def test_copying_a_project_asks_for_a_new_reference(people, project):
    html = client_for(people["moderator"]).get(copy_url(project)).content.decode()
    assert "Nouvelle référence" in html
    assert 'name="new_reference"' in html
    assert 'name="publish_copies"' not in html
    assert 'name="alias"' not in html


@pytest.mark.parametrize("reference", ["16.1", " 16.1 "])
def test_a_reference_already_used_is_refused_in_french(people, project, reference):
    response = client_for(people["moderator"]).post(
        copy_url(project), copy_data(project, new_reference=reference)
    )
    assert response.status_code == 200
    assert "La référence 16.1 est déjà celle d&#x27;un projet du COP" in response.content.decode()
    assert ProjectPage.objects.count() == 1


def test_a_copy_is_a_draft_with_its_own_reference(people, project):
    moderator = people["moderator"]
    response = client_for(moderator).post(copy_url(project), copy_data(project, publish_copies="on"))
    assert response.status_code == 302
    copy = ProjectPage.objects.get(reference="16.7")
    assert not copy.live
    assert copy.title == "Créer l'application de la ville, volet 2"
    assert set(copy.services.values_list("slug", flat=True)) == {"relation-usagers", "education"}
    [revision] = copy.revisions.all()
    assert (revision.user, revision.content["reference"]) == (moderator, "16.7")
    assert live(project).reference == "16.1"
    assert client_for(people["agent"]).get(reverse("project_shortlink", args=["16.7"])).status_code == 404


def test_axes_and_ambitions_are_not_copied(people, ambition):
    response = client_for(people["administrator"]).get(copy_url(ambition))
    assert response.status_code == 302
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages == [NUMBERED_PAGES_ARE_NOT_COPIED]
