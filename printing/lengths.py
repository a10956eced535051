"""The two-page rule: how many printed pages each chapter takes, counted from the real PDF.

Counted on the chapter as it will print once its pending drafts are published: each page's and
each indicator's latest revision, new ones not yet published included, withdrawn ones left out.
Editors see it in the admin only (the report and the page editor), so drafts may show there; agents
never see this rendering. Laying a chapter out takes a second or two: the worker counts it
(tasks.py), never an editor's request, and the last count is kept (`ChapterLength`) with a
fingerprint of the revisions it counted, so that editors read it at once and know whether a newer
count is on its way.
"""

from dataclasses import dataclass

from django.db.models import Q

from wagtail.models import Page

from axes import tree
from axes.cops import cop_of
from axes.models import AmbitionPage, AxisPage, ProjectPage
from indicators.models import Indicator
from utils.typography import count, moment, plural

from . import content
from .documents import fingerprint_of, service_rows
from .models import ChapterLength
from .pdf import render_document

MAX_PAGES = 2
CHAPTER_TEMPLATE = "printing/chapter.html"
# Live pages and pages never published yet (drafts of new pages); not the withdrawn ones. The same
# for indicators.
IN_NEXT_EDITION = Q(live=True) | Q(first_published_at__isnull=True)
# What a page's next printed version depends on; the revision's date tells apart two databases
# (a restored backup) that reuse the same revision ids.
PROJECTED_FIELDS = (
    "id",
    "path",
    "url_path",
    "latest_revision_id",
    "latest_revision_created_at",
    "has_unpublished_changes",
)


def latest_versions(objects):
    return [
        item.get_latest_revision_as_object() if item.has_unpublished_changes else item for item in objects
    ]


def projected_indicators(cop):
    """The COP's indicators as they will print once their drafts are published."""
    return (
        Indicator.objects.filter(cop=cop).filter(IN_NEXT_EDITION).with_series().prefetch_related("ambitions")
    )


def projected_indicator_links(cop):
    """(indicator, pks of its ambitions), from each indicator's latest revision."""
    return [
        (indicator, [ambition.pk for ambition in indicator.ambitions.all()])
        for indicator in latest_versions(projected_indicators(cop))
    ]


def projected_chapter_context(axis):
    """The chapter's context (as `content.chapter_context`) from the latest revision of each page."""
    axis = axis.get_latest_revision_as_object()
    ambitions = latest_versions(AmbitionPage.objects.child_of(axis).filter(IN_NEXT_EDITION))
    projects = latest_versions(
        ProjectPage.objects.descendant_of(axis)
        .filter(IN_NEXT_EDITION)
        .select_related("pilot_service")
        .prefetch_related("services")
    )
    ambitions.sort(key=lambda ambition: ambition.number)
    projects.sort(key=lambda project: tree.reference_sort_key(project.reference))
    tree.attach_children(ambitions, projects, "printed_projects")
    for ambition in ambitions:
        ambition.rollup = content.rollup_of(ambition.printed_projects)
    content.attach_indicators(ambitions, projected_indicator_links(cop_of(axis)))
    axis.printed_ambitions = ambitions
    axis.rollup = content.rollup_of(
        [project for ambition in ambitions for project in ambition.printed_projects]
    )
    return {**content.common_context(cop_of(axis)), "axis": axis, "published_at": None}


def projected_rows(axis):
    pages = Page.objects.filter(path__startswith=axis.path).filter(IN_NEXT_EDITION).order_by("path")
    return list(pages.values_list(*PROJECTED_FIELDS))


def projected_indicator_rows(cop):
    indicators = Indicator.objects.filter(cop=cop).filter(IN_NEXT_EDITION).order_by("pk")
    return list(indicators.values_list("id", "latest_revision_id", "latest_revision__created_at"))


def chapter_fingerprint(axis):
    """What the count of `axis`'s chapter depends on: its pages' and its COP's indicators' latest
    revisions, the services, the site."""
    cop = cop_of(axis)
    rows = [projected_rows(axis), projected_indicator_rows(cop), service_rows()]
    return fingerprint_of("longueur", content.site_root_url(cop), *rows)


def count_chapter_length(axis):
    """Lays out `axis`'s chapter with its pending drafts published, and keeps its number of A4 pages.

    The fingerprint is taken first: a save made during the layout makes the count outdated, and
    queues the next one.
    """
    fingerprint = chapter_fingerprint(axis)
    known = ChapterLength.objects.filter(axis=axis, fingerprint=fingerprint).first()
    if known is not None:
        return known
    context = projected_chapter_context(axis)
    pages = len(render_document(CHAPTER_TEMPLATE, context, base_url=context["site_url"]).pages)
    length, _ = ChapterLength.objects.update_or_create(
        axis=axis, defaults={"fingerprint": fingerprint, "page_count": pages}
    )
    return length


@dataclass(frozen=True)
class LengthStatus:
    """What editors are told of a chapter's length: the last count, if any, and whether it is current."""

    last_count: ChapterLength | None
    is_current: bool

    @property
    def too_long(self):
        return self.last_count is not None and self.last_count.page_count > MAX_PAGES

    def message(self):
        if self.last_count is None:
            return "Longueur imprimée de ce chapitre en cours de calcul."
        pages, counted_at = self.last_count.page_count, moment(self.last_count.counted_at)
        if self.is_current:
            return f"{length_message(pages)} Compté le {counted_at}."
        was = f"il tenait sur {printed_pages(pages)}" + (" : deux au plus" if pages > MAX_PAGES else "")
        return (
            f"Longueur imprimée de ce chapitre en cours de calcul. Au dernier compte, le {counted_at}, {was}."
        )


def length_statuses(axes):
    """{axis pk: LengthStatus} of `axes`: one query for the counts, one per axis for its fingerprint."""
    counts = ChapterLength.objects.in_bulk([axis.pk for axis in axes])
    statuses = {}
    for axis in axes:
        last_count = counts.get(axis.pk)
        is_current = last_count is not None and last_count.fingerprint == chapter_fingerprint(axis)
        statuses[axis.pk] = LengthStatus(last_count, is_current)
    return statuses


def axis_of(page):
    """The axis whose chapter shows `page`, or None for a page outside the chapters."""
    page = page.specific
    if isinstance(page, AxisPage):
        return page
    return AxisPage.objects.ancestor_of(page).first()


def printed_pages(length):
    return f"{count(length, 'page')} {plural(length, 'imprimée')}"


def length_message(length):
    if length > MAX_PAGES:
        return (
            f"Ce chapitre tient sur {printed_pages(length)} : deux au plus. "
            "Raccourcissez-le avant sa publication."
        )
    return f"Ce chapitre tient sur {printed_pages(length)}."
