from django.apps import AppConfig


class SpreadsheetsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "spreadsheets"
    verbose_name = "Import et export des tableaux"
