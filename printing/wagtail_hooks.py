"""The two-page rule where editors work: the "Longueur des chapitres" report, and a message in the
page editor. Both read the worker's last count (lengths.py), and queue a new one when it is outdated."""

from django.contrib import messages
from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permissions import policy_registry

from axes.models import AxisPage
from utils.typography import count, moment

from . import content, tasks
from .lengths import IN_NEXT_EDITION, MAX_PAGES, axis_of, length_statuses

EDITING_PERMISSIONS = ["add", "change", "publish"]


class ChapterLengthReportView(ReportView):
    """Each axis's chapter, its printed length counted from the PDF, flagged above two pages."""

    page_title = "Longueur des chapitres"
    header_icon = "doc-full"
    index_url_name = "chapter_length_report"
    index_results_url_name = "chapter_length_report_results"
    any_permission_required = EDITING_PERMISSIONS
    paginate_by = None
    columns = [
        NumberColumn("number", label="Axe"),
        TitleColumn("title", label="Chapitre", url_name="wagtailadmin_pages:edit"),
        NumberColumn("page_count", label="Pages imprimées"),
        Column("verdict", label="Règle des deux pages"),
        Column("counted", label="Compté le"),
    ]

    @property
    def permission_policy(self):
        return policy_registry.get_by_type(Page)

    def get_queryset(self):
        return AxisPage.objects.child_of(content.cop_home()).filter(IN_NEXT_EDITION).order_by("number")

    def decorate_paginated_queryset(self, axes):
        axes = list(axes)
        statuses = length_statuses(axes)
        for axis in axes:
            status = statuses[axis.pk]
            last_count = status.last_count
            axis.page_count = last_count.page_count if last_count else None
            axis.verdict = verdict(last_count.page_count) if last_count else "En cours de calcul"
            axis.counted = moment(last_count.counted_at) if last_count else ""
            if not status.is_current:
                axis.counted = f"{axis.counted} – en cours de calcul" if last_count else "En cours de calcul"
                tasks.queue_length_count(axis)
        return axes

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["page_subtitle"] = (
            "Pages A4 de chaque chapitre tel qu'il s'imprimera une fois ses brouillons en cours publiés."
        )
        return context


def verdict(page_count):
    if page_count > MAX_PAGES:
        return f"Trop long : {count(page_count, 'page')}, deux au plus"
    return "Tient sur deux pages"


class EditorsMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_registry.get_by_type(Page).user_has_any_permission(request.user, EDITING_PERMISSIONS)


@hooks.register("register_admin_urls")
def register_chapter_length_report_urls():
    view = ChapterLengthReportView.as_view
    return [
        path("longueur-des-chapitres/", view(), name="chapter_length_report"),
        path(
            "longueur-des-chapitres/resultats/", view(results_only=True), name="chapter_length_report_results"
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_chapter_length_report_menu_item():
    return EditorsMenuItem(
        "Longueur des chapitres", reverse("chapter_length_report"), icon_name="doc-full", order=1260
    )


def queue_chapter_length_count(request, page):
    """After a save, publication or submission in the page editor (both fire one of these hooks)."""
    if not request.accepts("text/html"):
        return  # the editor's autosave: the count waits for a save the editor makes
    axis = axis_of(page)
    if axis is not None:
        tasks.queue_length_count(axis)


@hooks.register("before_edit_page")
def show_chapter_length(request, page):
    """The page editor says how long its chapter prints, or that the count is on its way."""
    if request.method != "GET":
        return
    axis = axis_of(page)
    if axis is None:
        return
    status = length_statuses([axis])[axis.pk]
    if not status.is_current:
        tasks.queue_length_count(axis)
    report = messages.warning if status.too_long else messages.info
    report(request, status.message())


hooks.register("after_create_page", queue_chapter_length_count)
hooks.register("after_edit_page", queue_chapter_length_count)
