from django.apps import AppConfig


class DigestsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "digests"
    verbose_name = "Résumés par e-mail"
    # Read by the page cache (caching/): a subscription shows in its agent's pages only.
    cop_agent_models = {"digests.Subscription": "user_id"}
