from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "API de lecture"

    def ready(self):
        from . import checks  # noqa: F401 (registers the checks)
