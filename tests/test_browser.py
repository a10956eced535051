"""In a real browser (Debian's Chromium): the COP is accessible, keyboard-friendly and prints well.

The pages are served by `live_server`, so the data must be committed: the tests are
transactional, and serialized_rollback restores the home page and site of the data
migrations for the tests that follow. Helpers and fixtures live in tests/browser.py.
"""

import datetime
import re
from io import StringIO

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from axes.models import ProjectStatus
from editorial import roles

from .browser import (  # noqa: F401 (fixtures)
    agent_page,
    agent_user,
    axe_violations,
    browser,
    browser_page,
    demo_chapter,
    heading_problems,
    pdf_page_count,
    sign_in,
    signed_in_tab,
    tab_through,
    visible_controls,
)
from .factories import EditionFactory, ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# name: (where the page is in the demo chapter, signed in as the agent?)
PAGES = {
    "accueil": (lambda chapter: "/", True),
    "axe-2": (lambda chapter: chapter["axis"].url, True),
    "ambition-16": (lambda chapter: chapter["ambitions"][16].url, True),
    "projet-16.1": (lambda chapter: chapter["projects"]["16.1"].url, True),
    "services": (lambda chapter: "/services/", True),
    "service-relation-usagers": (lambda chapter: "/services/relation-usagers/", True),
    "partenariats": (lambda chapter: "/partenariats/", True),
    "accessibilite": (lambda chapter: "/accessibilite/", True),
    "connexion-deconnecte": (lambda chapter: "/connexion/", False),
}


@pytest.fixture
def open_cop_page(browser_page, client, agent_user, live_server, demo_chapter):  # noqa: F811
    """Opens one of PAGES in the browser, signed in as the agent or not, and checks it is served."""

    def open_page(name):
        find_url, signed_in = PAGES[name]
        if signed_in:
            sign_in(browser_page, client, agent_user, live_server)
        url = find_url(demo_chapter)
        response = browser_page.goto(url)
        assert response.status == 200, f"{url} répond {response.status} au lieu de 200"
        return browser_page

    return open_page


@pytest.mark.parametrize("name", PAGES)
def test_every_page_passes_axe_wcag_aa_and_has_its_headings_in_order(open_cop_page, name):
    page = open_cop_page(name)
    violations = axe_violations(page)
    headings = heading_problems(page)
    assert not violations and not headings, "\n".join(
        [f"Sur {page.url} :"]
        + [f"axe-core : {violation}" for violation in violations]
        + [f"titres : {problem}" for problem in headings]
    )


def test_a_chapter_prints_on_at_most_two_a4_pages(open_cop_page):
    page = open_cop_page("axe-2")
    page.emulate_media(media="print")
    pages = pdf_page_count(page.pdf(format="A4", print_background=True))
    assert pages <= 2, f"L'axe 2 (10 ambitions, 50 projets) s'imprime sur {pages} pages A4, 2 au plus"


def test_the_first_tab_reaches_the_skip_link_which_leads_to_the_content(open_cop_page):
    page = open_cop_page("accueil")
    page.keyboard.press("Tab")
    skip_link = page.locator("a[href='#contenu']").first
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_text("Aller au contenu")
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()


def test_every_link_and_button_of_a_chapter_is_reached_by_tab_with_a_visible_focus(open_cop_page):
    page = open_cop_page("axe-2")
    reached = tab_through(page)
    controls = visible_controls(page)
    missed = [control["label"] for control in controls if not control["reached"]]
    assert not missed, f"{len(missed)} liens ou boutons jamais atteints au clavier : {missed[:5]}"
    assert len(reached) == len(controls), f"Tab atteint {len(reached)} éléments pour {len(controls)} visibles"
    invisible = [element["label"] for element in reached if not (element["outline"] or element["shadow"])]
    assert not invisible, f"{len(invisible)} éléments sans focus visible (outline, ombre) : {invisible[:5]}"


def test_an_agent_of_relation_usagers_finds_ambition_16_and_its_partner_education(open_cop_page):
    page = open_cop_page("accueil")
    page.get_by_role("link", name="n° 16 Simplifier l'accès numérique aux services de la ville").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ambition n° 16")
    table = page.locator(".project-table")
    expect(table.get_by_role("link", name="Éducation").first).to_be_visible()
    table.get_by_role("link", name="Éducation").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Éducation")
    expect(page).to_have_url("/services/education/")


@pytest.fixture
def searchable_chapter(demo_chapter):
    """The chapter in the search index (the chapter fixture skips indexing), with a bike project."""
    ProjectPageFactory(
        parent=demo_chapter["ambitions"][19],
        reference="19.9",
        title="Vélos de service pour les agents",
        summary="Une flotte de vélos à assistance électrique pour les déplacements entre sites.",
        pilot_service=demo_chapter["services"]["ressources-humaines"],
    )
    call_command("update_index", stdout=StringIO())
    return demo_chapter


def test_the_search_page_passes_axe_with_and_without_results(agent_page, searchable_chapter):
    agent_page.goto("/recherche/?q=velo")
    expect(agent_page.locator(".search-count")).to_contain_text("1 résultat pour « velo »")
    results = agent_page.locator(".search-result")
    expect(results).to_have_count(1)
    expect(results.get_by_role("link")).to_contain_text("19.9 Vélos de service pour les agents")
    assert not axe_violations(agent_page) and not heading_problems(agent_page), "avec résultats"

    agent_page.goto("/recherche/?q=zzzz")
    expect(agent_page.locator(".search-count")).to_contain_text(re.compile(r"\b0\srésultat pour\s«\szzzz\s»"))
    expect(agent_page.locator(".search-result")).to_have_count(0)
    expect(agent_page.locator(".empty-state-box")).to_contain_text(
        "Aucun projet, aucune ambition ni aucun axe ne correspond à votre recherche."
    )
    assert not axe_violations(agent_page) and not heading_problems(agent_page), "sans résultat"


def test_an_agent_types_velo_in_the_header_and_picks_a_suggestion_with_the_keyboard(
    agent_page, searchable_chapter
):
    agent_page.goto("/")
    box = agent_page.get_by_role("combobox", name="Rechercher dans le COP")
    box.press_sequentially("velo", delay=50)
    option = agent_page.get_by_role("option", name="19.9 Vélos de service pour les agents")
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    assert not axe_violations(agent_page), "la liste de suggestions ouverte doit passer axe"
    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    box.press("Enter")
    expect(agent_page.get_by_role("heading", level=1)).to_contain_text("Vélos de service pour les agents")


def test_without_a_suggestion_the_header_box_submits_the_search(agent_page, searchable_chapter):
    agent_page.goto("/")
    box = agent_page.get_by_role("combobox", name="Rechercher dans le COP")
    box.fill("identite numerique")
    box.press("Enter")
    expect(agent_page).to_have_url("/recherche/?q=identite+numerique")
    expect(agent_page.locator(".search-result").first).to_contain_text("16.2")


@pytest.fixture
def published_history(demo_chapter):
    """Project 16.1 published by a moderator, then again as réalisé, with Finances and a longer summary;
    and an edition of the COP to offer on the comparison page."""
    project = demo_chapter["projects"]["16.1"]
    moderator = UserFactory(username="moderatrice", first_name="Dominique", last_name="Modératrice")
    project.save_revision(user=moderator).publish(user=moderator, skip_permission_checks=True)
    project.status, project.progress = ProjectStatus.REALISE, 100
    project.summary += " Revu en comité de pilotage."
    project.services.add(demo_chapter["services"]["finances"])
    project.save_revision(user=moderator).publish(user=moderator, skip_permission_checks=True)
    EditionFactory(name="Édition de mars 2022", date=datetime.date(2022, 3, 1))
    return demo_chapter


def compare_since_yesterday(chapter):
    today = timezone.localdate()
    return f"/evolutions/comparer/?du={today - datetime.timedelta(days=1)}&au={today}"


HISTORY_PAGES = {
    "historique-16.1": lambda chapter: chapter["projects"]["16.1"].url + "historique/",
    "evolutions": lambda chapter: "/evolutions/",
    "comparer": compare_since_yesterday,
}


@pytest.mark.parametrize("name", HISTORY_PAGES)
def test_history_pages_pass_axe_and_have_their_headings_in_order(agent_page, published_history, name):
    response = agent_page.goto(HISTORY_PAGES[name](published_history))
    assert response.status == 200, f"{agent_page.url} répond {response.status}"
    expect(agent_page.locator("main")).to_contain_text("16.1")
    violations, headings = axe_violations(agent_page), heading_problems(agent_page)
    assert not violations and not headings, "\n".join(
        [f"Sur {agent_page.url} :"]
        + [f"axe-core : {violation}" for violation in violations]
        + [f"titres : {problem}" for problem in headings]
    )


# --- The editorial story: an editor submits, a moderator approves, an agent reads --------------


def member_of(group_name, username, first_name, last_name):
    user = UserFactory(username=username, first_name=first_name, last_name=last_name)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def engaged_project(demo_chapter):
    """Project 16.1 published once as engagé, with a revision: the version its history starts from."""
    project = demo_chapter["projects"]["16.1"]
    workflow = project.get_workflow()
    assert workflow is not None and workflow.name == "Validation du COP", (
        "le workflow « Validation du COP » de la migration editorial 0002 doit couvrir le COP"
    )
    project.status, project.progress = ProjectStatus.ENGAGE, 40
    project.save_revision().publish(skip_permission_checks=True)
    return project


def test_an_editor_submits_a_new_status_a_moderator_approves_it_and_an_agent_reads_it(
    browser, client, live_server, engaged_project, agent_user
):
    project = engaged_project
    editor = member_of(roles.EDITORS, "editeur", "Claude", "Éditeur")
    moderator = member_of(roles.MODERATORS, "moderateur", "Dominique", "Modérateur")
    project_link = f"{project.reference} {project.title}"

    # The editor changes the status in the page editor and submits the page to the workflow.
    with signed_in_tab(browser, client, editor, live_server) as page:
        page.goto(f"/admin/pages/{project.pk}/edit/")
        page.get_by_role("combobox", name="Statut").select_option(label="Réalisé")
        page.get_by_role("spinbutton", name="Avancement (%)").fill("100")
        page.get_by_role("button", name="Plus d'actions").click()
        page.get_by_role("button", name="Soumettre à Validation du COP").click()
        expect(page.locator(".messages")).to_contain_text(project.title)

    # The moderator finds it on the admin home, reviews the changes and approves them.
    with signed_in_tab(browser, client, moderator, live_server) as page:
        page.goto("/admin/")
        panel = page.get_by_role("region", name="Suivi éditorial du COP")
        expect(panel.get_by_role("heading", name="En attente de validation (1)")).to_be_visible()
        waiting = panel.get_by_role("listitem").filter(
            has=page.get_by_role("link", name=project_link), has_text="soumission de Claude Éditeur"
        )
        waiting.get_by_role("link", name="voir les changements").click()
        status_row = page.get_by_role("row").filter(has_text="Statut")
        expect(status_row.locator(".deletion")).to_have_text("Engagé")
        expect(status_row.locator(".addition")).to_have_text("Réalisé")
        page.go_back()
        review = page.get_by_role("region", name="En attente de votre vérification")
        row = review.get_by_role("row").filter(has=page.get_by_role("link", name=project.title))
        row.get_by_role("button", name="Actions").click()
        row.get_by_role("button", name="Approuver avec un commentaire").click()
        # Wagtail's modal (its French label for the comment is « Commenter »).
        dialog = page.get_by_role("dialog").filter(has_text="Approuver avec un commentaire")
        dialog.get_by_role("textbox").fill("Livré en mars, validé en comité.")
        dialog.get_by_role("button", name="Approuver avec un commentaire").click()
        expect(panel).to_contain_text("Aucune page n'attend de validation.")
        expect(review).to_have_count(0)

    # An agent reads the new status on the project page, and what changed in its history.
    with signed_in_tab(browser, client, agent_user, live_server) as page:
        page.goto(project.url)
        expect(page.locator(".project-facts .status")).to_have_text("Réalisé")
        page.get_by_role("link", name="Historique du projet").click()
        expect(page).to_have_url(project.url + "historique/")
        versions = page.locator(".history-entry")
        expect(versions).to_have_count(2)
        latest = versions.first
        expect(latest.get_by_role("heading", level=2)).to_contain_text("Nouvelle version publiée")
        expect(latest).to_contain_text("Validée et publiée par Dominique Modérateur")
        expect(latest).to_contain_text("Livré en mars, validé en comité.")
        status_change = latest.get_by_role("listitem").filter(has_text="Statut")
        expect(status_change.locator(".change-list__before")).to_have_text("Engagé")
        expect(status_change.locator("strong")).to_have_text("Réalisé")
