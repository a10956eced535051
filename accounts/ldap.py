"""Sign-in with the city's LDAP or Active Directory (cop_site/settings/ldap.py; README, "Annuaire
LDAP / Active Directory").

django-auth-ldap finds the agent with the service account (LDAP_BIND_DN), checks their password by
binding as them, and finds or creates their account; this backend then makes the account say what
the directory says (accounts/directory.py): name, e-mail, the roles of LDAP_ROLE_GROUPS, and the
services that LDAP_SERVICE_ATTRIBUTE names. So the first sign-in creates the account, and each
later one refreshes it.

Accounts:

- A directory account's local password is unusable: when the directory refuses the agent, or
  does not answer, ModelBackend cannot sign them in.
- The username is kept in lower case and looked up whatever its case: `Jdupont` and `jdupont`
  are one account.
- The directory decides for every username that it knows: only its password signs in, and
  ModelBackend is not asked (the backend raises PermissionDenied). A local account named like a
  directory agent is taken over at the agent's first directory sign-in: it becomes a directory
  account, keeping its history and its other groups, but its local password stops working and its
  name, e-mail, mapped roles and services follow the directory. This is how the accounts of agents
  created before the directory was plugged in carry on.
- Except a local superuser, never taken over: this backend leaves it to ModelBackend and its local
  password, so that a directory entry named like the break-glass administrator account does not
  inherit its powers, and that account stays usable while the directory is down.
- An account that the directory disabled (LDAP_DISABLED_FILTER, read by the service account before
  the password is checked: a disabled account cannot bind, and a refused bind does not say why) is
  refused with a message that says so, and made inactive here, which ends its sessions. Enabled
  again in the directory, it stays inactive until an administrator ticks "Actif" again: the COP
  cannot tell the directory's deactivation from an administrator's.
- An agent gone from the directory cannot sign in (the login form says only that the username or
  password is wrong); their account stays, with its history.
- A directory that does not answer refuses directory agents with a message that says so; local
  accounts sign in as usual.
"""

import logging
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

import ldap
from django_auth_ldap.backend import LDAPBackend

from .directory import DirectoryProfile, apply_profile, parse_role_mapping
from .lockout import refuse_sign_in
from .models import Directory, User

logger = logging.getLogger(__name__)

DISABLED_MESSAGE = (
    "Votre compte est désactivé dans l'annuaire de la ville\u00a0: adressez-vous à votre service "
    "informatique."
)
UNREACHABLE_MESSAGE = (
    "L'annuaire de la ville ne répond pas\u00a0: la connexion avec votre compte de la ville est "
    "impossible pour l'instant. Réessayez dans quelques minutes."
)


def normalise_dn(dn):
    """The DN as django-auth-ldap hands group DNs: lower case, without spaces between its parts."""
    return ldap.dn.dn2str(ldap.dn.str2dn(dn)).lower()


@lru_cache(maxsize=4)
def role_groups(text):
    """LDAP_ROLE_GROUPS → {COP role: normalised group DN}."""
    mapping = {}
    for role, dn in parse_role_mapping(text).items():
        try:
            mapping[role] = normalise_dn(dn)
        except ldap.DECODING_ERROR:
            raise ImproperlyConfigured(
                f"LDAP_ROLE_GROUPS : « {dn} » (rôle « {role} ») n'est pas un nom distinctif LDAP valide."
            ) from None
    return mapping


class DirectoryLDAPBackend(LDAPBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and self.is_local_superuser(username.strip()):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def authenticate_ldap_user(self, ldap_user, password):
        request = ldap_user._request
        try:
            ldap_user.connection  # noqa: B018 (binds with the service account, or raises)
            dn = ldap_user.dn
            disabled = dn is not None and self.is_disabled(ldap_user)
        except ldap.LDAPError as error:
            logger.error("Annuaire LDAP injoignable, ou compte de service refusé : %r", error)
            refuse_sign_in(request, UNREACHABLE_MESSAGE)
            return None
        if dn is None:  # not in the directory: perhaps a local account, which ModelBackend checks
            return None
        if disabled:
            refuse_sign_in(request, DISABLED_MESSAGE)
            self.accounts_named(ldap_user).filter(is_active=True).update(is_active=False)
            raise PermissionDenied
        user = ldap_user.authenticate(password)
        if user is None:
            raise PermissionDenied  # the directory's password is the only one (see above)
        try:
            profile = self.profile(ldap_user)
        except ldap.LDAPError as error:
            logger.error("Annuaire LDAP : groupes de %s illisibles : %r", dn, error)
            refuse_sign_in(request, UNREACHABLE_MESSAGE)
            raise PermissionDenied from error
        if user.has_usable_password():  # a local account taken over (see above)
            user.set_unusable_password()
        return apply_profile(user, profile)

    def get_user(self, user_id):
        # Django's ModelBackend ends the sessions of an inactive account; django-auth-ldap does not.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def is_local_superuser(self, username):
        return User.objects.filter(
            username__iexact=username, directory=Directory.LOCAL, is_superuser=True
        ).exists()

    def accounts_named(self, ldap_user):
        """The account that the directory agent has, or would take over."""
        return User.objects.filter(
            username__iexact=ldap_user._username, directory__in=[Directory.LDAP, Directory.LOCAL]
        )

    def is_disabled(self, ldap_user):
        """Whether the agent's entry matches LDAP_DISABLED_FILTER, asked by the service account."""
        if not settings.LDAP_DISABLED_FILTER:
            return False
        connection = ldap_user.connection
        found = connection.search_s(ldap_user.dn, ldap.SCOPE_BASE, settings.LDAP_DISABLED_FILTER, ["1.1"])
        return any(dn for dn, _attributes in found)

    def profile(self, ldap_user):
        attributes = ldap_user.attrs or {}

        def first(field):
            values = attributes.get(self.settings.USER_ATTR_MAP.get(field, ""), [])
            return values[0] if values else ""

        mapping = role_groups(settings.LDAP_ROLE_GROUPS)
        member_of = {normalise_dn(dn) for dn in ldap_user.group_dns} if mapping else set()
        return DirectoryProfile(
            directory=Directory.LDAP,
            first_name=first("first_name"),
            last_name=first("last_name"),
            email=first("email"),
            roles={role for role, dn in mapping.items() if dn in member_of},
            managed_roles=set(mapping),
            service_values=list(attributes.get(settings.LDAP_SERVICE_ATTRIBUTE, [])),
        )
