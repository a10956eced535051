"""Sign-in with the city's LDAP or Active Directory (README, "Annuaire LDAP / Active Directory"):
on when LDAP_SERVER_URI is set, and then refusing to start without what it needs.

django-auth-ldap (requirements-ldap.txt) reads the AUTH_LDAP_* settings; accounts/ldap.py reads
LDAP_ROLE_GROUPS, LDAP_SERVICE_ATTRIBUTE and LDAP_DISABLED_FILTER, and makes each agent's account
say what the directory says. Settings import no app code: the role mapping stays a string here.
"""

import os

from django.core.exceptions import ImproperlyConfigured

LDAP_SERVER_URI = os.environ.get("LDAP_SERVER_URI", "").strip()
LDAP_AUTHENTICATION_BACKENDS = []


def _required(name, meaning, strip=True):
    value = os.environ.get(name, "")
    if not value.strip():
        raise ImproperlyConfigured(
            f"{name} doit être défini dans l'environnement quand LDAP_SERVER_URI l'est : {meaning}."
        )
    return value.strip() if strip else value


def _check(condition, message):
    if not condition:
        raise ImproperlyConfigured(message)


if LDAP_SERVER_URI:
    try:
        import ldap
        from django_auth_ldap.config import LDAPSearch, MemberDNGroupType
    except ImportError as error:
        raise ImproperlyConfigured(
            "LDAP_SERVER_URI est défini, mais django-auth-ldap n'est pas installé : "
            "apt-get install libldap2-dev libsasl2-dev, puis pip install -r requirements-ldap.txt."
        ) from error

    # Several addresses, separated by spaces, are tried in turn (python-ldap's failover).
    _check(
        all(uri.startswith(("ldap://", "ldaps://")) for uri in LDAP_SERVER_URI.split()),
        "LDAP_SERVER_URI doit commencer par ldap:// ou ldaps:// (plusieurs adresses : séparées par "
        f"des espaces), pas « {LDAP_SERVER_URI} ».",
    )
    LDAP_USER_FILTER = os.environ.get("LDAP_USER_FILTER", "").strip() or "(uid=%(user)s)"
    _check(
        LDAP_USER_FILTER.startswith("(") and "%(user)s" in LDAP_USER_FILTER,
        "LDAP_USER_FILTER doit être un filtre LDAP entre parenthèses où %(user)s tient la place de "
        "l'identifiant saisi, par exemple (uid=%(user)s) ou, pour Active Directory, "
        f"(sAMAccountName=%(user)s), pas « {LDAP_USER_FILTER} ».",
    )
    # Directory groups that give COP roles: "Éditeurs=cn=cop-editeurs,ou=groups,dc=ville,dc=fr;…",
    # parsed by accounts/ldap.py.
    LDAP_ROLE_GROUPS = os.environ.get("LDAP_ROLE_GROUPS", "").strip()
    LDAP_SERVICE_ATTRIBUTE = os.environ.get("LDAP_SERVICE_ATTRIBUTE", "").strip() or "departmentNumber"
    # Unset: OpenLDAP's password policy lock; set empty: no check.
    LDAP_DISABLED_FILTER = os.environ.get("LDAP_DISABLED_FILTER", "(pwdAccountLockedTime=*)").strip()
    _check(
        not LDAP_DISABLED_FILTER or LDAP_DISABLED_FILTER.startswith("("),
        f"LDAP_DISABLED_FILTER doit être un filtre LDAP entre parenthèses, pas « {LDAP_DISABLED_FILTER} ».",
    )

    AUTH_LDAP_SERVER_URI = LDAP_SERVER_URI
    AUTH_LDAP_BIND_DN = _required(
        "LDAP_BIND_DN", "le nom distinctif du compte de service qui cherche les agents dans l'annuaire"
    )
    AUTH_LDAP_BIND_PASSWORD = _required(
        "LDAP_BIND_PASSWORD", "le mot de passe de ce compte de service", strip=False
    )
    AUTH_LDAP_START_TLS = os.environ.get("LDAP_START_TLS", "").strip().lower() in {"1", "true", "yes", "on"}
    AUTH_LDAP_USER_SEARCH = LDAPSearch(
        _required("LDAP_USER_SEARCH_BASE", "la branche de l'annuaire où chercher les agents"),
        ldap.SCOPE_SUBTREE,
        LDAP_USER_FILTER,
    )
    AUTH_LDAP_USER_ATTR_MAP = {"first_name": "givenName", "last_name": "sn", "email": "mail"}
    AUTH_LDAP_ALWAYS_UPDATE_USER = True
    LDAP_GROUP_SEARCH_BASE = os.environ.get("LDAP_GROUP_SEARCH_BASE", "").strip()
    if LDAP_ROLE_GROUPS:
        LDAP_GROUP_SEARCH_BASE = _required(
            "LDAP_GROUP_SEARCH_BASE", "la branche de l'annuaire où chercher les groupes de LDAP_ROLE_GROUPS"
        )
    if LDAP_GROUP_SEARCH_BASE:
        # OpenLDAP's groupOfNames and Active Directory's groups both list their members' DNs.
        AUTH_LDAP_GROUP_SEARCH = LDAPSearch(
            LDAP_GROUP_SEARCH_BASE, ldap.SCOPE_SUBTREE, "(|(objectClass=groupOfNames)(objectClass=group))"
        )
        AUTH_LDAP_GROUP_TYPE = MemberDNGroupType("member")
    # A directory that does not answer must not hold the sign-in page (nor a worker) for long;
    # Active Directory's referrals to other domains would be followed anonymously, and fail.
    LDAP_TIMEOUT = int(os.environ.get("LDAP_TIMEOUT", "5"))
    AUTH_LDAP_CONNECTION_OPTIONS = {
        ldap.OPT_NETWORK_TIMEOUT: LDAP_TIMEOUT,
        ldap.OPT_TIMEOUT: LDAP_TIMEOUT,
        ldap.OPT_REFERRALS: 0,
    }

    LDAP_AUTHENTICATION_BACKENDS = ["accounts.ldap.DirectoryLDAPBackend"]

# Only settings reach base.py's `from .ldap import *`, not the modules imported here.
__all__ = [name for name in dir() if name.isupper()]
