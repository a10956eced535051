from django.apps import AppConfig


class CachingConfig(AppConfig):
    name = "caching"
    verbose_name = "Cache des pages"

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)
