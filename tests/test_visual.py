"""In Chromium, the agents' site at a phone's, a small laptop's and a desktop's width: every page type
is screenshotted (var/screenshots/<page>-<width>.png, kept by CI), none scrolls sideways, axe-core
finds nothing; the focus ring stands out, the header's menu works by keyboard, the suggestions stay
in the window, and the feed reads as a page.

One browser for the module; the COP (the demo's axis 2, with a history and a search index) is built
once per test, and the test that walks the page types walks them all. Transactional, like every
live_server test (tests/browser.py).
"""

import datetime
import re
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from axes.models import Milestone, ProjectStatus
from followup.models import Answer, Campaign, CampaignAnswer
from indicators.models import IndicatorValue

from .browser import (  # noqa: F401 (fixtures)
    agent_user,
    axe_violations,
    browser,
    demo_chapter,
    sign_in,
)
from .factories import EditionFactory, IndicatorFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots"
WIDTHS = (390, 1024, 1366)
# axe-core takes a second or two a page: at the narrowest and the widest widths.
AXE_WIDTHS = (390, 1366)
# WCAG 2.1, 1.4.11 and 2.4.7: a focus indicator at least 3:1 against what surrounds it.
MIN_FOCUS_CONTRAST = 3


def compare_since_yesterday():
    today = timezone.localdate()
    return f"/evolutions/comparer/?du={today - datetime.timedelta(days=1)}&au={today}"


# name: (where the page is in the COP, the status it answers, signed in as the agent?)
PAGE_TYPES = {
    "accueil": (lambda cop: "/", 200, True),
    "axe": (lambda cop: cop["axis"].url, 200, True),
    "ambition": (lambda cop: cop["ambitions"][16].url, 200, True),
    "projet": (lambda cop: cop["projects"]["16.1"].url, 200, True),
    "services": (lambda cop: "/services/", 200, True),
    "service": (lambda cop: "/services/relation-usagers/", 200, True),
    "mon-service": (lambda cop: "/mon-service/", 200, True),
    "recherche": (lambda cop: "/recherche/?q=numerique", 200, True),
    "recherche-sans-resultat": (lambda cop: "/recherche/?q=zzzz", 200, True),
    "evolutions": (lambda cop: "/evolutions/", 200, True),
    "comparer": (lambda cop: compare_since_yesterday(), 200, True),
    "historique": (lambda cop: cop["projects"]["16.1"].url + "historique/", 200, True),
    "calendrier": (lambda cop: "/calendrier/", 200, True),
    "indicateurs": (lambda cop: "/indicateurs/", 200, True),
    "indicateur": (lambda cop: f"/indicateurs/{cop['indicator'].slug}/", 200, True),
    "connexion": (lambda cop: "/connexion/", 200, False),
    "abonnements": (lambda cop: "/abonnements/", 200, True),
    "accessibilite": (lambda cop: "/accessibilite/", 200, True),
    "campagne": (lambda cop: f"/campagnes/{cop['campaign'].pk}/", 200, True),
    "introuvable": (lambda cop: "/nulle-part/", 404, True),
}

# Runs in the page: where the focus ring of the focused element is drawn, and on what. With a
# positive offset the ring lies on the background of the element's parent, the first one painted.
FOCUS_RING = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const painted = colour => colour && colour !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(colour);
    let node = parseFloat(style.outlineOffset) < 0 ? el : el.parentElement;
    let background = 'rgb(255, 255, 255)';
    for (; node; node = node.parentElement) {
        const colour = getComputedStyle(node).backgroundColor;
        if (painted(colour)) { background = colour; break; }
    }
    return {
        label: el.tagName.toLowerCase() + ' « ' + (el.textContent || el.value || '').trim().slice(0, 40)
            + ' »',
        style: style.outlineStyle,
        width: parseFloat(style.outlineWidth),
        ring: style.outlineColor,
        background,
    };
}"""


def milestones_around(today):
    return [
        Milestone(
            title="Cahier des charges", planned_date=today - datetime.timedelta(days=200), done_date=today
        ),
        Milestone(title="Choix du prestataire", planned_date=today - datetime.timedelta(days=20)),
        Milestone(title="Ouverture au public", planned_date=today + datetime.timedelta(days=300)),
    ]


def publish_milestones(project, moderator):
    project.milestones = milestones_around(timezone.localdate())
    project.save_revision(user=moderator).publish(user=moderator, skip_permission_checks=True)


def published_indicator(chapter, moderator):
    """An indicator of ambition 16 and project 16.1, published twice: its chart, its table and its
    values' history; the ambition's and the project's pages show it."""
    indicator = IndicatorFactory(
        name="Démarches faites en ligne",
        service=chapter["services"]["relation-usagers"],
        values=[(datetime.date(2021 + year, 1, 1), 20 + 8 * year) for year in range(4)],
        targets=[(datetime.date(2026, 12, 31), 60)],
        ambitions=[chapter["ambitions"][16]],
        projects=[chapter["projects"]["16.1"]],
    )
    indicator.save_revision(user=moderator).publish(user=moderator, skip_permission_checks=True)
    indicator.values.add(IndicatorValue(date=datetime.date(2025, 1, 1), value=49, entered_by=moderator))
    indicator.save_revision(user=moderator).publish(user=moderator, skip_permission_checks=True)
    return indicator


@pytest.fixture
def visual_cop(demo_chapter, agent_user):  # noqa: F811
    """The chapter with project 16.1 published twice (its history, the journal), milestones on 16.1
    and 16.2 (done, late, to come), an edition to compare with, and a campaign in progress where 16.1
    is confirmed."""
    project = demo_chapter["projects"]["16.1"]
    moderator = UserFactory(username="moderatrice", first_name="Dominique", last_name="Modératrice")
    publish_milestones(demo_chapter["projects"]["16.2"], moderator)
    project.milestones = milestones_around(timezone.localdate())
    project.save_revision(user=moderator).publish(user=moderator, skip_permission_checks=True)
    project.status, project.progress = ProjectStatus.REALISE, 100
    project.services.add(demo_chapter["services"]["finances"])
    project.save_revision(user=moderator).publish(user=moderator, skip_permission_checks=True)
    EditionFactory(name="Édition de mars 2022", date=datetime.date(2022, 3, 1))
    campaign = Campaign.objects.create(
        cop=demo_chapter["home"],
        name="Revue annuelle 2026",
        deadline=timezone.localdate() + datetime.timedelta(days=20),
    )
    CampaignAnswer.objects.create(
        campaign=campaign, project=project, answer=Answer.UP_TO_DATE, user=moderator
    )
    indicator = published_indicator(demo_chapter, moderator)
    return {**demo_chapter, "campaign": campaign, "indicator": indicator}


@pytest.fixture
def indexed_cop(visual_cop):
    """The same COP in the search index, for the search page and the suggestions."""
    call_command("update_index", stdout=StringIO())
    return visual_cop


@pytest.fixture
def tab_at(browser, client, agent_user, live_server):  # noqa: F811
    """Opens tabs at a given width, signed in as the agent or not, with or without JavaScript."""
    contexts = []

    def open_tab(width, signed_in=True, javascript=True):
        context = browser.new_context(
            base_url=live_server.url,
            locale="fr-FR",
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        return sign_in(page, client, agent_user, live_server) if signed_in else page

    yield open_tab
    for context in contexts:
        context.close()


def overflow(page):
    """How many pixels the page scrolls sideways, 0 when it fits its window."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_every_page_type_fits_its_width_passes_axe_and_is_screenshotted(tab_at, indexed_cop):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for width in WIDTHS:
        tabs = {True: tab_at(width), False: tab_at(width, signed_in=False)}
        for name, (find_url, status, signed_in) in PAGE_TYPES.items():
            page = tabs[signed_in]
            url = find_url(indexed_cop)
            response = page.goto(url)
            if response.status != status:
                problems.append(f"{name} ({url}) répond {response.status} au lieu de {status}")
                continue
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
            if (extra := overflow(page)) > 0:
                problems.append(f"{name} à {width} px : {extra} px de trop en largeur")
            if width in AXE_WIDTHS:
                problems += [f"{name} à {width} px, axe-core : {v}" for v in axe_violations(page)]
    assert not problems, "\n".join(problems)


def channel(value):
    value /= 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(css_colour):
    """WCAG's relative luminance of a computed CSS colour: rgb(…), rgba(…) or color(srgb …)."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", css_colour)]
    red, green, blue = numbers[:3] if css_colour.startswith("rgb") else [n * 255 for n in numbers[:3]]
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first, second):
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def focus_rings(page, presses=24):
    rings = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        rings.append(page.evaluate(FOCUS_RING))
    return rings


def test_the_focus_ring_contrasts_3_to_1_on_white_and_on_the_header(tab_at, visual_cop):
    desktop, phone = tab_at(1366), tab_at(390)
    desktop.goto("/")
    phone.goto("/")
    phone.get_by_role("button", name="Menu").click()  # its links too, on the header's colour
    rings = focus_rings(desktop) + focus_rings(phone)
    faint = []
    for ring in rings:
        ratio = contrast(ring["ring"], ring["background"])
        if ring["style"] == "none" or ring["width"] < 2 or ratio < MIN_FOCUS_CONTRAST:
            where = f"{ring['ring']} sur {ring['background']}"
            faint.append(f"{ring['label']} : {ring['width']} px, {where} ({ratio:.1f}:1)")
    assert not faint, "Focus trop peu visible :\n" + "\n".join(faint)
    backgrounds = {ring["background"] for ring in rings}
    assert len(backgrounds) >= 2, f"le parcours devait passer par l'en-tête et le contenu : {backgrounds}"


def test_on_a_phone_the_header_menu_opens_and_closes_by_keyboard(tab_at, visual_cop):
    page = tab_at(390)
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    sign_out = page.get_by_role("button", name="Se déconnecter")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(sign_out).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".site-user__name")).to_be_in_viewport()
    for _ in range(12):
        page.keyboard.press("Tab")
        if sign_out.evaluate("el => el === document.activeElement"):
            break
    expect(sign_out).to_be_focused()
    expect(sign_out).to_be_in_viewport()
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(sign_out).to_be_hidden()


def test_without_javascript_the_phone_header_shows_its_whole_menu(tab_at, visual_cop):
    page = tab_at(390, javascript=False)
    page.goto("/")
    expect(page.locator(".menu-toggle")).to_be_hidden()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(page.get_by_role("link", name="Mes abonnements")).to_be_visible()
    assert overflow(page) <= 0


def test_from_the_home_an_axis_chapter_is_a_few_tabs_away(tab_at, visual_cop):
    """Two Tabs to "Aller aux axes", Enter, then one Tab per axis before it: 4 Tabs to the demo's Axe 2."""
    page = tab_at(1366)
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Aller aux axes")
    expect(page.locator(":focus")).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # this chapter is the only axis, the first one in the list
    expect(page.locator(":focus")).to_have_attribute("href", visual_cop["axis"].url)
    expect(page.locator(":focus")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(visual_cop["axis"].url)


def test_the_header_suggestions_stay_inside_the_window(tab_at, indexed_cop):
    for width in (390, 1024):
        page = tab_at(width)
        page.goto("/")
        box = page.get_by_role("combobox", name="Rechercher dans le COP")
        expect(box).to_be_visible()  # on a phone too: the search stays outside the menu
        box.press_sequentially("numerique", delay=30)
        listbox = page.get_by_role("listbox", name="Suggestions")
        expect(listbox).to_be_visible()
        bounds = listbox.bounding_box()
        left, right = bounds["x"], bounds["x"] + bounds["width"]
        assert left >= 0 and right <= width, (
            f"à {width} px, les suggestions vont de {left:.0f} à {right:.0f} px"
        )


def test_a_browser_shows_the_feed_as_a_french_page_through_its_stylesheet(tab_at, visual_cop):
    page = tab_at(1366)
    # Chromium's own banner on XSLT's deprecation has an inline handler, which the policy blocks:
    # what matters here is that no stylesheet of the page was refused.
    refused_styles = []
    page.on("console", lambda message: "style-src" in message.text and refused_styles.append(message.text))
    page.goto("/evolutions/flux/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Évolutions du COP")
    expect(page.locator("main")).to_contain_text("Cette page est un flux Atom.")
    expect(page.get_by_label("Adresse du flux")).to_have_value(re.compile(r"/evolutions/flux/$"))
    expect(page.locator(".feed-entries > li").first).to_contain_text("Projet 16.1")
    # The site's stylesheet applied (the policy allowed it): the header in the city's colour.
    header_colour = page.locator(".site-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header_colour == "rgb(11, 79, 138)", header_colour
    assert not refused_styles, refused_styles
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "flux-1366.png", full_page=True)
