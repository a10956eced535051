from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = "Suivi des projets"
    # Read by the page cache (caching/): the open campaign shows in the référents' header.
    cop_publication_models = ("followup.Campaign",)

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)
