from django.apps import AppConfig


class UtilsConfig(AppConfig):
    name = "utils"
    verbose_name = "Outils communs"

    def ready(self):
        from .search_index import defer_indexing_on_save

        defer_indexing_on_save()
