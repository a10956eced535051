"""The tokens of the read API in the Wagtail admin (Paramètres › Jetons d'API), for administrators:
create one per client application and see its key once, rename it, revoke it. A token is never
deleted: its record says who created and revoked it, and when it was last used."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.views.generic import TemplateView

from wagtail.admin.ui.components import MediaContainer
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

from utils.typography import moment

from .models import ApiToken

REVOKE_ACTION = "api.token.revoke"


class ApiTokenPermissionPolicy(ModelPermissionPolicy):
    """Administrators only: whoever may add a token (superusers, or the permission api.add_apitoken)
    lists, renames and revokes them. Nobody deletes one."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, "add")

    def users_with_any_permission(self, actions):
        if set(actions) <= {"delete"}:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(["add"])


class StateColumn(Column):
    def get_value(self, instance):
        if instance.is_active:
            return "Actif"
        return f"Révoqué le {moment(instance.revoked_at)}"


class ApiTokenIndexView(generic.IndexView):
    revoke_url_name = None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.is_active:
            buttons.append(
                MenuItem(
                    "Révoquer",
                    url=reverse(self.revoke_url_name, args=[instance.pk]),
                    icon_name="cross",
                    priority=30,
                )
            )
        return buttons


class ApiTokenCreateView(generic.CreateView):
    """Saves the token and shows its key in the answer to the form, once: no redirect, so that the
    key is kept in no session, message nor log, and only its hash in the database."""

    success_message = None
    # The key must reach the administrator's eyes, not a script expecting JSON.
    expects_json_response = False

    def save_instance(self):
        self.key = self.form.instance.set_new_key()
        self.form.instance.created_by = self.request.user
        return super().save_instance()

    def save_action(self):
        context = self.get_context_data(
            key=self.key, token=self.object, index_url=reverse(self.index_url_name)
        )
        context["header_title"] = context["page_title"] = f"Clé du jeton « {self.object} »"
        response = TemplateResponse(self.request, "api/token_created.html", context)
        add_never_cache_headers(response)
        return response


class ApiTokenEditView(generic.EditView):
    success_message = "Jeton « %(object)s » renommé."

    def get_page_subtitle(self):
        return f"{self.object} ({self.object.prefix}…)"

    def get_side_panels(self):
        # Wagtail's status panel would call a token "published"; the list says active or revoked.
        return MediaContainer([])


class ApiTokenRevokeView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Asks, then revokes: the application's next request gets a 401. The record stays."""

    model = ApiToken
    permission_required = "change"
    template_name = "api/revoke.html"
    page_title = "Révoquer le jeton"
    header_icon = "key"
    index_url_name = None
    revoke_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(ApiToken, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            token=self.object,
            revoke_url=reverse(self.revoke_url_name, args=[self.object.pk]),
            index_url=reverse(self.index_url_name),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.object.is_active:
            self.object.revoke(request.user)
            log(instance=self.object, action=REVOKE_ACTION, user=request.user)
            messages.success(
                request,
                f"Jeton « {self.object} » révoqué : sa clé ({self.object.prefix}…) n'ouvre plus l'API.",
            )
        return redirect(self.index_url_name)


class ApiTokenViewSet(ModelViewSet):
    model = ApiToken
    icon = "key"
    menu_label = "Jetons d'API"
    add_to_settings_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    index_view_class = ApiTokenIndexView
    add_view_class = ApiTokenCreateView
    edit_view_class = ApiTokenEditView
    form_fields = ["name"]
    list_display = [
        "name",  # Wagtail's title column: the link to rename, and the menu of actions (revoke)
        Column("prefix", label="Début de la clé"),
        Column("created_by", label="Créé par"),
        DateColumn("created_at", label="Créé le"),
        DateColumn("last_used_at", label="Dernière utilisation"),
        StateColumn("state", label="État"),
    ]
    search_fields = ["name", "prefix"]
    search_backend_name = None
    ordering = ["-created_at"]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(revoke_url_name=self.get_url_name("revoke"), **kwargs)

    @property
    def revoke_view(self):
        return self.construct_view(
            ApiTokenRevokeView,
            index_url_name=self.get_url_name("index"),
            revoke_url_name=self.get_url_name("revoke"),
        )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("revoke/<int:pk>/", self.revoke_view, name="revoke")]
