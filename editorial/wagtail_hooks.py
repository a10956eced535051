from django.contrib import messages
from django.shortcuts import redirect

from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.models import Page
from wagtail.permissions import page_permission_policy

from .dashboard import EditorialDashboardPanel
from .proposals import PROPOSAL_LOG_ACTION

ONLY_ADMINISTRATORS_DELETE = (
    "Seuls les administrateurs du COP peuvent supprimer une page. "
    "Pour la retirer du COP en gardant son historique, dépubliez-la."
)


@hooks.register("construct_homepage_panels")
def add_editorial_dashboard(request, panels):
    if page_permission_policy.user_has_any_permission(request.user, {"change", "publish"}):
        panels.append(EditorialDashboardPanel())


@hooks.register("register_log_actions")
def register_proposal_action(actions):
    @actions.register_action(PROPOSAL_LOG_ACTION)
    class ProposalFormatter(LogFormatter):
        label = "Proposition de mise à jour"

        def format_message(self, log_entry):
            if log_entry.data.get("includes_unpublished_changes"):
                return (
                    "Mise à jour proposée par un référent de service, sur un brouillon qui contenait "
                    "déjà des modifications non publiées"
                )
            return "Mise à jour proposée par un référent de service"

        def format_comment(self, log_entry):
            return log_entry.data.get("note", "")


# Wagtail lets whoever may change a page delete it too (a draft, or any leaf page with "publish");
# the COP keeps deletion for administrators, so these hooks refuse it to everyone else.
@hooks.register("before_delete_page")
def only_administrators_delete_a_page(request, page):
    if not request.user.is_superuser:
        messages.error(request, ONLY_ADMINISTRATORS_DELETE)
        return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def only_administrators_delete_pages_in_bulk(request, action_type, objects, action_class_instance):
    if (
        action_type == "delete"
        and issubclass(action_class_instance.model, Page)
        and not request.user.is_superuser
    ):
        messages.error(request, ONLY_ADMINISTRATORS_DELETE)
        return redirect("wagtailadmin_explore_root")
