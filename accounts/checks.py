"""Checks (`manage.py check`, `--deploy`) for what the lockout and directory sign-in need."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .directory import ROLES, parse_role_mapping

# Each gunicorn process would keep its own counters in the first, and the second keeps none.
UNSHARED_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(checks.Tags.security, checks.Tags.caches, deploy=True)
def check_lockout_cache_is_shared(app_configs, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in UNSHARED_CACHES:
        return []
    return [
        checks.Warning(
            f"Le verrouillage après échecs de connexion compte dans un cache que les processus ne "
            f"partagent pas ({backend}) : chaque processus gunicorn accorderait ses propres tentatives.",
            hint=(
                "Laissez le cache en base de données (réglage par défaut sans CACHE_URL) ou "
                "définissez CACHE_URL (Redis, par exemple redis://localhost:6379/0)."
            ),
            id="accounts.W001",
        )
    ]


@checks.register(checks.Tags.security)
def check_directory_roles(app_configs, **kwargs):
    """A role misspelt in LDAP_ROLE_GROUPS or OIDC_ROLE_GROUPS would give no one anything, silently."""
    errors = []
    for setting in ("LDAP_ROLE_GROUPS", "OIDC_ROLE_GROUPS"):
        for role in parse_role_mapping(getattr(settings, setting, "")):
            if role not in ROLES:
                errors.append(
                    checks.Error(
                        f"{setting} donne le rôle « {role} », que le COP ne connaît pas.",
                        hint="Rôles possibles : " + ", ".join(f"« {name} »" for name in ROLES) + ".",
                        id="accounts.E001",
                    )
                )
    if getattr(settings, "LDAP_SERVER_URI", ""):
        from .ldap import role_groups

        try:
            role_groups(settings.LDAP_ROLE_GROUPS)
        except ImproperlyConfigured as error:
            errors.append(checks.Error(str(error), id="accounts.E002"))
    return errors


@checks.register(checks.Tags.security, deploy=True)
def check_directory_is_encrypted(app_configs, **kwargs):
    uris = getattr(settings, "LDAP_SERVER_URI", "").split()
    if not any(uri.startswith("ldap://") for uri in uris) or getattr(settings, "AUTH_LDAP_START_TLS", False):
        return []
    return [
        checks.Warning(
            "Les mots de passe des agents passeraient en clair jusqu'à l'annuaire (LDAP_SERVER_URI en "
            "ldap:// sans LDAP_START_TLS).",
            hint="Utilisez ldaps://, ou LDAP_START_TLS=true.",
            id="accounts.W002",
        )
    ]
