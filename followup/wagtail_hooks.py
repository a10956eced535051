from wagtail import hooks
from wagtail.permissions import page_permission_policy
from wagtail.snippets.models import register_snippet

from .admin_views import CampaignPanel, CampaignViewSet, campaign_admin_urls, listing_buttons

register_snippet(CampaignViewSet)
hooks.register("register_admin_urls", campaign_admin_urls)
hooks.register("register_snippet_listing_buttons", listing_buttons)


@hooks.register("construct_homepage_panels")
def add_campaign_panel(request, panels):
    """For the moderators who run the campaigns, and the editors who follow the COP."""
    user = request.user
    if user.has_perm("followup.view_campaign") or page_permission_policy.user_has_any_permission(
        user, {"change", "publish"}
    ):
        panels.append(CampaignPanel())
