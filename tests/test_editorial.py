"""Roles and the editorial workflow: who may do what, moderation, référents' proposals, the dashboard."""

import datetime
import importlib
import io
from dataclasses import dataclass
from html import unescape
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from wagtail.models import GroupPagePermission, PageLogEntry, TaskState, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

import pytest

from axes.cops import cops_scope
from axes.models import ProjectPage, ProjectStatus
from editorial import roles
from editorial.dashboard import EditorialDashboardPanel
from editorial.proposals import ALREADY_IN_REVIEW, PROPOSAL_LOG_ACTION
from editorial.wagtail_hooks import ONLY_ADMINISTRATORS_DELETE

from .clients import client_for
from .factories import AmbitionPageFactory, AxisPageFactory, ProjectPageFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

IN_PROGRESS = WorkflowState.STATUS_IN_PROGRESS


# --- People, pages and helpers ---------------------------------------------------------------


def member(username, group=None, services=(), **fields):
    user = UserFactory(username=username, first_name=username.capitalize(), **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    user.services.add(*services)
    return user


@pytest.fixture
def sports():
    return ServiceFactory(name="Sports", slug="sports")


@pytest.fixture
def people(relation_usagers, sports):
    """One account per role. The agent and the référent work in the service that leads `project`."""
    return {
        "agent": member("agent", roles.AGENTS, [relation_usagers]),
        "referent": member("referent", roles.REFERENTS, [relation_usagers]),
        "other_referent": member("referent-sports", roles.REFERENTS, [sports]),
        "editor": member("editeur", roles.EDITORS),
        "moderator": member("moderateur", roles.MODERATORS),
        "administrator": member("admin", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def sports_project(ambition, sports):
    return ProjectPageFactory(
        parent=ambition, reference="16.2", title="Ouvrir les gymnases le dimanche", pilot_service=sports
    )


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def proposal_url(project):
    return reverse("propose_update", args=[project.reference])


@pytest.fixture
def edit_form(people):
    """The page editor's form as an administrator gets it, ready to post back with some changes."""
    administrator = client_for(people["administrator"])

    def form_data(page, **changes):
        data = querydict_from_html(
            administrator.get(edit_url(page)).content.decode(), form_id="page-edit-form"
        )
        for name, value in changes.items():
            data[name] = value
        return data

    return form_data


def submit(page, user, **changes):
    """`user` saves a draft with `changes` and submits it to the COP's workflow: its task state."""
    draft = page.get_latest_revision_as_object()
    for field, value in changes.items():
        setattr(draft, field, value)
    draft.save_revision(user=user)
    return draft.get_workflow().start(draft, user).current_task_state


def live(page):
    return ProjectPage.objects.get(pk=page.pk)


def latest_revision(page):
    return ProjectPage.objects.get(pk=page.pk).get_latest_revision()


def in_review(page):
    return page.workflow_states.filter(status=IN_PROGRESS).exists()


def propose(client, project, **fields):
    return client.post(proposal_url(project), {"status": "realise", "note": "Livré en mars.", **fields})


# --- The permission matrix ---------------------------------------------------------------------
#
# One function per action: it tries the action through the real view, as the signed-in client, and
# returns an Attempt: whether it happened (the page changed, the workflow moved, the view answered
# 200) and the response that answered it. A refusal must be one for want of permission: a 404 or a
# form sent back with errors is a broken test, not a refusal.


@dataclass
class Attempt:
    done: bool
    response: object
    # Set when a view refuses by doing less, not by answering a refusal (see `publish`).
    refusal: str = ""


# Wagtail's answers to a signed-in user without the permission, with a message (wagtail.admin.auth).
NO_ADMIN_ACCESS = "You do not have permission to access the admin."
NO_PERMISSION = "Sorry, you do not have permission to access this area."


def messages_said(response):
    """The messages that the response leaves for the next page, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        # Wagtail's messages come HTML-escaped, with room for buttons after them.
        return {unescape(str(message)).strip() for message in get_messages(response.wsgi_request)}


def refusal(attempt):
    """How the attempt was refused for want of permission, or "" if it was not (or not for that)."""
    if attempt.refusal:
        return attempt.refusal
    response = attempt.response
    if response.status_code == 403:
        return "403"
    if response.status_code != 302:
        return ""
    target = response["Location"].split("?")[0]
    if not response.wsgi_request.user.is_authenticated:
        return "connexion" if target == reverse(settings.LOGIN_URL) else ""
    said = messages_said(response)
    with translation.override(settings.LANGUAGE_CODE):
        if target == reverse(settings.LOGIN_URL) and gettext(NO_ADMIN_ACCESS) in said:
            return "pas d'accès à l'administration"
        if target == reverse("wagtailadmin_home") and gettext(NO_PERMISSION) in said:
            return "permission refusée par Wagtail"
    if ONLY_ADMINISTRATORS_DELETE in said:
        return "suppression réservée aux administrateurs"
    return ""


def read_page(client, cop):
    response = client.get(cop.project.url)
    return Attempt(response.status_code == 200, response)


def search(client, cop):
    response = client.get(reverse("search"), {"q": "x"})
    return Attempt(response.status_code == 200, response)


def open_admin(client, cop):
    response = client.get(reverse("wagtailadmin_home"))
    return Attempt(response.status_code == 200, response)


def edit_page(client, cop):
    response = client.get(edit_url(cop.project))
    return Attempt(response.status_code == 200, response)


def submit_for_moderation(client, cop):
    data = cop.edit_form(cop.project, **{"action-submit": "Soumettre"})
    response = client.post(edit_url(cop.project), data)
    return Attempt(in_review(cop.project), response)


def approve_task(client, cop):
    task_state = submit(cop.project, cop.people["editor"], title="Titre soumis")
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[cop.project.pk, "approve", task_state.pk])
    )
    return Attempt(TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_APPROVED, response)


def publish(client, cop):
    data = cop.edit_form(cop.project, title="Titre publié", **{"action-publish": "Publier"})
    response = client.post(edit_url(cop.project), data)
    attempt = Attempt(live(cop.project).title == "Titre publié", response)
    revision = latest_revision(cop.project)
    if not attempt.done and revision is not None and revision.content["title"] == "Titre publié":
        # Wagtail saves the draft of someone who may edit but not publish: the form was valid, and
        # publishing alone was refused.
        attempt.refusal = "brouillon enregistré, publication refusée"
    return attempt


def unpublish(client, cop):
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[cop.project.pk]))
    return Attempt(not live(cop.project).live, response)


def delete(client, cop):
    response = client.post(reverse("wagtailadmin_pages:delete", args=[cop.project.pk]))
    return Attempt(not ProjectPage.objects.filter(pk=cop.project.pk).exists(), response)


def propose_for_own_service(client, cop):
    response = propose(client, cop.own_project)
    return Attempt(in_review(cop.own_project), response)


def propose_for_other_service(client, cop):
    response = propose(client, cop.other_project)
    return Attempt(in_review(cop.other_project), response)


def import_spreadsheet(client, cop):
    """Uploads a spreadsheet that renames the project, confirms the preview: is there a new revision?"""
    spreadsheet = io.BytesIO(
        b"ref;axe;ambition;titre;statut;service_pilote\n"
        + "16.1;2;16;Titre importé;engage;Relation usagers\n".encode()
    )
    spreadsheet.name = "projets.csv"
    response = client.post(reverse("spreadsheets_import"), {"file": spreadsheet})
    pending = response.context.get("pending") if response.status_code == 200 else None
    if pending:
        response = client.post(reverse("spreadsheets_import"), {"confirm": "1", "token": pending["token"]})
    revision = latest_revision(cop.project)
    return Attempt(revision is not None and revision.content["title"] == "Titre importé", response)


def manage_services(client, cop):
    response = client.get(reverse("wagtailsnippets_axes_service:add"))
    return Attempt(response.status_code == 200, response)


def manage_users(client, cop):
    response = client.get(reverse("wagtailusers_users:index"))
    return Attempt(response.status_code == 200, response)


ROLES = ("anonymous", "agent", "referent", "other_referent", "editor", "moderator", "administrator")
Y, N = True, False
# fmt: off
EXPECTED = {  #              anonymous agent referent other_referent editor moderator administrator
    "read_page":                 (N, Y, Y, Y, Y, Y, Y),
    "search":                    (N, Y, Y, Y, Y, Y, Y),
    "open_admin":                (N, N, N, N, Y, Y, Y),
    "edit_page":                 (N, N, N, N, Y, Y, Y),
    "submit_for_moderation":     (N, N, N, N, Y, Y, Y),
    "approve_task":              (N, N, N, N, N, Y, Y),
    "publish":                   (N, N, N, N, N, Y, Y),
    "unpublish":                 (N, N, N, N, N, Y, Y),
    "delete":                    (N, N, N, N, N, N, Y),
    "propose_for_own_service":   (N, N, Y, Y, N, N, N),
    "propose_for_other_service": (N, N, N, N, N, N, N),
    "import":                    (N, N, N, N, Y, N, Y),
    "manage_services":           (N, N, N, N, Y, N, Y),
    "manage_users":              (N, N, N, N, N, N, Y),
}
# fmt: on
ACTIONS = {
    "read_page": read_page,
    "search": search,
    "open_admin": open_admin,
    "edit_page": edit_page,
    "submit_for_moderation": submit_for_moderation,
    "approve_task": approve_task,
    "publish": publish,
    "unpublish": unpublish,
    "delete": delete,
    "propose_for_own_service": propose_for_own_service,
    "propose_for_other_service": propose_for_other_service,
    "import": import_spreadsheet,
    "manage_services": manage_services,
    "manage_users": manage_users,
}


def matrix_cases():
    for action, row in EXPECTED.items():
        for role, allowed in zip(ROLES, row, strict=True):
            yield pytest.param(role, action, allowed, id=f"{role}-{action}")


@pytest.mark.parametrize(("role", "action", "allowed"), list(matrix_cases()))
def test_permission_matrix(role, action, allowed, client, people, project, sports_project, edit_form):
    if role != "anonymous":
        client.force_login(people[role])
    own, other = (sports_project, project) if role == "other_referent" else (project, sports_project)
    cop = SimpleNamespace(
        project=project, own_project=own, other_project=other, people=people, edit_form=edit_form
    )
    attempt = ACTIONS[action](client, cop)
    if allowed:
        assert attempt.done, f"{role} : {action} n'a pas eu lieu ({attempt.response.status_code})"
    else:
        assert not attempt.done
        assert refusal(attempt), (
            f"{role} : {action} refusé sans refus de permission : {attempt.response.status_code}, "
            f"{attempt.response.get('Location')}, {messages_said(attempt.response)}"
        )


# --- Groups and workflow, as the migration leaves them -----------------------------------------


def page_permissions(group_name):
    return set(
        GroupPagePermission.objects.filter(group__name=group_name).values_list(
            "page__url_path", "permission__codename"
        )
    )


def test_the_roles_are_french_groups_and_wagtails_english_ones_are_gone():
    names = set(Group.objects.values_list("name", flat=True))
    assert {roles.AGENTS, roles.REFERENTS, roles.EDITORS, roles.MODERATORS} <= names
    assert not names & {"Editors", "Moderators"}


def test_page_permissions_are_on_the_cop_and_nobody_may_delete(home):
    cop = home.url_path
    assert page_permissions(roles.EDITORS) == {(cop, "add_page"), (cop, "change_page")}
    assert page_permissions(roles.MODERATORS) == {
        (cop, f"{action}_page") for action in ("add", "change", "publish", "lock", "unlock")
    }
    assert page_permissions(roles.AGENTS) == page_permissions(roles.REFERENTS) == set()
    assert not GroupPagePermission.objects.filter(
        permission__codename__in=["delete_page", "bulk_delete_page"]
    )


def test_only_editors_and_moderators_enter_the_admin():
    with_admin_access = Group.objects.filter(permissions__codename="access_admin")
    assert set(with_admin_access.values_list("name", flat=True)) == {roles.EDITORS, roles.MODERATORS}


def test_the_roles_migration_can_run_again(home):
    migration = importlib.import_module("editorial.migrations.0002_roles_and_workflow")
    before = {name: page_permissions(name) for name in (roles.EDITORS, roles.MODERATORS)}
    migration.create_roles_and_workflow(apps, schema_editor=None)
    assert {name: page_permissions(name) for name in before} == before
    assert Group.objects.filter(name=roles.EDITORS).count() == 1
    assert home.get_workflow().workflow_tasks.count() == 1


def test_every_cop_page_goes_through_the_moderators(home, project):
    workflow = project.get_workflow()
    assert workflow == home.get_workflow()
    assert workflow.name == "Validation du COP"
    [task] = workflow.tasks.specific()
    assert task.name == "Validation par les modérateurs"
    assert list(task.groups.values_list("name", flat=True)) == [roles.MODERATORS]


def test_editors_comment_in_the_page_editor(people, project):
    html = client_for(people["editor"]).get(edit_url(project)).content.decode()
    assert 'id="comments-data"' in html  # Wagtail's comments, which it leaves out when they are off


def test_the_moderators_notification_is_html_from_the_sites_address(people, project, edit_form):
    data = edit_form(project, title="Une application pour tous", **{"action-submit": "Soumettre"})
    mail.outbox.clear()
    client_for(people["editor"]).post(edit_url(project), data)
    [notification] = [message for message in mail.outbox if people["moderator"].email in message.to]
    assert notification.from_email == settings.DEFAULT_FROM_EMAIL
    assert [kind for _, kind in notification.alternatives] == ["text/html"]


# --- Moderation ---------------------------------------------------------------------------------


def test_an_editor_submits_and_the_moderators_are_told(people, project, edit_form):
    data = edit_form(project, title="Une application pour tous", **{"action-submit": "Soumettre"})
    client_for(people["editor"]).post(edit_url(project), data)
    state = project.workflow_states.get(status=IN_PROGRESS)
    assert state.current_task_state.task.name == "Validation par les modérateurs"
    assert live(project).title == "Créer l'application de la ville"
    recipients = {address for message in mail.outbox for address in message.to}
    assert people["moderator"].email in recipients
    assert people["editor"].email not in recipients


def test_approving_a_submission_publishes_it(people, project):
    task_state = submit(project, people["editor"], title="Une application pour tous")
    url = reverse("wagtailadmin_pages:workflow_action", args=[project.pk, "approve", task_state.pk])
    client_for(people["moderator"]).post(url, {"comment": ""})
    assert live(project).title == "Une application pour tous"
    assert project.workflow_states.get().status == WorkflowState.STATUS_APPROVED


def test_rejecting_with_a_comment_sends_the_page_back_to_its_author(people, project):
    task_state = submit(project, people["editor"], title="Une application pour tous")
    url = reverse("wagtailadmin_pages:workflow_action", args=[project.pk, "reject", task_state.pk])
    mail.outbox.clear()
    client_for(people["moderator"]).post(url, {"comment": "Le titre doit garder le mot « créer »."})
    assert project.workflow_states.get().status == WorkflowState.STATUS_NEEDS_CHANGES
    assert live(project).title == "Créer l'application de la ville"
    [message] = mail.outbox
    assert message.to == [people["editor"].email]
    assert "Le titre doit garder le mot « créer »." in message.body


def test_no_one_but_an_administrator_deletes_even_a_draft(people, ambition):
    # Wagtail itself lets whoever may change a page delete an unpublished one.
    draft = ProjectPageFactory(parent=ambition, reference="16.9", live=False)
    assert draft.permissions_for_user(people["editor"]).can_delete()
    response = client_for(people["editor"]).post(reverse("wagtailadmin_pages:delete", args=[draft.pk]))
    assert response["Location"] == edit_url(draft)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [ONLY_ADMINISTRATORS_DELETE]
    assert ProjectPage.objects.filter(pk=draft.pk).exists()


def test_no_one_but_an_administrator_deletes_pages_in_bulk(people, project):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    client_for(people["moderator"]).post(f"{url}?id={project.pk}")
    assert ProjectPage.objects.filter(pk=project.pk).exists()
    client_for(people["administrator"]).post(f"{url}?id={project.pk}")
    assert not ProjectPage.objects.filter(pk=project.pk).exists()


# --- Référents propose, moderators dispose -------------------------------------------------------


def test_a_referent_finds_the_proposal_link_on_their_services_projects(people, project):
    link = f'href="{proposal_url(project)}"'
    assert link in client_for(people["referent"]).get(project.url).content.decode()
    assert link not in client_for(people["agent"]).get(project.url).content.decode()
    assert link not in client_for(people["other_referent"]).get(project.url).content.decode()


def test_the_form_shows_the_live_values_not_a_pending_draft(people, project):
    draft = project.get_latest_revision_as_object()
    draft.status = ProjectStatus.SUSPENDU
    draft.save_revision(user=people["editor"])
    form = client_for(people["referent"]).get(proposal_url(project)).context["form"]
    assert form.initial["status"] == ProjectStatus.ENGAGE
    assert form.initial["progress"] == 40


def test_a_proposal_is_a_draft_revision_submitted_to_the_moderators(people, project):
    referent = people["referent"]
    response = propose(client_for(referent), project, progress=100, note="Application livrée en mars.")
    assert response["Location"] == project.url
    revision = latest_revision(project)
    assert revision.user == referent
    assert (revision.content["status"], revision.content["progress"]) == ("realise", 100)
    assert (live(project).status, live(project).progress) == (ProjectStatus.ENGAGE, 40)
    state = project.workflow_states.get(status=IN_PROGRESS)
    assert state.requested_by == referent
    assert state.current_task_state.revision == revision
    entry = PageLogEntry.objects.get(action=PROPOSAL_LOG_ACTION, revision=revision)
    assert entry.data["note"] == "Application livrée en mars."
    assert people["moderator"].email in {address for message in mail.outbox for address in message.to}


def test_the_referent_is_thanked_in_a_status_message(people, project):
    client = client_for(people["referent"])
    html = client.get(propose(client, project)["Location"]).content.decode()
    assert '<div class="messages" role="status">' in html
    assert "votre proposition a été transmise aux modérateurs" in html


def test_a_proposal_keeps_an_editors_pending_changes(people, project):
    draft = project.get_latest_revision_as_object()
    draft.title = "Créer l'application de la ville, version 2"
    draft.save_revision(user=people["editor"])
    propose(client_for(people["referent"]), project)
    content = latest_revision(project).content
    assert (content["title"], content["status"]) == ("Créer l'application de la ville, version 2", "realise")
    entry = PageLogEntry.objects.get(action=PROPOSAL_LOG_ACTION)
    assert entry.data["includes_unpublished_changes"] is True


def test_an_approved_proposal_reaches_the_agents(people, project):
    propose(client_for(people["referent"]), project)
    task_state = project.workflow_states.get().current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[project.pk, "approve", task_state.pk])
    client_for(people["moderator"]).post(url, {"comment": ""})
    assert live(project).status == ProjectStatus.REALISE
    assert "Réalisé" in client_for(people["agent"]).get(project.url).content.decode()


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"progress": 150}, "progress", "Assurez-vous que cette valeur est inférieure ou égale à 100."),
        (
            {"start_date": "2026-06-01", "due_date": "2026-01-31"},
            "due_date",
            "L'échéance ne peut pas précéder la date de début.",
        ),
        ({"note": ""}, "note", "Champ requis."),
        ({"status": "termine"}, "status", "Sélectionnez un choix valide."),
    ],
)
def test_proposal_errors_are_in_french(people, project, fields, field, error):
    response = propose(client_for(people["referent"]), project, **fields)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message.startswith(error) for message in errors[field]), errors
    assert not in_review(project)


def test_a_proposal_must_change_something(people, project):
    response = propose(client_for(people["referent"]), project, status="engage", progress=40)
    assert "Modifiez au moins une information du projet" in response.content.decode()
    assert latest_revision(project) is None


def test_a_referent_of_another_service_gets_a_french_403(people, project):
    for method in ("get", "post"):
        response = getattr(client_for(people["other_referent"]), method)(proposal_url(project))
        assert response.status_code == 403
        assert "Seuls les référents des services qui portent ce projet" in response.content.decode()
    assert not in_review(project)


def test_an_agent_of_the_service_who_is_no_referent_gets_a_403(people, project):
    assert propose(client_for(people["agent"]), project).status_code == 403


def test_a_second_proposal_waits_for_the_first(people, project):
    client = client_for(people["referent"])
    propose(client, project)
    revisions = project.revisions.count()
    response = propose(client, project, status="suspendu")
    assert escape(ALREADY_IN_REVIEW) in response.content.decode()
    assert project.revisions.count() == revisions
    assert project.workflow_states.count() == 1


def proposal_entry(revision):
    return PageLogEntry.objects.get(action=PROPOSAL_LOG_ACTION, revision=revision)


@pytest.mark.parametrize("published_with_a_revision", [False, True])
def test_a_proposal_on_the_live_version_is_not_said_to_include_unpublished_changes(
    people, project, published_with_a_revision
):
    if published_with_a_revision:
        project.save_revision().publish()
    propose(client_for(people["referent"]), project)
    assert proposal_entry(latest_revision(project)).data["includes_unpublished_changes"] is False
    assert live(project).has_unpublished_changes


def reject(project, user, comment="Pas encore."):
    project.workflow_states.get(status=IN_PROGRESS).current_task_state.reject(user=user, comment=comment)


def test_a_rejected_proposal_no_longer_blocks_the_next_one(people, project):
    client = client_for(people["referent"])
    propose(client, project, status="realise", note="Livré.")
    rejected = latest_revision(project)
    reject(project, people["moderator"])
    assert client.get(proposal_url(project)).context["blocker"] is None
    response = propose(client, project, status="engage", progress=80, note="Livraison en juin.")
    assert response["Location"] == project.url
    revision = latest_revision(project)
    # The new proposal starts from the live version: what the moderators refused does not come back.
    assert (revision.content["status"], revision.content["progress"]) == ("engage", 80)
    assert proposal_entry(revision).data["includes_unpublished_changes"] is False
    states = project.workflow_states.order_by("created_at")
    assert [state.status for state in states] == [WorkflowState.STATUS_CANCELLED, IN_PROGRESS]
    assert states[0].current_task_state.revision == rejected
    assert states[1].current_task_state.revision == revision


def test_a_proposal_after_a_rejected_one_keeps_the_editors_earlier_draft(people, project):
    draft = project.get_latest_revision_as_object()
    draft.title = "Créer l'application de la ville, version 2"
    draft.save_revision(user=people["editor"])
    client = client_for(people["referent"])
    propose(client, project, status="realise")
    reject(project, people["moderator"])
    propose(client, project, status="engage", progress=80)
    revision = latest_revision(project)
    assert revision.content["title"] == "Créer l'application de la ville, version 2"
    assert (revision.content["status"], revision.content["progress"]) == ("engage", 80)
    assert proposal_entry(revision).data["includes_unpublished_changes"] is True


def test_a_proposal_supersedes_an_editors_submission_sent_back(people, project):
    submit(project, people["editor"], title="Créer l'application de la ville, version 2")
    reject(project, people["moderator"], comment="Le titre reste à revoir.")
    propose(client_for(people["referent"]), project, status="realise")
    revision = latest_revision(project)
    assert (revision.content["title"], revision.content["status"]) == (
        "Créer l'application de la ville, version 2",
        "realise",
    )
    assert project.workflow_states.get(status=IN_PROGRESS).current_task_state.revision == revision


def test_the_proposal_form_is_for_live_projects_only(people, ambition, relation_usagers):
    ProjectPageFactory(parent=ambition, reference="16.8", live=False, pilot_service=relation_usagers)
    client = client_for(people["referent"])
    assert client.get(reverse("propose_update", args=["16.8"])).status_code == 404
    assert client.get(reverse("propose_update", args=["99.9"])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, project):
    assert client.get(proposal_url(project))["Location"].startswith("/connexion/")


# --- The editors' dashboard ---------------------------------------------------------------------


@pytest.fixture
def needs_attention(people, axis, ambition, project):
    """In axis 2: one proposal in review, one late project, one stale one; axis 3 has one late project."""
    today = timezone.localdate()
    propose(client_for(people["referent"]), project, note="Livrée en avance.")
    ProjectPageFactory(parent=ambition, reference="16.3", due_date=today - datetime.timedelta(days=1))
    ProjectPageFactory(
        parent=ambition,
        reference="16.4",
        status=ProjectStatus.REALISE,
        due_date=today - datetime.timedelta(days=1),
    )
    stale = ProjectPageFactory(parent=ambition, reference="16.5")
    ProjectPage.objects.filter(pk=stale.pk).update(
        last_published_at=timezone.now() - datetime.timedelta(days=200)
    )
    other_axis = AxisPageFactory(parent=axis.get_parent(), number=3, title="Développer la qualité de vie")
    other_ambition = AmbitionPageFactory(parent=other_axis, number=20)
    ProjectPageFactory(parent=other_ambition, reference="20.1", due_date=today - datetime.timedelta(days=30))
    return other_axis


def dashboard():
    return EditorialDashboardPanel().get_context_data({})


def test_the_dashboard_lists_what_needs_attention_with_counts_per_axis(needs_attention, axis, project):
    context = dashboard()
    [proposal] = context["in_review"].items
    assert (proposal.pk, proposal.note, proposal.submitted_by.username) == (
        project.pk,
        "Livrée en avance.",
        "referent",
    )
    assert [page.reference for page in context["late"].items] == ["20.1", "16.3"]
    assert [page.reference for page in context["stale"].items] == ["16.5"]
    assert context["axis_rows"] == [(axis, [1, 1, 0, 1]), (needs_attention, [0, 1, 0, 0])]


@pytest.mark.parametrize(
    ("status", "late"),
    [(ProjectStatus.ABANDONNE, False), (ProjectStatus.REALISE, False), (ProjectStatus.SUSPENDU, True)],
)
def test_an_abandoned_project_is_not_late_a_suspended_one_is(ambition, status, late):
    overdue = timezone.localdate() - datetime.timedelta(days=1)
    ProjectPageFactory(parent=ambition, reference="16.6", status=status, due_date=overdue)
    assert [page.reference for page in dashboard()["late"].items] == (["16.6"] if late else [])


def test_editors_find_the_dashboard_on_the_admin_home(needs_attention, people, project):
    html = client_for(people["editor"]).get(reverse("wagtailadmin_home")).content.decode()
    assert "Suivi éditorial du COP" in html
    assert f'href="{edit_url(project)}"' in html
    assert "Note du référent : « Livrée en avance. »" in html
    assert f'href="{edit_url(ProjectPage.objects.get(reference="20.1"))}"' in html


def test_the_dashboard_caps_its_lists_and_keeps_its_query_count(needs_attention, ambition):
    with cops_scope(), CaptureQueriesContext(connection) as few:  # as in a request
        EditorialDashboardPanel().render_html({})
    overdue = timezone.localdate() - datetime.timedelta(days=3)
    for number in range(12):
        ProjectPageFactory(parent=ambition, reference=f"16.{10 + number}", due_date=overdue)
    with cops_scope(), CaptureQueriesContext(connection) as many:
        html = EditorialDashboardPanel().render_html({})
    assert len(many) == len(few)
    context = dashboard()
    assert (len(context["late"].items), context["late"].total) == (10, 14)
    assert "Les 10 premiers sur 14." in html


def test_editors_and_moderators_manage_the_editions():
    from django.contrib.auth.models import Group

    for name in ("Éditeurs", "Modérateurs"):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"add_edition", "change_edition", "delete_edition"} <= codenames
