"""The two-page rule: how many printed pages each chapter takes, counted from the real PDF.

Counted on the chapter as it will print once its pending drafts are published: each page's latest
revision, new pages not yet published included, withdrawn pages left out. Editors see it in the
admin only (the report and the message after a save), so drafts may show there; agents never see
this rendering. Counts are kept as small files named by a fingerprint of the revisions counted.
"""

from django.db.models import Q

from wagtail.models import Page

from axes import tree
from axes.models import AmbitionPage, AxisPage, ProjectPage

from . import content
from .documents import cache_dir, fingerprint_of, remove_other_versions, service_rows, write_atomically
from .pdf import render_document

MAX_PAGES = 2
CHAPTER_TEMPLATE = "printing/chapter.html"
# Live pages and pages never published yet (drafts of new pages); not the withdrawn ones.
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


def latest_versions(pages):
    return [page.get_latest_revision_as_object() if page.has_unpublished_changes else page for page in pages]


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
    axis.printed_ambitions = ambitions
    axis.rollup = content.rollup_of(
        [project for ambition in ambitions for project in ambition.printed_projects]
    )
    return {**content.common_context(content.cop_home()), "axis": axis, "published_at": None}


def projected_rows(axis):
    pages = Page.objects.filter(path__startswith=axis.path).filter(IN_NEXT_EDITION).order_by("path")
    return list(pages.values_list(*PROJECTED_FIELDS))


def chapter_length(axis):
    """The number of A4 pages that `axis`'s chapter takes with its pending drafts published."""
    context_url = content.site_root_url(content.cop_home())
    fingerprint = fingerprint_of("longueur", context_url, projected_rows(axis), service_rows())
    stem = f"longueur-page-{axis.pk}"
    path = cache_dir() / f"{stem}-{fingerprint}.txt"
    if path.exists():
        return int(path.read_text())
    context = projected_chapter_context(axis)
    length = len(render_document(CHAPTER_TEMPLATE, context, base_url=context["site_url"]).pages)
    write_atomically(path, str(length).encode()).close()
    remove_other_versions(path, stem)
    return length


def axis_of(page):
    """The axis whose chapter shows `page`, or None for a page outside the chapters."""
    page = page.specific
    if isinstance(page, AxisPage):
        return page
    return AxisPage.objects.ancestor_of(page).first()


def length_message(length):
    pages = f"{length} page{'s' if length > 1 else ''} imprimée{'s' if length > 1 else ''}"
    if length > MAX_PAGES:
        return f"Ce chapitre tient sur {pages} : deux au plus. Raccourcissez-le avant sa publication."
    return f"Ce chapitre tient sur {pages}."
