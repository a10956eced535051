from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import ApiToken
from .viewsets import REVOKE_ACTION, ApiTokenPermissionPolicy, ApiTokenViewSet

# Before the viewset is registered: it would otherwise make Wagtail's default policy for the model.
register_permission_policy(ApiToken, ApiTokenPermissionPolicy(ApiToken))


@hooks.register("register_admin_viewset")
def register_api_token_viewset():
    return ApiTokenViewSet("jetons_api")


@hooks.register("register_log_actions")
def register_revoke_action(actions):
    actions.register_action(REVOKE_ACTION, "Révocation du jeton d'API", "Jeton révoqué")
