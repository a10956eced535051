"""The two-page rule where editors work: the "Longueur des chapitres" report, and a message after a save."""

import logging

from django.contrib import messages
from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permissions import policy_registry

from axes.models import AxisPage

from . import content
from .lengths import IN_NEXT_EDITION, MAX_PAGES, axis_of, chapter_length, length_message

logger = logging.getLogger(__name__)
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
    ]

    @property
    def permission_policy(self):
        return policy_registry.get_by_type(Page)

    def get_queryset(self):
        return AxisPage.objects.child_of(content.cop_home()).filter(IN_NEXT_EDITION).order_by("number")

    def decorate_paginated_queryset(self, axes):
        axes = list(axes)
        for axis in axes:
            axis.page_count = chapter_length(axis)
            axis.verdict = (
                f"Trop long : {axis.page_count} pages, deux au plus"
                if axis.page_count > MAX_PAGES
                else "Tient sur deux pages"
            )
        return axes

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["page_subtitle"] = (
            "Pages A4 de chaque chapitre tel qu'il s'imprimera une fois ses brouillons en cours publiés."
        )
        return context


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


def report_chapter_length(request, page):
    """After a save, publication or submission in the page editor (both fire one of these hooks)."""
    if not request.accepts("text/html"):
        return  # the editor's autosave: the count waits for a save the editor makes
    axis = axis_of(page)
    if axis is None:
        return
    try:
        length = chapter_length(axis)
    except Exception:
        # The page is saved already: a failed count must not turn the editor's save into an error page.
        logger.exception("Chapter length of page %s", axis.pk)
        messages.warning(request, "La longueur imprimée de ce chapitre n'a pas pu être calculée.")
        return
    report = messages.warning if length > MAX_PAGES else messages.info
    report(request, length_message(length))


hooks.register("after_create_page", report_chapter_length)
hooks.register("after_edit_page", report_chapter_length)
