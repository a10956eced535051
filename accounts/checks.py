"""Deployment checks (`manage.py check --deploy`) for what the lockout needs."""

from django.conf import settings
from django.core import checks

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
