from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "printing"
    verbose_name = "impression"

    def ready(self):
        from . import signals  # noqa: F401
