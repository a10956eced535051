import datetime

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.models import Page
from wagtail.permissions import page_permission_policy

from axes.cops import cop_of
from axes.models import AmbitionPage, AxisPage, ProjectPage
from indicators.progress import decimal_number
from utils.typography import day

from .admin_search import CopPageSearchArea, admin_search_urls, without_wagtails_page_search
from .archives import refuse_in_archive
from .carry_over import carry_over_urls, header_buttons, listing_more_buttons
from .copying import copy_project
from .current_cop import current_cop_menu_item, current_cop_urls
from .dashboard import EditorialDashboardPanel
from .proposals import PROPOSAL_LOG_ACTION, VALUE_PROPOSAL_LOG_ACTION
from .signals import APPROVED_WITH_EDITS_LOG_ACTION
from .workflow import mark_approval_in_editor

ONLY_ADMINISTRATORS_DELETE = (
    "Seuls les administrateurs du COP peuvent supprimer une page. "
    "Pour la retirer du COP en gardant son historique, dépubliez-la."
)
NO_AUTOSAVE_OF_A_WORKFLOW_ACTION = (
    "Enregistrement automatique arrêté : une action de validation vient d'être faite sur cette page."
)
NUMBERED_PAGES_ARE_NOT_COPIED = (
    "Un axe ou une ambition ne se copie pas : son numéro, et les références de ses projets, sont uniques "
    "dans le COP. Créez la nouvelle page, puis copiez-y les projets un à un avec une nouvelle référence."
)
MOVED_ACROSS_COPS = (
    "Une page ne change pas de COP : pour qu'un projet continue dans un autre COP, "
    "utilisez « Reprendre dans le nouveau COP »."
)
# The hidden fields that Wagtail's workflow buttons add to the page editor's form.
WORKFLOW_ACTION_FIELDS = {"action-workflow-action", "workflow-action-name"}


hooks.register("register_admin_urls", admin_search_urls)
hooks.register("register_admin_urls", carry_over_urls)
hooks.register("register_admin_urls", current_cop_urls)
hooks.register("register_settings_menu_item", current_cop_menu_item)
hooks.register("register_page_header_buttons", header_buttons)
hooks.register("register_page_listing_more_buttons", listing_more_buttons)
hooks.register("register_admin_search_area", CopPageSearchArea)
hooks.register("construct_search", without_wagtails_page_search)


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

    @actions.register_action(VALUE_PROPOSAL_LOG_ACTION)
    class ValueProposalFormatter(LogFormatter):
        label = "Proposition de valeur"

        def format_message(self, log_entry):
            data = log_entry.data
            value = decimal_number(data.get("value"))
            when = day(datetime.date.fromisoformat(data["date"])) if data.get("date") else ""
            return f"Valeur proposée par un référent de service : {value} au {when}"

        def format_comment(self, log_entry):
            return log_entry.data.get("note", "")

    @actions.register_action(APPROVED_WITH_EDITS_LOG_ACTION)
    class ApprovedWithEditsFormatter(LogFormatter):
        label = "Approbation avec modifications"

        def format_message(self, log_entry):
            return (
                "Version modifiée depuis sa soumission, approuvée dans l'éditeur : "
                "elle reprend les notes de la version soumise"
            )


# The same for the pages' editor and the indicators' (snippets with the COP's workflow).
@hooks.register("before_edit_page")
@hooks.register("before_edit_snippet")
def no_autosave_of_a_workflow_action(request, instance):
    """Wagtail's autosave posts the editor's form as it stands, with the fields that a workflow button
    has just added to it: a second later, it would approve again or save a draft over the version
    just published. A workflow action is for the moderator's click alone."""
    is_autosave = request.method == "POST" and not request.accepts("text/html")
    if is_autosave and WORKFLOW_ACTION_FIELDS & request.POST.keys():
        refusal = {"error_code": "invalid_revision", "error_message": NO_AUTOSAVE_OF_A_WORKFLOW_ACTION}
        return JsonResponse({"success": False, **refusal}, status=400)
    return None


@hooks.register("before_edit_page")
@hooks.register("before_edit_snippet")
def mark_a_workflow_action_taken_in_the_editor(request, instance):
    """An approval in the editor publishes the editor's form, which shows the latest revision; an
    approval from the dashboard publishes the revision submitted, which its links show."""
    if request.method == "POST" and WORKFLOW_ACTION_FIELDS & request.POST.keys():
        mark_approval_in_editor(request, instance)
    return None


@hooks.register("before_edit_page")
@hooks.register("before_delete_page")
@hooks.register("before_move_page")
@hooks.register("before_unpublish_page")
def nothing_changes_in_an_archived_cop(request, page, *args):
    return refuse_in_archive(request, page, reverse("wagtailadmin_explore", args=[page.get_parent().pk]))


@hooks.register("before_move_page")
def pages_stay_in_their_cop(request, page, destination):
    """References and numbers are unique within a COP: a page goes to another COP by carry-over."""
    if cop_of(destination) == cop_of(page):
        return None
    messages.error(request, MOVED_ACROSS_COPS)
    return redirect("wagtailadmin_pages:move", page.pk)


@hooks.register("before_create_page")
def nothing_is_added_to_an_archived_cop(request, parent_page, page_class):
    return refuse_in_archive(
        request, parent_page.specific, reverse("wagtailadmin_explore", args=[parent_page.pk])
    )


@hooks.register("before_copy_page")
def copy_projects_with_a_new_reference(request, page):
    page_class = page.specific_class
    if page_class is ProjectPage:
        return copy_project(request, page)
    if page_class in (AxisPage, AmbitionPage):
        messages.error(request, NUMBERED_PAGES_ARE_NOT_COPIED)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


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
