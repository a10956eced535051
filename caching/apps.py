from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(using="default", **kwargs):
    """The database cache's table, when that is the cache: `migrate` is all a server needs."""
    call_command("createcachetable", database=using, verbosity=0)


class CachingConfig(AppConfig):
    name = "caching"
    verbose_name = "Cache des pages"

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)

        post_migrate.connect(create_cache_table, sender=self)
