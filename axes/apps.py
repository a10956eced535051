from django.apps import AppConfig


class AxesConfig(AppConfig):
    name = "axes"
    verbose_name = "Axes, ambitions et projets"

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)
