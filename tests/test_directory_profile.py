"""What a directory says of an agent, applied to their account (accounts/directory.py), whichever
directory says it: services by name or alias, roles that the directory manages, and nothing else."""

from django.contrib.auth.models import Group

import pytest

from accounts.checks import check_directory_is_encrypted, check_directory_roles
from accounts.directory import ADMINISTRATORS, ROLES, DirectoryProfile, apply_profile, parse_role_mapping
from accounts.models import User
from editorial import roles

from .factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


def profile(**values):
    return DirectoryProfile(directory="ldap", **values)


@pytest.mark.parametrize(
    "value", ["Relation usagers", "RELATION USAGERS", "relation-usagers", "Rélation  Usagers"]
)
def test_a_service_is_found_by_its_name_whatever_the_accents_case_and_spaces(value, relation_usagers):
    agent = apply_profile(User(username="jdupont"), profile(service_values=[value]))
    assert list(agent.services.all()) == [relation_usagers]


@pytest.mark.parametrize(
    "value", ["DRU", "dru", "Direction de la relation à l'usager", "DIRECTION DE LA RELATION A L'USAGER"]
)
def test_a_service_is_found_by_an_alias_whatever_the_accents_and_case(value):
    service = ServiceFactory(
        name="Relation usagers",
        slug="relation-usagers",
        aliases="DRU\n  Direction de la relation à l'usager \n",
    )
    agent = apply_profile(User(username="pmartin"), profile(service_values=[value]))
    assert list(agent.services.all()) == [service]


def test_a_name_wins_over_another_services_alias(relation_usagers):
    ServiceFactory(name="Accueil", slug="accueil", aliases="Relation usagers")
    agent = apply_profile(User(username="pmartin"), profile(service_values=["relation usagers"]))
    assert list(agent.services.all()) == [relation_usagers]


def test_the_profile_gives_name_email_and_services_and_an_unusable_password(relation_usagers, education):
    agent = apply_profile(
        User(username="jdupont"),
        profile(
            first_name="Jeanne",
            last_name="Dupont",
            email="jeanne.dupont@ville.example",
            service_values=["Relation usagers", " ", "Éducation", "Inconnu"],
        ),
    )
    agent.refresh_from_db()
    assert (agent.first_name, agent.last_name, agent.email) == (
        "Jeanne",
        "Dupont",
        "jeanne.dupont@ville.example",
    )
    assert agent.directory_services == ["Relation usagers", "Éducation", "Inconnu"]
    assert set(agent.services.all()) == {relation_usagers, education}
    assert not agent.has_usable_password()


def test_only_the_roles_that_the_directory_manages_change():
    agent = UserFactory(username="jdupont")
    agent.groups.add(Group.objects.get(name=roles.MODERATORS), Group.objects.get(name=roles.REFERENTS))
    managed = {roles.EDITORS, roles.MODERATORS}
    apply_profile(agent, profile(roles={roles.EDITORS}, managed_roles=managed))
    assert set(agent.groups.values_list("name", flat=True)) == {roles.EDITORS, roles.REFERENTS}
    assert agent.has_usable_password()  # an existing account keeps what it had


def test_administrators_are_superusers_only_where_the_directory_manages_them():
    agent = UserFactory(username="admin", is_superuser=True)
    apply_profile(agent, profile(managed_roles={roles.EDITORS}))
    assert agent.is_superuser
    apply_profile(agent, profile(managed_roles={roles.EDITORS, ADMINISTRATORS}))
    assert not agent.is_superuser
    apply_profile(agent, profile(roles={ADMINISTRATORS}, managed_roles={ADMINISTRATORS}))
    assert agent.is_superuser


def test_a_role_mapping_splits_at_the_first_equals_sign_only():
    text = " Éditeurs = cn=cop-editeurs,ou=groups,dc=ville,dc=fr ; ;Modérateurs=cn=cop-moderateurs,dc=fr;bad"
    assert parse_role_mapping(text) == {
        "Éditeurs": "cn=cop-editeurs,ou=groups,dc=ville,dc=fr",
        "Modérateurs": "cn=cop-moderateurs,dc=fr",
    }


def test_a_misspelt_role_or_a_bad_group_stops_the_checks(settings):
    settings.OIDC_ROLE_GROUPS = "Editeur=cop-editeurs;Modérateurs=cop-moderateurs"
    settings.LDAP_SERVER_URI = "ldaps://annuaire.ville.example"
    settings.LDAP_ROLE_GROUPS = "Éditeurs=pas un DN"
    errors = check_directory_roles(None)
    assert [error.id for error in errors] == ["accounts.E001", "accounts.E002"]
    assert "OIDC_ROLE_GROUPS donne le rôle « Editeur »" in errors[0].msg


def test_a_directory_reached_in_clear_text_is_a_deployment_warning(settings):
    settings.LDAP_SERVER_URI = "ldap://annuaire.ville.example"
    settings.AUTH_LDAP_START_TLS = False
    assert [warning.id for warning in check_directory_is_encrypted(None)] == ["accounts.W002"]
    settings.AUTH_LDAP_START_TLS = True
    assert check_directory_is_encrypted(None) == []
    settings.LDAP_SERVER_URI = "ldaps://annuaire.ville.example"
    settings.AUTH_LDAP_START_TLS = False
    assert check_directory_is_encrypted(None) == []


def test_the_directory_roles_are_the_editorial_roles():
    assert set(ROLES) - {ADMINISTRATORS} == {roles.REFERENTS, roles.EDITORS, roles.MODERATORS}
