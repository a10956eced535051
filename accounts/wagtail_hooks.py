from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from .models import User

# Administrators manage agents: the report is theirs.
MANAGE_AGENTS = "accounts.change_user"


class DirectoryValuesColumn(Column):
    def get_value(self, instance):
        return ", ".join(instance.directory_services) or "aucune valeur dans l'annuaire"


class AgentsWithoutServiceView(ReportView):
    """Directory agents whose service values name no COP service: add the value as an alias of
    the right service (Services > the service > Autres noms) and they find it at once."""

    page_title = "Agents sans service"
    header_icon = "group"
    is_searchable = True
    search_fields = ["username", "first_name", "last_name", "email"]
    default_ordering = "last_name"
    index_url_name = "agents_without_service"
    index_results_url_name = "agents_without_service_results"
    columns = [
        TitleColumn(
            "name",
            label="Agent",
            accessor="get_full_name",
            url_name="wagtailusers_users:edit",
            sort_key="last_name",
        ),
        Column("username", label="Identifiant", sort_key="username"),
        DirectoryValuesColumn("directory_services", label="Service dans l'annuaire"),
        Column("get_directory_display", label="Annuaire"),
        DateColumn("last_login", label="Dernière connexion", sort_key="last_login"),
    ]
    list_export = ["last_name", "first_name", "username", "email", "directory_services", "last_login"]
    export_headings = {
        "last_name": "Nom",
        "first_name": "Prénom",
        "username": "Identifiant",
        "email": "Adresse électronique",
        "directory_services": "Service dans l'annuaire",
        "last_login": "Dernière connexion",
    }

    def get_base_queryset(self):
        return User.objects.exclude(directory="").filter(services__isnull=True, is_active=True)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(MANAGE_AGENTS):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class AgentManagersMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(MANAGE_AGENTS)


@hooks.register("register_admin_urls")
def register_agents_without_service_urls():
    view = AgentsWithoutServiceView.as_view
    return [
        path("agents-sans-service/", view(), name="agents_without_service"),
        path(
            "agents-sans-service/resultats/",
            view(results_only=True),
            name="agents_without_service_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_agents_without_service_menu_item():
    return AgentManagersMenuItem(
        "Agents sans service", reverse("agents_without_service"), icon_name="group", order=1300
    )
