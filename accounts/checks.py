"""Deployment checks (`manage.py check --deploy`) for what the lockout needs."""

from django.conf import settings
from django.core import checks

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(checks.Tags.security, checks.Tags.caches, deploy=True)
def check_lockout_cache_is_shared(app_configs, **kwargs):
    """django-ratelimit's own check would do, but it flags Django's built-in RedisCache, whose
    increments are atomic, as unsupported, and refuses the per-process cache of dev and tests."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        checks.Warning(
            f"Le verrouillage après échecs de connexion compte dans un cache propre à chaque "
            f"processus ({backend}) : chaque processus gunicorn accorderait ses propres tentatives.",
            hint="Définissez CACHE_URL (Redis, par exemple redis://localhost:6379/0).",
            id="accounts.W001",
        )
    ]
