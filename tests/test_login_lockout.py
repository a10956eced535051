"""Sign-in is refused for a while after repeated failures (accounts/lockout.py), in the local
memory of the tests and in the database cache that a server without Redis shares."""

import datetime

from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse

import pytest
import time_machine

from accounts import lockout
from accounts.checks import check_lockout_cache_is_shared

from .factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-de-test"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
DATABASE_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "lockout_test_cache"}


@pytest.fixture(autouse=True, params=["locmem", "database"])
def counters_cache(request, settings):
    if request.param == "database":
        settings.CACHES = {**settings.CACHES, "default": DATABASE_CACHE}
        call_command("createcachetable", verbosity=0)  # rolled back with the test
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def camille():
    return UserFactory(username="camille")


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def at(clock, minutes, seconds=0):
    clock.move_to(START + datetime.timedelta(minutes=minutes, seconds=seconds))


def sign_in(client, username, password, address="10.0.0.1", url_name="login"):
    return client.post(reverse(url_name), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times=1, address="10.0.0.1"):
    return [sign_in(client, username, "mauvais", address).status_code for _ in range(times)]


def is_signed_in(client):
    return "_auth_user_id" in client.session


def is_locked(username, address="10.0.0.1"):
    """Whether a sign-in would be refused, asked without attempting one (which would renew the lock)."""
    request = RequestFactory().post("/connexion/", REMOTE_ADDR=address)
    return bool(lockout.locked(lockout.attempt_counters(request, username)))


def test_five_failures_lock_the_account_even_with_the_right_password(client, camille, clock):
    assert fail(client, "camille", 4) == [200] * 4
    fifth = sign_in(client, "camille", "mauvais")
    assert fifth.status_code == 429
    assert "Trop de tentatives" in fifth.content.decode()
    response = sign_in(client, "camille", PASSWORD)
    assert not is_signed_in(client)
    assert response.status_code == 429
    assert "Réessayez dans 15 minutes" in response.content.decode()


def test_a_full_width_spelling_signs_in_but_does_not_escape_the_lock(client, camille, clock):
    assert sign_in(client, "ｃａｍｉｌｌｅ", PASSWORD).status_code == 302  # the form's NFKC
    client.logout()
    fail(client, "camille", 5)
    response = sign_in(client, "ｃａｍｉｌｌｅ", PASSWORD)
    assert response.status_code == 429
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    "spelling",
    [
        "ｃａｍｉｌｌｅ",  # full-width letters
        "ⅽamille",  # the Roman numeral one hundred
        "camｉlle",  # one full-width letter
        "  camille ",  # spaces, which the form strips
        "CAMILLE",
        "Ｃａｍｉｌｌｅ",
    ],
)
def test_failures_under_any_spelling_of_the_username_lock_it(spelling, client, camille, clock):
    fail(client, spelling, 5)
    assert sign_in(client, "camille", PASSWORD).status_code == 429
    assert sign_in(client, spelling, PASSWORD).status_code == 429


def test_the_account_is_locked_whatever_mix_of_spellings_is_used(client, camille, clock):
    for spelling in ("camille", "Camille", "ｃａｍｉｌｌｅ", "ⅽamille"):
        fail(client, spelling)
    sign_in(client, "CAMILLE", "mauvais", url_name="wagtailadmin_login")
    for url_name in ("login", "wagtailadmin_login"):
        for spelling in ("camille", "ＣＡＭＩＬＬＥ"):
            sign_in(client, spelling, PASSWORD, url_name=url_name)
            assert not is_signed_in(client)


def test_every_spelling_counts_on_the_account_itself(camille):
    request = RequestFactory().post("/connexion/", REMOTE_ADDR="10.0.0.1")
    account = lockout.Counter(f"account:{camille.pk}", 5)
    for spelling in ("camille", "CAMILLE", "ｃａｍｉｌｌｅ", " ⅽamille"):
        assert account in lockout.attempt_counters(request, spelling)
    assert account not in lockout.attempt_counters(request, "camille2")


def test_the_lock_lasts_the_cool_off_after_the_last_failure(client, camille, clock):
    for minute in range(5):
        at(clock, minute)
        fail(client, "camille")
    at(clock, 14)
    assert sign_in(client, "camille", "mauvais").status_code == 429
    at(clock, 28, 59)
    assert is_locked("camille")
    at(clock, 29, 1)
    assert not is_locked("camille")
    assert sign_in(client, "camille", PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_failures_add_up_while_each_comes_within_the_cool_off_of_the_previous(client, camille, clock):
    for minute in (0, 14, 28, 42):
        at(clock, minute)
        assert fail(client, "camille") == [200]
    at(clock, 56)
    assert fail(client, "camille") == [429]


def test_a_failure_after_a_quiet_cool_off_starts_a_new_count(client, camille, clock):
    fail(client, "camille", 4)
    at(clock, 15, 1)
    assert fail(client, "camille", 4) == [200] * 4
    assert sign_in(client, "camille", PASSWORD).status_code == 302


def test_once_the_lock_has_lifted_the_agent_has_their_tries_again(client, camille, clock):
    fail(client, "camille", 5)
    at(clock, 15, 1)
    assert fail(client, "camille", 4) == [200] * 4
    assert sign_in(client, "camille", PASSWORD).status_code == 302


def test_a_lock_on_one_agent_leaves_another_agent_alone(client, camille, clock):
    UserFactory(username="dominique")
    fail(client, "camille", 5)
    assert sign_in(client, "dominique", PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_an_unknown_username_is_locked_like_an_account(client, clock):
    assert fail(client, "personne", 5) == [200] * 4 + [429]
    assert fail(client, "ｐｅｒｓｏｎｎｅ") == [429]


@override_settings(COP_LOGIN_MAX_FAILURES_PER_IP=8)
def test_one_address_trying_many_accounts_is_locked_too(client, camille, clock):
    for index in range(8):
        sign_in(client, f"inconnu{index}", "mauvais", address="192.0.2.7")
    locked = sign_in(client, "camille", PASSWORD, address="192.0.2.7")
    elsewhere = sign_in(client, "camille", PASSWORD, address="192.0.2.8")
    assert locked.status_code == 429
    assert elsewhere.status_code == 302


@override_settings(COP_LOGIN_MAX_FAILURES_PER_IP=8)
def test_an_address_lock_lasts_the_cool_off_after_its_last_refused_attempt(client, camille, clock):
    for index in range(8):
        sign_in(client, f"inconnu{index}", "mauvais", address="192.0.2.7")
    at(clock, 10)
    assert sign_in(client, "inconnu9", "mauvais", address="192.0.2.7").status_code == 429
    at(clock, 24, 59)
    assert is_locked("camille", address="192.0.2.7")
    at(clock, 25, 1)
    assert sign_in(client, "camille", PASSWORD, address="192.0.2.7").status_code == 302


@override_settings(COP_LOGIN_MAX_FAILURES_PER_IP=8)
def test_typos_of_the_town_halls_agents_spread_over_the_morning_do_not_lock_its_address(
    client, camille, clock
):
    for minute in range(0, 60, 4):  # 15 typos, each a few minutes after the last
        at(clock, minute)
        sign_in(client, f"agent{minute}", "mauvais", address="192.0.2.7")
    assert sign_in(client, "camille", PASSWORD, address="192.0.2.7").status_code == 302


def test_a_successful_sign_in_is_not_counted(client, camille, clock):
    for _ in range(6):
        assert sign_in(client, "camille", PASSWORD).status_code == 302
        client.logout()
    assert fail(client, "camille", 1) == [200]


def test_wagtails_own_admin_login_shares_the_counters(client, camille, clock):
    for _ in range(3):
        sign_in(client, "camille", "mauvais", url_name="wagtailadmin_login")
    fail(client, "camille", 2)
    response = sign_in(client, "camille", PASSWORD, url_name="wagtailadmin_login")
    assert not is_signed_in(client)
    assert "Trop de tentatives" in response.content.decode()


@pytest.mark.parametrize("username", ["a" * 5000, "cam\x00ille", "ｃａｍ\x00", "é" * 200])
@pytest.mark.parametrize("url_name", ["login", "wagtailadmin_login"])
def test_a_username_no_account_can_have_is_refused_without_an_error(username, url_name, client, clock):
    for _ in range(6):
        assert sign_in(client, username, "mauvais", url_name=url_name).status_code in (200, 429)


@pytest.mark.parametrize(
    ("backend", "warnings"),
    [
        ("django.core.cache.backends.locmem.LocMemCache", ["accounts.W001"]),
        ("django.core.cache.backends.dummy.DummyCache", ["accounts.W001"]),
        ("django.core.cache.backends.db.DatabaseCache", []),
        ("django.core.cache.backends.redis.RedisCache", []),
    ],
)
def test_the_deploy_check_warns_when_the_processes_do_not_share_the_counters(backend, warnings):
    with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": "cop"}}):
        found = check_lockout_cache_is_shared(None)
    assert [warning.id for warning in found] == warnings
