from django import forms
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.contrib.search_promotions.models import Query
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

import django_filters

from .models import SynonymGroup

PROMOTION_PERMISSION = "wagtailsearchpromotions.add_searchpromotion"


class AgentSearchFilterSet(WagtailFilterSet):
    unanswered_only = django_filters.BooleanFilter(
        label="Sans résultat uniquement",
        field_name="unanswered",
        lookup_expr="isnull",
        exclude=True,
    )

    class Meta:
        model = Query
        fields = []


class AgentSearchReportView(ReportView):
    """The searches agents made, with those that found nothing, for editors who promote results."""

    page_title = "Recherches des agents"
    header_icon = "search"
    is_searchable = True
    search_fields = ["query_string"]
    filterset_class = AgentSearchFilterSet
    default_ordering = "-searches"
    index_url_name = "agent_search_report"
    index_results_url_name = "agent_search_report_results"
    columns = [
        Column("query_string", label="Recherche", sort_key="query_string"),
        NumberColumn("searches", label="Recherches", sort_key="searches"),
        NumberColumn("unanswered_searches", label="Sans résultat", sort_key="unanswered_searches"),
        NumberColumn("promotions", label="Résultats promus", sort_key="promotions"),
        DateColumn("unanswered.last_searched_at", label="Dernière recherche sans résultat"),
    ]
    list_export = ["query_string", "searches", "unanswered_searches", "promotions"]
    export_headings = {
        "query_string": "Recherche",
        "searches": "Recherches",
        "unanswered_searches": "Sans résultat",
        "promotions": "Résultats promus",
    }

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "queryset": self.get_base_queryset()}

    def get_base_queryset(self):
        return (
            Query.objects.filter(daily_hits__isnull=False)
            .select_related("unanswered")
            .annotate(
                searches=Sum("daily_hits__hits"),
                unanswered_searches=Coalesce("unanswered__hits", 0),
                promotions=Count("editors_picks", distinct=True),
            )
        )

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PROMOTION_PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class PromotersOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PROMOTION_PERMISSION)


@hooks.register("register_admin_urls")
def register_agent_search_report_urls():
    view = AgentSearchReportView.as_view
    return [
        path("recherches/", view(), name="agent_search_report"),
        path("recherches/resultats/", view(results_only=True), name="agent_search_report_results"),
    ]


@hooks.register("register_reports_menu_item")
def register_agent_search_report_menu_item():
    return PromotersOnlyMenuItem(
        "Recherches des agents", reverse("agent_search_report"), icon_name="search", order=1250
    )


class SynonymGroupViewSet(SnippetViewSet):
    """The thesaurus that editors and moderators keep: the next search uses a change at once."""

    model = SynonymGroup
    icon = "search"
    menu_label = "Synonymes et sigles"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["terms"]
    search_fields = ["terms"]
    search_backend_name = None
    ordering = ["terms"]
    panels = [FieldPanel("terms", widget=forms.Textarea(attrs={"rows": 3}))]


register_snippet(SynonymGroupViewSet)
