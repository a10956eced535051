from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "history"
    verbose_name = "Historique et évolutions"

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)
