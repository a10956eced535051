"""Shared pieces of the real-browser tests: Debian's Chromium driven by Playwright, axe-core.

Playwright never downloads a browser here: it drives /usr/bin/chromium, which `.ci/run`
installs. Pages are served by pytest-django's `live_server`, which needs committed data,
so the tests that use these fixtures are transactional (see tests/test_browser.py).
"""

import io
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.test import override_settings

from wagtail.signal_handlers import disable_reference_index_auto_update

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

from axes.demo.builder import project_plan
from axes.demo.data import AXES, SERVICES

from .factories import AmbitionPageFactory, AxisPageFactory, ProjectPageFactory, ServiceFactory, UserFactory

CHROMIUM = Path("/usr/bin/chromium")
# Root needs --no-sandbox; the networking flags keep Chromium off a network it cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The demo's axis 2, whose ambition n° 16 brings Relation usagers and Éducation together.
DEMO_AXIS = next(axis for axis in AXES if axis["number"] == 2)
AGENT_SERVICE = "relation-usagers"


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the whole test module."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Les tests navigateur ont besoin de Chromium ({CHROMIUM}), absent de cette machine. "
            "Installez-le : apt-get install chromium fonts-dejavu-core (CI le fait dans .ci/run).",
            pytrace=False,
        )
    own_connections = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API runs an asyncio loop in the test thread, where Django refuses DB access.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            # With that loop marked as running, Django looks its connections up in a per-context
            # store and would open new ones, without the test database's serialized contents that
            # serialized_rollback restores: keep the test thread's own connections there.
            for alias, connection in own_connections.items():
                connections[alias] = connection
            yield chromium
            chromium.close()


def new_context(browser, live_server):
    """A browser context of its own (no cookie yet), on the live server."""
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def browser_page(browser, live_server):
    """A new browser tab, in a context of its own (no cookie yet), on the live server."""
    context = new_context(browser, live_server)
    yield context.new_page()
    context.close()


@contextmanager
def signed_in_tab(browser, client, user, live_server):
    """A tab signed in as `user`, in a context of its own: several people, each with their cookies."""
    context = new_context(browser, live_server)
    try:
        yield sign_in(context.new_page(), client, user, live_server)
    finally:
        context.close()


def sign_in(page, client, user, live_server):
    """Signs the tab in as `user`, with a session made by Django's test client."""
    client.force_login(user)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": live_server.url}]
    )
    return page


@pytest.fixture
def agent_user(demo_chapter):
    """Camille, an agent of the service Relation usagers."""
    user = UserFactory(username="agent", first_name="Camille", last_name="Martin")
    user.services.add(demo_chapter["services"][AGENT_SERVICE])
    return user


@pytest.fixture
def agent_page(browser_page, client, agent_user, live_server):
    """A browser tab signed in as the agent."""
    return sign_in(browser_page, client, agent_user, live_server)


@pytest.fixture
def demo_chapter(home):
    """Axis 2 of the demo COP with its real text: 10 ambitions (11 to 20) and 50 projects.

    Built in about a second: one transaction, and neither the search index nor the reference
    index, which no browser test reads, is updated on each save.
    """
    no_search_index = {
        name: {**backend, "AUTO_UPDATE": False} for name, backend in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    with (
        override_settings(WAGTAILSEARCH_BACKENDS=no_search_index),
        disable_reference_index_auto_update(),
        transaction.atomic(),
    ):
        return _build_chapter(home)


def _build_chapter(home):
    services = {data["slug"]: ServiceFactory(**data) for data in SERVICES}
    axis = AxisPageFactory(
        parent=home,
        number=DEMO_AXIS["number"],
        title=DEMO_AXIS["title"],
        intro=f"<p>{DEMO_AXIS['intro']}</p>",
    )
    ambitions, projects = {}, {}
    for ambition_data in DEMO_AXIS["ambitions"]:
        number = ambition_data["number"]
        ambition = AmbitionPageFactory(
            parent=axis, number=number, title=ambition_data["title"], intro=f"<p>{ambition_data['intro']}</p>"
        )
        ambitions[number] = ambition
        for index, project_data in enumerate(ambition_data["projects"], start=1):
            pilot = services[project_data["pilot"]]
            reference = f"{number}.{index}"
            projects[reference] = ProjectPageFactory(
                parent=ambition,
                reference=reference,
                title=project_data["title"],
                summary=project_data["summary"],
                body=f"<p>Ce projet est piloté par le service {pilot.name}.</p>",
                pilot_service=pilot,
                services=[services[slug] for slug in project_data["partners"]],
                **project_plan(reference),
            )
    return {"home": home, "axis": axis, "ambitions": ambitions, "projects": projects, "services": services}


def axe_violations(page, tags=WCAG_AA, max_targets=3):
    """Runs axe-core on the page; returns one readable line per WCAG A/AA violation."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": list(tags)}})
    lines = []
    for violation in results.response["violations"]:
        nodes = violation["nodes"]
        targets = [" ".join(map(str, node["target"])) for node in nodes[:max_targets]]
        more = f" (+{len(nodes) - max_targets} autres)" if len(nodes) > max_targets else ""
        summary = " ".join((nodes[0].get("failureSummary") or "").split())[:200] if nodes else ""
        lines.append(
            f"{violation['id']} [{violation['impact']}] {violation['help']} — "
            f"{len(nodes)} élément(s) : {', '.join(targets)}{more}" + (f" — {summary}" if summary else "")
        )
    return lines


def heading_problems(page):
    """Headings out of order: not exactly one h1, or a level skipped (h2 then h4)."""
    headings = page.evaluate(
        """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
            .filter(h => h.checkVisibility() && !h.closest('[aria-hidden="true"]'))
            .map(h => [Number(h.tagName[1]), h.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60)])"""
    )
    problems = []
    h1_count = sum(1 for level, _ in headings if level == 1)
    if h1_count != 1:
        problems.append(f"{h1_count} titres h1 au lieu d'un seul")
    previous = 0
    for level, text in headings:
        if level > previous + 1:
            problems.append(f"h{level} « {text} » suit un h{previous or '(rien)'} : niveau sauté")
        previous = level
    return problems


# Runs in the page: a short description of an element, for failure messages.
DESCRIBE = """el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' « '
    + (el.textContent || el.value || el.getAttribute('aria-label') || '')
        .trim().replace(/\\s+/g, ' ').slice(0, 50)
    + ' »'"""

# Runs in the page: the element that has the keyboard focus, marked so that it is counted once,
# with what makes its focus visible.
FOCUSED_ELEMENT = f"""() => {{
    const describe = {DESCRIBE};
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const style = getComputedStyle(el);
    const first = !el.hasAttribute('data-tab-reached');
    el.setAttribute('data-tab-reached', '');
    return {{
        first,
        label: describe(el),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
        shadow: style.boxShadow !== 'none',
    }};
}}"""

# Runs in the page: the links, buttons and fields that a sighted keyboard user can see.
VISIBLE_CONTROLS = f"""() => {{
    const describe = {DESCRIBE};
    return [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')]
        .filter(el => !el.disabled && el.tabIndex >= 0 && el.checkVisibility({{visibilityProperty: true}}))
        .map(el => ({{reached: el.hasAttribute('data-tab-reached'), label: describe(el)}}));
}}"""


def tab_through(page, limit=500):
    """Presses Tab until the focus comes back round; returns each element reached, in order.

    The focus may start anywhere (an autofocus field): past the last element it leaves the
    page, then the next Tab starts again from the top, until an element comes round twice.
    """
    reached, outside = [], 0
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_ELEMENT)
        if focused is None:
            outside += 1
            if outside > 2:
                break
            continue
        outside = 0
        if not focused["first"]:
            break
        reached.append(focused)
    return reached


def visible_controls(page):
    return page.evaluate(VISIBLE_CONTROLS)


def pdf_page_count(pdf_bytes):
    return len(PdfReader(io.BytesIO(pdf_bytes)).pages)
