from django.apps import AppConfig

from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    # Two configs live here: without this, Django would fall back to a bare AppConfig.
    default = True
    name = "accounts"
    verbose_name = "Comptes des agents"

    def ready(self):
        from . import checks, signals  # noqa: F401 (registers the deployment checks and receivers)


class CopUsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "accounts.viewsets.UserViewSet"
