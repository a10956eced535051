"""Sign-in is refused for a while after repeated failures (accounts/lockout.py)."""

import datetime

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

import pytest
import time_machine

from .factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-de-test"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def camille():
    return UserFactory(username="camille")


def sign_in(client, username, password, address="10.0.0.1", url_name="login"):
    return client.post(reverse(url_name), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, address="10.0.0.1"):
    return [sign_in(client, username, "mauvais", address).status_code for _ in range(times)]


def is_signed_in(client):
    return "_auth_user_id" in client.session


def test_five_failures_lock_the_account_even_with_the_right_password(client, camille):
    with time_machine.travel(START, tick=False):
        assert fail(client, "camille", 4) == [200] * 4
        fifth = sign_in(client, "camille", "mauvais")
        assert fifth.status_code == 429
        assert "Trop de tentatives" in fifth.content.decode()
        response = sign_in(client, "camille", PASSWORD)
        assert not is_signed_in(client)
    assert response.status_code == 429
    assert "Réessayez dans" in response.content.decode()


def test_the_message_says_how_many_minutes_are_left(client, camille):
    with time_machine.travel(START, tick=False):
        fail(client, "camille", 5)
        html = sign_in(client, "camille", PASSWORD).content.decode()
    minutes = int(html.split("Réessayez dans ")[1].split(" minute")[0])
    assert 1 <= minutes <= 15


def test_the_lock_lifts_after_the_cool_off(client, camille):
    with time_machine.travel(START, tick=False) as traveller:
        fail(client, "camille", 5)
        assert sign_in(client, "camille", PASSWORD).status_code == 429
        traveller.shift(datetime.timedelta(minutes=15, seconds=1))
        assert sign_in(client, "camille", PASSWORD).status_code == 302
        assert is_signed_in(client)


def test_a_lock_on_one_agent_leaves_another_agent_alone(client, camille):
    UserFactory(username="dominique")
    with time_machine.travel(START, tick=False):
        fail(client, "camille", 5)
        assert sign_in(client, "dominique", PASSWORD).status_code == 302
        assert is_signed_in(client)


def test_the_username_is_matched_whatever_its_case(client, camille):
    with time_machine.travel(START, tick=False):
        fail(client, "Camille", 3)
        fail(client, "CAMILLE", 2)
        assert sign_in(client, "camille", PASSWORD).status_code == 429


@override_settings(COP_LOGIN_MAX_FAILURES_PER_IP=8)
def test_one_address_trying_many_accounts_is_locked_too(client, camille):
    with time_machine.travel(START, tick=False):
        for index in range(8):
            sign_in(client, f"inconnu{index}", "mauvais", address="192.0.2.7")
        locked = sign_in(client, "camille", PASSWORD, address="192.0.2.7")
        elsewhere = sign_in(client, "camille", PASSWORD, address="192.0.2.8")
    assert locked.status_code == 429
    assert elsewhere.status_code == 302


def test_a_successful_sign_in_is_not_counted(client, camille):
    with time_machine.travel(START, tick=False):
        for _ in range(6):
            assert sign_in(client, "camille", PASSWORD).status_code == 302
            client.logout()
        assert fail(client, "camille", 1) == [200]


def test_wagtails_own_admin_login_shares_the_counters(client, camille):
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            sign_in(client, "camille", "mauvais", url_name="wagtailadmin_login")
        fail(client, "camille", 2)
        response = sign_in(client, "camille", PASSWORD, url_name="wagtailadmin_login")
        assert not is_signed_in(client)
    assert "Trop de tentatives" in response.content.decode()
