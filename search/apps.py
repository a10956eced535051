from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Recherche"
    # Search results are cached per publication (views.search_results): a changed thesaurus names a new one.
    cop_publication_models = ("search.SynonymGroup",)

    def ready(self):
        from . import lookups  # noqa: F401 (registers the `any_of` lookup)
