"""In Chromium, against a real OpenID provider (tests/oidc_server.py): an agent signs in with the
city's account, gets their service and roles from its claims, and signs out of both.

Transactional, like tests/test_browser.py: the live server reads committed data.
"""

# Fixtures imported from tests/browser.py and tests/oidc_server.py are "redefined" as test
# arguments: that is pytest's way (pyproject.toml says the same of tests/test_browser.py).
# ruff: noqa: F811

import re

from django.contrib.auth import get_user_model

import pytest
from playwright.sync_api import expect

from accounts import oidc
from editorial import roles

from .browser import axe_violations, browser, browser_page, demo_chapter, heading_problems  # noqa: F401
from .oidc_server import oidc_on, oidc_provider  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CITY_BUTTON = "Se connecter avec le compte de la ville"
PROVIDER_HEADING = "Connexion au compte de la ville"
CAMILLE = ("cmartin", "mot-de-passe-de-camille")  # "CMartin" at the provider: case does not matter
DOMINIQUE = ("dleroy", "mot-de-passe-de-dominique")


def sign_in_at_provider(page, username, password):
    expect(page.get_by_role("heading", level=1)).to_have_text(PROVIDER_HEADING)
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Valider").click()


def sign_in(page, account):
    page.goto("/connexion/")
    page.get_by_role("link", name=CITY_BUTTON).click()
    sign_in_at_provider(page, *account)
    expect(page.locator(".site-nav")).to_be_visible()


def sign_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(re.compile(r"/connexion/$"))
    expect(page.locator(".site-nav")).to_have_count(0)


def roles_of(username):
    user = get_user_model().objects.get(username__iexact=username)
    return set(user.groups.values_list("name", flat=True))


def test_an_agent_signs_in_with_the_citys_account_and_finds_their_service(
    browser_page,
    oidc_on,
    demo_chapter,
):
    page = browser_page
    page.goto("/mon-service/")
    expect(page).to_have_url(re.compile(r"/connexion/\?next=/mon-service/$"))
    button = page.get_by_role("link", name=CITY_BUTTON)
    expect(button).to_be_visible()
    violations, headings = axe_violations(page), heading_problems(page)
    assert not violations and not headings, "\n".join(violations + headings)

    # By keyboard: the city's button comes before the local form.
    for _ in range(10):
        page.keyboard.press("Tab")
        if button.evaluate("element => element === document.activeElement"):
            break
    expect(button).to_be_focused()
    page.keyboard.press("Enter")

    sign_in_at_provider(page, *CAMILLE)
    expect(page).to_have_url("/services/relation-usagers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Relation usagers")
    expect(page.locator(".site-nav")).to_contain_text("Camille Martin")

    agent = get_user_model().objects.get(username="CMartin")
    assert (agent.directory, agent.email) == ("oidc", "camille.martin@ville.example")
    assert roles_of("cmartin") == {roles.EDITORS}


def test_a_role_comes_and_goes_with_the_groups_claim(browser_page, oidc_on, demo_chapter):
    page = browser_page
    sign_in(page, DOMINIQUE)
    assert roles_of("dleroy") == set()
    page.goto("/mon-service/")  # two services from a list claim
    expect(page.get_by_role("link", name="Éducation")).to_be_visible()
    expect(page.get_by_role("link", name="Finances")).to_be_visible()

    oidc_on.update_account("dleroy", groups=["agents", "cop-moderateurs"])
    sign_out(page)
    sign_in(page, DOMINIQUE)
    assert roles_of("dleroy") == {roles.MODERATORS}

    oidc_on.update_account("dleroy", groups=["agents"])
    sign_out(page)
    sign_in(page, DOMINIQUE)
    assert roles_of("dleroy") == set()


def test_signing_out_of_the_cop_signs_out_at_the_provider(browser_page, oidc_on, demo_chapter):
    page = browser_page
    sign_in(page, CAMILLE)
    # Still signed in at the provider, a new sign-in asks for nothing...
    page.goto("/connexion/oidc/")
    expect(page.locator(".site-nav")).to_contain_text("Camille Martin")

    # ...until the COP's sign-out, a form whose answer leads to the provider's end-session endpoint.
    sign_out(page)
    expect(page.get_by_role("link", name=CITY_BUTTON)).to_be_visible()
    page.get_by_role("link", name=CITY_BUTTON).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROVIDER_HEADING)


def test_an_agent_who_cancels_at_the_provider_is_told_so_on_the_login_page(browser_page, oidc_on):
    page = browser_page
    page.goto("/connexion/")
    page.get_by_role("link", name=CITY_BUTTON).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROVIDER_HEADING)
    page.get_by_role("link", name="Annuler et revenir à l'application").click()
    expect(page).to_have_url(re.compile(r"/connexion/$"))
    expect(page.locator(".messages")).to_have_text(oidc.CANCELLED)
    expect(page.get_by_role("link", name=CITY_BUTTON)).to_be_visible()
    assert not axe_violations(page)


def test_an_agent_deactivated_in_the_cop_is_told_so(browser_page, oidc_on):
    get_user_model().objects.create_user("cmartin", is_active=False)
    page = browser_page
    page.goto("/connexion/")
    page.get_by_role("link", name=CITY_BUTTON).click()
    sign_in_at_provider(page, *CAMILLE)
    expect(page).to_have_url(re.compile(r"/connexion/$"))
    expect(page.locator(".messages")).to_have_text(oidc.INACTIVE)
    expect(page.locator(".site-nav")).to_have_count(0)
