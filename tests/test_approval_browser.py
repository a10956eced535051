"""In Chromium: a moderator approves a référent's proposal from the page editor, with a comment, and
what went live is exactly what they reviewed, with its notes in the public history (issue 12).

Transactional, like tests/test_browser.py: the pages are served by `live_server`.
"""

from django.contrib.auth.models import Group

import pytest
from playwright.sync_api import expect

from axes.models import ProjectPage, ProjectStatus
from editorial import roles
from editorial.proposals import submit_proposal

from .browser import agent_user, browser, demo_chapter, signed_in_tab  # noqa: F401 (fixtures)
from .factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NOTE = "Application livrée en mars, 12 000 comptes ouverts."
COMMENT = "Validé en comité de pilotage du 3 avril."
# Wagtail's autosave posts the form about a second after it changes (the workflow buttons add fields
# to it): the approval is held that long, as a busy server takes it, then five seconds pass.
APPROVAL_DELAY_MS = 3_000
READING_MS = 3_000  # the editor's form is watched for changes from two seconds after it loads
AUTOSAVE_GRACE_MS = 5_000


def hold_the_approval(page, held):
    """Holds back the editor form's submission (a navigation), letting the autosave's fetch through."""

    def route(route, request):
        if request.method == "POST" and request.is_navigation_request():
            held.append(route)
        else:
            route.continue_()

    page.route("**/admin/pages/*/edit/", route)


def member_of(group_name, username, first_name, last_name, services=()):
    user = UserFactory(username=username, first_name=first_name, last_name=last_name)
    user.groups.add(Group.objects.get(name=group_name))
    user.services.add(*services)
    return user


@pytest.fixture
def proposal(demo_chapter):  # noqa: F811
    """Project 16.1 published as engagé, then a référent's proposal: réalisé, 100 %, with a note."""
    project = demo_chapter["projects"]["16.1"]
    project.status, project.progress = ProjectStatus.ENGAGE, 40
    project.save_revision().publish(skip_permission_checks=True)
    referent = member_of(
        roles.REFERENTS, "referente", "Alix", "Référente", [demo_chapter["services"]["relation-usagers"]]
    )
    changes = {"status": ProjectStatus.REALISE, "progress": 100}
    revision = submit_proposal(ProjectPage.objects.get(pk=project.pk), referent, changes, NOTE)
    return ProjectPage.objects.get(pk=project.pk), revision


def test_approving_in_the_page_editor_leaves_no_draft_and_keeps_the_notes(
    browser,  # noqa: F811
    client,
    live_server,
    proposal,
    agent_user,  # noqa: F811
):
    project, proposed_revision = proposal
    moderator = member_of(roles.MODERATORS, "moderateur", "Dominique", "Modérateur")

    with signed_in_tab(browser, client, moderator, live_server) as page:
        held = []
        hold_the_approval(page, held)
        page.goto(f"/admin/pages/{project.pk}/edit/")
        page.wait_for_timeout(READING_MS)
        page.get_by_role("button", name="Plus d'actions").click()
        page.get_by_role("button", name="Approuver avec un commentaire et publier").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_role("textbox").fill(COMMENT)
        with page.expect_navigation(timeout=20_000):
            # Not waiting for the navigation that hold_the_approval holds back.
            dialog.get_by_role("button", name="Approuver avec un commentaire").click(no_wait_after=True)
            page.wait_for_timeout(APPROVAL_DELAY_MS)
            [approval] = held
            approval.continue_()
        expect(page.locator(".messages")).to_contain_text(project.title)
        page.wait_for_timeout(AUTOSAVE_GRACE_MS)

    project = ProjectPage.objects.get(pk=project.pk)
    assert not project.has_unpublished_changes
    assert project.live_revision == proposed_revision
    assert not project.revisions.filter(created_at__gt=proposed_revision.created_at).exists()
    assert (project.status, project.progress) == (ProjectStatus.REALISE, 100)

    with signed_in_tab(browser, client, agent_user, live_server) as page:
        page.goto(project.url + "historique/")
        latest = page.locator(".history-entry").first
        expect(latest).to_contain_text("Validée et publiée par Dominique Modérateur")
        expect(latest).to_contain_text(NOTE)
        expect(latest).to_contain_text(COMMENT)
