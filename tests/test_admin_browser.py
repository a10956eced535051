"""In Chromium, an editor finds project 16.2 by its reference, adds a service and chooses the pilot by
searching, and submits the page, from the keyboard alone, without typing a name in full (issue 16).

Transactional, like tests/test_browser.py: the pages are served by `live_server`.
"""

from django.contrib.auth.models import Group

import pytest
from playwright.sync_api import expect

from axes.models import ProjectPage
from editorial import roles

from .browser import axe_violations, browser, demo_chapter, signed_in_tab  # noqa: F401 (fixtures)
from .factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def editor():
    user = UserFactory(username="editeur", first_name="Claude", last_name="Éditeur")
    user.groups.add(Group.objects.get(name=roles.EDITORS))
    return user


def test_an_editor_finds_edits_and_submits_16_2_from_the_keyboard(
    browser,  # noqa: F811
    client,
    live_server,
    demo_chapter,  # noqa: F811
    editor,
):
    project = demo_chapter["projects"]["16.2"]
    services = demo_chapter["services"]
    new_pilot, added = services["education"], services["finances"]
    assert new_pilot != project.pilot_service and added not in project.services.all()

    with signed_in_tab(browser, client, editor, live_server) as page:
        page.goto("/admin/")
        page.locator("#wagtail-sidebar input[name=q]").focus()
        page.keyboard.type("16.2")
        page.keyboard.press("Enter")
        result = page.get_by_role("link", name=f"16.2 · {project.title}").first
        expect(result).to_be_visible()
        result.focus()
        page.keyboard.press("Enter")
        expect(page).to_have_url(f"{live_server.url}/admin/pages/{project.pk}/edit/")
        # Axe reads the editor once its rich text field is drawn and labelled.
        page.wait_for_load_state("networkidle")
        expect(page.locator(".public-DraftEditor-content[aria-labelledby]")).to_be_visible()
        assert axe_violations(page) == []

        # A service added by typing part of its name, then Enter.
        page.get_by_role("textbox", name="Ajouter un service").focus()
        page.keyboard.type("finan")
        page.keyboard.press("Enter")
        expect(page.get_by_role("checkbox", name="Finances")).to_be_checked()
        expect(page.get_by_role("status").filter(has_text="Finances est ajouté")).to_be_visible()

        # An unknown name is refused aloud, and the page is not submitted.
        page.keyboard.type("Service des fusées")
        page.keyboard.press("Enter")
        refusal = "« Service des fusées » n'est pas dans la liste des services"
        expect(page.get_by_text(refusal)).to_be_visible()
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")

        # The pilot, chosen in its chooser by searching.
        pilot = page.locator("#id_pilot_service-chooser")
        pilot.get_by_role("button", name="Actions").focus()
        page.keyboard.press("Enter")
        pilot.locator("[data-chooser-action-choose]").first.focus()
        page.keyboard.press("Enter")
        dialog = page.get_by_role("dialog")
        search = dialog.get_by_role("textbox", name="Rechercher un service")
        expect(search).to_be_visible()
        search.focus()
        page.keyboard.type("éduc")
        choice = dialog.get_by_role("link", name="Éducation")
        expect(choice).to_have_count(1, timeout=20_000)  # it searches as one types, on a busy machine
        choice.focus()
        page.keyboard.press("Enter")
        expect(dialog).to_be_hidden()
        expect(page.locator("input[name=pilot_service]")).to_have_value(str(new_pilot.pk))
        expect(page.get_by_role("checkbox", name="Éducation")).to_be_checked()

        page.get_by_role("button", name="Plus d'actions").focus()
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Soumettre à Validation du COP").focus()
        page.keyboard.press("Enter")
        expect(page.locator(".messages")).to_contain_text(project.title)

    submitted = ProjectPage.objects.get(pk=project.pk).get_latest_revision_as_object()
    assert submitted.pilot_service == new_pilot
    assert {new_pilot, added} <= set(submitted.services.all())
    assert ProjectPage.objects.get(pk=project.pk).workflow_in_progress
