"""What the city's directory says of an agent, applied to their account at each sign-in.

LDAP (accounts/ldap.py) and OpenID Connect (accounts/oidc.py) read a `DirectoryProfile` from the
directory's attributes or claims; `apply_profile` makes the account say the same: name, e-mail,
the roles that the directory manages, and the services that its values name.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db import transaction

from axes.models import Service
from utils.text import normalise_name

from .models import User

# Not a group: the directory role that makes an administrator (a Wagtail superuser).
ADMINISTRATORS = "Administrateurs"
# The roles that a directory may give: the groups of editorial's roles migration, and administrators.
ROLES = ("Référents de service", "Éditeurs", "Modérateurs", ADMINISTRATORS)


@dataclass
class DirectoryProfile:
    directory: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    # The COP roles (group names, or ADMINISTRATORS) that the directory gives the agent, among
    # `managed_roles`: the ones that a directory mapping decides. Other groups are left alone.
    roles: set[str] = field(default_factory=set)
    managed_roles: set[str] = field(default_factory=set)
    service_values: list[str] = field(default_factory=list)


def parse_role_mapping(text):
    """ "Éditeurs=cn=cop-editeurs,ou=groups,dc=ville,dc=fr;Modérateurs=…" → {role: directory group}.
    Only the first "=" of each item separates: distinguished names are full of them."""
    mapping = {}
    for item in text.split(";"):
        role, separator, group = item.partition("=")
        if separator and role.strip() and group.strip():
            mapping[role.strip()] = group.strip()
    return mapping


def matching_services(values, services_by_name=None):
    """The services that directory values name (by name or alias, accents and case aside)."""
    services_by_name = Service.objects.by_name() if services_by_name is None else services_by_name
    found = (services_by_name.get(normalise_name(value)) for value in values)
    return list({service.pk: service for service in found if service}.values())


@transaction.atomic
def apply_profile(user, profile):
    """Makes `user` (saved or not) what the directory says, and saves it."""
    user.directory = profile.directory
    user.first_name = profile.first_name[:150]
    user.last_name = profile.last_name[:150]
    user.email = profile.email
    user.directory_services = [value for value in profile.service_values if value.strip()]
    if ADMINISTRATORS in profile.managed_roles:
        user.is_superuser = ADMINISTRATORS in profile.roles
    if user._state.adding:
        user.set_unusable_password()
    user.save()
    managed = Group.objects.filter(name__in=profile.managed_roles)
    user.groups.remove(*[group for group in managed if group.name not in profile.roles])
    user.groups.add(*[group for group in managed if group.name in profile.roles])
    user.services.set(matching_services(user.directory_services))
    return user


def rematch_directory_agents():
    """After a service's name or aliases change: the directory agents' services follow, without
    waiting for their next sign-in. Returns how many agents changed."""
    services_by_name = Service.objects.by_name()
    agents = User.objects.exclude(directory="").exclude(directory_services=[]).prefetch_related("services")
    changed = 0
    for agent in agents:
        wanted = {service.pk for service in matching_services(agent.directory_services, services_by_name)}
        if wanted != {service.pk for service in agent.services.all()}:
            agent.services.set(wanted)
            changed += 1
    return changed
