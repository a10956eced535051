"""A page's history, the journal of the COP's publications, and the COP at two dates compared."""

from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import pairwise
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from wagtail.contrib.redirects.models import Redirect

from axes.cops import cops
from axes.models import AmbitionPage, AxisPage
from axes.readers import Reader
from utils.pagination import page_links, query_with
from utils.serving import page_or_404, serve_as_page

from .carry_overs import compare_cops
from .forms import CompareForm, EarlierCopForm, JournalFilterForm
from .models import Edition
from .publications import COP_PAGE_MODELS, filtered_log, publication_log, publications, with_urls
from .snapshots import compare

HISTORY_PER_PAGE = 20
JOURNAL_PER_PAGE = 30


@require_GET
def page_history_at(request, path):
    """`<page URL>historique/`, as protected as the page itself."""
    page = page_or_404(request, path, COP_PAGE_MODELS)
    return serve_as_page(page, request, partial(page_history, request, page))


def page_history(request, page):
    """The published versions of a COP page, newest first, each with what changed."""
    listing = Paginator(publication_log().filter(page_id=page.pk), HISTORY_PER_PAGE).get_page(
        request.GET.get("page")
    )
    versions = publications(listing.object_list)
    trail = trail_to(page)
    context = {
        "page": page,
        "axis": trail[0],
        "breadcrumbs": trail,
        "versions": versions,
        "listing": listing,
        "page_links": page_links(listing, request.GET),
        "redirected": redirected_addresses(versions, page),
    }
    return TemplateResponse(request, "history/page_history.html", context)


def trail_to(page):
    """The axis and the ambition above `page`, those it has, then the page itself."""
    above = [model.objects.ancestor_of(page).first() for model in (AxisPage, AmbitionPage)]
    return [ancestor for ancestor in above if ancestor] + [page]


def redirected_addresses(versions, page):
    """The old short links named by the versions' renumberings that still lead to the page."""
    paths = {
        Redirect.normalise_path(change.old_address): change.old_address
        for version in versions
        for change in version.changes
        if change.old_address
    }
    if not paths:
        return set()
    found = Redirect.objects.filter(old_path__in=paths, redirect_page_id=page.pk)
    return {paths[old_path] for old_path in found.values_list("old_path", flat=True)}


def journal_filters(request):
    axes = Reader.of(request.user, request.cop).pages(AxisPage.objects.order_by("number"))
    terms = request.cop.terms if request.cop else None
    return JournalFilterForm(request.GET or None, axes=list(axes), terms=terms)


@require_GET
def journal(request):
    filters = journal_filters(request)
    entries = filtered_log(filters.criteria(), Reader.of(request.user, request.cop))
    listing = Paginator(entries, JOURNAL_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "lines": with_urls(publications(listing.object_list), request),
        "listing": listing,
        "page_links": page_links(listing, request.GET),
        "feed_query": query_with(request.GET, page=None),
    }
    return TemplateResponse(request, "history/journal.html", context)


@dataclass(frozen=True)
class Preset:
    """Two dates to compare, offered as a link."""

    label: str
    start: date
    end: date

    @property
    def query(self):
        return "?" + urlencode({"du": self.start.isoformat(), "au": self.end.isoformat()})


def edition_presets(editions, today):
    """Each edition against the one before it, and the latest against today; newest first."""
    presets = [
        Preset(f"De « {earlier.name} » à « {later.name} »", earlier.date, later.date)
        for earlier, later in pairwise(editions)
    ]
    if editions and editions[-1].date < today:
        presets.append(Preset(f"De « {editions[-1].name} » à aujourd'hui", editions[-1].date, today))
    return presets[::-1]


@require_GET
def compare_dates(request):
    """The COP at two dates compared; or, with `?cop=`, another COP's end compared with this COP."""
    editions = list(Edition.objects.order_by("date"))
    comparing_cops = "cop" in request.GET
    form = CompareForm(request.GET if request.GET and not comparing_cops else None)
    comparison = None
    if form.is_bound and form.is_valid():
        comparison = compare(
            form.cleaned_data["du"], form.cleaned_data["au"], request, Reader.of(request.user, request.cop)
        )
    names = {edition.date: edition.name for edition in editions}
    context = {
        "form": form,
        "comparison": comparison,
        "presets": edition_presets(editions, timezone.localdate()),
        "start_edition": comparison and names.get(comparison.start, ""),
        "end_edition": comparison and names.get(comparison.end, ""),
        **cops_compared(request, comparing_cops),
    }
    return TemplateResponse(request, "history/compare.html", context)


def cops_compared(request, comparing_cops):
    """The form that picks another COP, and its comparison with this one once picked."""
    if not request.cop:
        return {"cop_form": None, "cops_comparison": None}
    others = [cop for cop in cops().all if cop.pk != request.cop.pk]
    cop_form = EarlierCopForm(request.GET if comparing_cops else None, others=others)
    earlier = cop_form.chosen() if comparing_cops else None
    return {
        "cop_form": cop_form if others else None,
        "cops_comparison": earlier and compare_cops(earlier, request.cop, request),
    }
