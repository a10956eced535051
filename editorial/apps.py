from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Circuit éditorial"

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)
        from .change_detection import register_honest_form_fields

        register_honest_form_fields()
