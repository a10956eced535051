from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = "Suivi des projets"
    # Read by the page cache (caching/): opening or closing a campaign changes the référents' service pages.
    cop_publication_models = ("followup.Campaign",)

    def ready(self):
        from axes.demo.builder import demo_cop_loaded

        from . import signals  # noqa: F401 (connects the receivers)
        from .demo import open_demo_campaign

        demo_cop_loaded.connect(open_demo_campaign, dispatch_uid="followup_demo_campaign")
