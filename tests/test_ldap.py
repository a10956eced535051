"""Agents sign in with the city's directory (accounts/ldap.py), here a real OpenLDAP started by the
tests (tests/ldap_server.py, tests/directory/ville.ldif), configured as production configures it:
from the environment, through cop_site/settings/ldap.py."""

import os
import runpy
from pathlib import Path
from unittest import mock

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

import pytest

from accounts.ldap import DISABLED_MESSAGE, UNREACHABLE_MESSAGE
from accounts.models import User
from editorial import roles

from .factories import ServiceFactory, UserFactory
from .ldap_server import (  # noqa: F401 (fixtures)
    GROUPS,
    PEOPLE,
    SERVICE_DN,
    SERVICE_PASSWORD,
    directory_fixture,
    free_port,
    slapd_fixture,
)

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "cop_site" / "settings" / "ldap.py"
# Written as people write them: spaces after commas, capitals.
ROLE_GROUPS = (
    "Éditeurs=cn=cop-editeurs,ou=groups,dc=ville,dc=fr;"
    "Modérateurs=cn=cop-moderateurs, ou=groups, dc=ville, dc=fr;"
    "Administrateurs=CN=COP-Administrateurs,OU=Groups,DC=ville,DC=fr"
)
LOCAL_PASSWORD = "mot-de-passe-de-test"  # tests/factories.py


def environment(uri, **variables):
    return {
        "LDAP_SERVER_URI": uri,
        "LDAP_BIND_DN": SERVICE_DN,
        "LDAP_BIND_PASSWORD": SERVICE_PASSWORD,
        "LDAP_USER_SEARCH_BASE": PEOPLE,
        "LDAP_GROUP_SEARCH_BASE": GROUPS,
        "LDAP_ROLE_GROUPS": ROLE_GROUPS,
        **variables,
    }


def ldap_settings(variables):
    """The settings that cop_site/settings/ldap.py makes of these environment variables alone."""
    others = {name: value for name, value in os.environ.items() if not name.startswith("LDAP_")}
    with mock.patch.dict(os.environ, {**others, **variables}, clear=True):
        module = runpy.run_path(str(SETTINGS_FILE))
    return {name: value for name, value in module.items() if name.isupper()}


def configure(settings, uri):
    for name, value in ldap_settings(environment(uri)).items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        *settings.LDAP_AUTHENTICATION_BACKENDS,
        "django.contrib.auth.backends.ModelBackend",
    ]


@pytest.fixture
def other_browser():
    return Client()


@pytest.fixture
def ldap_on(settings, directory):
    """The COP signs agents in with the test directory, with empty lockout counters."""
    configure(settings, directory.uri)
    cache.clear()
    yield directory
    cache.clear()


def sign_in(client, username, password, next_url=None, **extra):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data, REMOTE_ADDR="10.0.0.1", **extra)


def is_signed_in(client):
    return "_auth_user_id" in client.session


def errors(response):
    return response.context["form"].non_field_errors()


def group_names(user):
    return set(user.groups.values_list("name", flat=True))


def test_an_agent_signs_in_with_the_directory_and_finds_their_service(client, ldap_on, relation_usagers):
    assert not User.objects.filter(username="jdupont").exists()
    response = sign_in(client, "jdupont", "jdupont-annuaire", next_url="/mon-service/", follow=True)
    assert response.redirect_chain[0][0] == "/mon-service/"
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("service_detail", args=["relation-usagers"])
    assert "Relation usagers" in response.content.decode()

    agent = User.objects.get(username="jdupont")
    assert (agent.first_name, agent.last_name, agent.email) == (
        "Jeanne",
        "Dupont",
        "jeanne.dupont@ville.example",
    )
    assert agent.directory == "ldap"
    assert agent.directory_services == ["RELATION USAGERS"]
    assert list(agent.services.all()) == [relation_usagers]
    assert not agent.has_usable_password()


def test_the_username_is_one_account_whatever_its_case(client, ldap_on):
    assert sign_in(client, "JDupont", "jdupont-annuaire").status_code == 302
    client.logout()
    assert sign_in(client, "jdupont", "jdupont-annuaire").status_code == 302
    assert list(User.objects.filter(username__iexact="jdupont").values_list("username", flat=True)) == [
        "jdupont"
    ]


def test_directory_groups_give_roles_and_the_directory_takes_them_back(client, ldap_on):
    sign_in(client, "jdupont", "jdupont-annuaire")
    agent = User.objects.get(username="jdupont")
    assert group_names(agent) == {roles.EDITORS}
    assert not agent.is_superuser
    # A role that no directory group gives is the administrators' to hand out, and stays.
    agent.groups.add(Group.objects.get(name=roles.REFERENTS))

    ldap_on.modify(
        "dn: cn=cop-editeurs,ou=groups,dc=ville,dc=fr\n"
        "changetype: modify\n"
        "delete: member\n"
        "member: uid=jdupont,ou=people,dc=ville,dc=fr\n"
        "-\n"
        "add: member\n"
        "member: uid=pmartin,ou=people,dc=ville,dc=fr\n"
        "\n"
        "dn: uid=jdupont,ou=people,dc=ville,dc=fr\n"
        "changetype: modify\n"
        "replace: sn\n"
        "sn: Dupont-Moreau\n"
        "-\n"
        "replace: mail\n"
        "mail: jeanne.dupont-moreau@ville.example\n"
    )
    client.logout()
    assert sign_in(client, "jdupont", "jdupont-annuaire").status_code == 302
    agent.refresh_from_db()
    assert group_names(agent) == {roles.REFERENTS}
    assert (agent.last_name, agent.email) == ("Dupont-Moreau", "jeanne.dupont-moreau@ville.example")


def test_group_dns_match_however_the_mapping_writes_them(client, ldap_on):
    sign_in(client, "mpetit", "mpetit-annuaire")
    assert group_names(User.objects.get(username="mpetit")) == {roles.MODERATORS}


def test_a_disabled_directory_account_is_refused_with_a_message(client, ldap_on):
    response = sign_in(client, "rdurand", "rdurand-annuaire")
    assert response.status_code == 200
    assert not is_signed_in(client)
    assert errors(response) == [DISABLED_MESSAGE]
    assert "désactivé dans l&#x27;annuaire de la ville" in response.content.decode()


def test_an_agent_disabled_in_the_directory_is_made_inactive_and_signed_out(client, other_browser, ldap_on):
    sign_in(client, "jdupont", "jdupont-annuaire")
    assert client.get("/").status_code == 200
    ldap_on.modify(
        "dn: uid=jdupont,ou=people,dc=ville,dc=fr\n"
        "changetype: modify\n"
        "add: pwdAccountLockedTime\n"
        "pwdAccountLockedTime: 000001010000Z\n"
    )
    response = sign_in(other_browser, "jdupont", "jdupont-annuaire")
    assert errors(response) == [DISABLED_MESSAGE]
    assert not User.objects.get(username="jdupont").is_active
    # The session opened before: over.
    assert client.get("/").status_code == 302


def test_a_local_account_named_like_a_disabled_agent_is_refused_and_made_inactive(client, ldap_on):
    UserFactory(username="rdurand")  # created by hand before the directory was plugged in
    response = sign_in(client, "rdurand", LOCAL_PASSWORD)
    assert errors(response) == [DISABLED_MESSAGE]
    assert not is_signed_in(client)
    assert not User.objects.get(username="rdurand").is_active


def test_the_admin_sign_in_form_says_so_too(client, ldap_on):
    response = client.post(
        reverse("wagtailadmin_login"), {"username": "rdurand", "password": "rdurand-annuaire"}
    )
    assert not is_signed_in(client)
    assert DISABLED_MESSAGE in errors(response)


def test_filter_characters_in_a_username_find_no_one(client, ldap_on):
    for username in ("*", "jdupont)(uid=*", "*)(|(uid=*"):
        response = sign_in(client, username, "jdupont-annuaire")
        assert response.status_code == 200
        assert not is_signed_in(client)
    assert not User.objects.exists()


def test_an_agent_gone_from_the_directory_cannot_sign_in(client, ldap_on):
    assert sign_in(client, "jdupont", "jdupont-annuaire").status_code == 302
    client.logout()
    ldap_on.modify("dn: uid=jdupont,ou=people,dc=ville,dc=fr\nchangetype: delete\n")
    response = sign_in(client, "jdupont", "jdupont-annuaire")
    assert response.status_code == 200
    assert not is_signed_in(client)
    assert DISABLED_MESSAGE not in errors(response)
    assert User.objects.filter(username="jdupont").exists()  # with its history


def test_wrong_directory_passwords_count_towards_the_lockout(client, ldap_on, settings):
    failures = [
        sign_in(client, "lbernard", "mauvais").status_code for _ in range(settings.COP_LOGIN_MAX_FAILURES)
    ]
    assert failures == [200] * (settings.COP_LOGIN_MAX_FAILURES - 1) + [429]
    response = sign_in(client, "lbernard", "lbernard-annuaire")
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert not is_signed_in(client)


def test_a_service_alias_matches_the_directory_value(client, ldap_on):
    relation_usagers = ServiceFactory(name="Relation usagers", slug="relation-usagers", aliases="Dru\n")
    sign_in(client, "pmartin", "pmartin-annuaire")
    assert list(User.objects.get(username="pmartin").services.all()) == [relation_usagers]


def test_an_agent_of_an_unknown_service_is_reported_until_an_alias_names_it(
    other_browser, admin_client, ldap_on
):
    sports = ServiceFactory(name="Sports", slug="sports")
    sign_in(other_browser, "lbernard", "lbernard-annuaire")
    agent = User.objects.get(username="lbernard")
    assert not agent.services.exists()
    report = admin_client.get("/admin/agents-sans-service/").content.decode()
    assert "Léa Bernard" in report
    assert "Maison des sports" in report

    sports.aliases = "MAISON DES SPORTS"
    sports.save()
    assert list(agent.services.all()) == [sports]
    assert "Léa Bernard" not in admin_client.get("/admin/agents-sans-service/").content.decode()


def test_local_accounts_sign_in_beside_the_directory(client, ldap_on):
    UserFactory(username="camille")
    assert sign_in(client, "camille", LOCAL_PASSWORD).status_code == 302
    assert User.objects.get(username="camille").directory == ""


def test_a_local_superuser_is_never_taken_over_by_a_directory_entry_of_the_same_name(client, ldap_on):
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    assert sign_in(client, "admin", "admin-annuaire").status_code == 200
    assert sign_in(client, "admin", LOCAL_PASSWORD).status_code == 302
    admin = User.objects.get(username="admin")
    assert (admin.directory, admin.is_superuser) == ("", True)


def test_a_local_account_named_like_a_directory_agent_is_taken_over(client, ldap_on, relation_usagers):
    referents = Group.objects.get(name=roles.REFERENTS)
    local = UserFactory(username="sleroy", first_name="S.")
    local.groups.add(referents)
    # The directory knows sleroy: only its password counts, even before the first sign-in.
    assert sign_in(client, "sleroy", LOCAL_PASSWORD).status_code == 200
    assert sign_in(client, "sleroy", "sleroy-annuaire").status_code == 302
    agent = User.objects.get(pk=local.pk)
    assert (agent.directory, agent.first_name) == ("ldap", "Sophie")
    assert not agent.has_usable_password()
    assert group_names(agent) == {roles.REFERENTS}
    assert list(agent.services.all()) == [relation_usagers]


def test_a_directory_that_does_not_answer_refuses_its_agents_but_not_local_accounts(
    client, ldap_on, settings
):
    sign_in(client, "jdupont", "jdupont-annuaire")
    client.logout()
    configure(settings, f"ldap://127.0.0.1:{free_port()}")  # nothing listens there
    response = sign_in(client, "jdupont", "jdupont-annuaire")
    assert response.status_code == 200
    assert errors(response) == [UNREACHABLE_MESSAGE]
    assert not is_signed_in(client)
    response = sign_in(client, "jdupont", "")
    assert response.status_code == 200
    assert not is_signed_in(client)

    UserFactory(username="camille")
    assert sign_in(client, "camille", LOCAL_PASSWORD).status_code == 302


# cop_site/settings/ldap.py


def test_ldap_is_off_without_a_server_address():
    assert ldap_settings({})["LDAP_AUTHENTICATION_BACKENDS"] == []
    assert "AUTH_LDAP_SERVER_URI" not in ldap_settings({})


@pytest.mark.parametrize(
    "missing", ["LDAP_BIND_DN", "LDAP_BIND_PASSWORD", "LDAP_USER_SEARCH_BASE", "LDAP_GROUP_SEARCH_BASE"]
)
def test_a_missing_variable_stops_the_start_with_a_french_message(missing):
    variables = environment("ldap://annuaire.ville.example")
    del variables[missing]
    with pytest.raises(ImproperlyConfigured, match=f"{missing} doit être défini dans l'environnement"):
        ldap_settings(variables)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("LDAP_SERVER_URI", "annuaire.ville.example", "doit commencer par ldap:// ou ldaps://"),
        ("LDAP_USER_FILTER", "(uid=%s)", "où %\\(user\\)s tient la place de l'identifiant"),
        ("LDAP_DISABLED_FILTER", "pwdAccountLockedTime=*", "doit être un filtre LDAP entre parenthèses"),
    ],
)
def test_a_malformed_variable_stops_the_start_with_a_french_message(variable, value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        ldap_settings(environment("ldap://annuaire.ville.example", **{variable: value}))


def test_the_group_base_is_needed_only_for_role_groups():
    variables = environment("ldap://annuaire.ville.example")
    del variables["LDAP_ROLE_GROUPS"], variables["LDAP_GROUP_SEARCH_BASE"]
    values = ldap_settings(variables)
    assert values["LDAP_AUTHENTICATION_BACKENDS"] == ["accounts.ldap.DirectoryLDAPBackend"]
    assert "AUTH_LDAP_GROUP_SEARCH" not in values


def test_active_directory_settings():
    values = ldap_settings(
        environment(
            "ldaps://ad1.ville.example ldaps://ad2.ville.example",
            LDAP_USER_FILTER="(sAMAccountName=%(user)s)",
            LDAP_SERVICE_ATTRIBUTE="department",
            LDAP_DISABLED_FILTER="(userAccountControl:1.2.840.113556.1.4.803:=2)",
        )
    )
    assert values["AUTH_LDAP_USER_SEARCH"].filterstr == "(sAMAccountName=%(user)s)"
    assert values["LDAP_SERVICE_ATTRIBUTE"] == "department"
    assert values["LDAP_DISABLED_FILTER"] == "(userAccountControl:1.2.840.113556.1.4.803:=2)"
