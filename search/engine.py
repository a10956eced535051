"""Searching the COP: filters, exact references first, French full text, facets and snippets."""

import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Left
from django.utils.html import strip_tags

from wagtail.models import Page

from axes.models import AmbitionPage, AxisPage, ProjectPage, ProjectService, ProjectStatus, Service
from axes.queries import AMBITION_PATH_LENGTH, AXIS_PATH_LENGTH

from .text import highlight

PER_PAGE = 20
# "16", "16.2", "ambition 16", "projet 16.2", "n° 16": the agent means that number or reference.
REFERENCE = re.compile(
    r"^\s*(?P<kind>ambition|projet|axe)?\s*(?:n°|no|n)?\s*(?P<ref>\d+(?:\.\d+)*)\s*$", re.I
)


@dataclass
class SearchParams:
    """What the agent asked for, with a French message for each filter that made no sense."""

    query: str = ""
    service: Service | None = None
    axis: AxisPage | None = None
    status: str = ""
    page: str = "1"
    errors: list = field(default_factory=list)

    @classmethod
    def from_query_dict(cls, data):
        params = cls(query=data.get("q", "").strip()[:200], page=data.get("page", "1"))
        if slug := data.get("service", "").strip():
            params.service = Service.objects.filter(slug=slug).first()
            if params.service is None:
                params.errors.append(f"Le service « {slug} » n'existe pas : ce filtre est ignoré.")
        if number := data.get("axe", "").strip():
            params.axis = AxisPage.objects.live().filter(number=number).first() if number.isdigit() else None
            if params.axis is None:
                params.errors.append(f"L'axe « {number} » n'existe pas : ce filtre est ignoré.")
        if status := data.get("statut", "").strip():
            if status in ProjectStatus.values:
                params.status = status
            else:
                params.errors.append(f"Le statut « {status} » n'existe pas : ce filtre est ignoré.")
        return params

    @property
    def status_label(self):
        return ProjectStatus(self.status).label if self.status else ""

    @property
    def is_empty(self):
        return not (self.query or self.service or self.axis or self.status)

    def as_query_dict(self, **changes):
        """The parameters as they go in a URL, with `changes` applied (None removes one).

        Changing a filter goes back to the first page of results, so `page` is dropped.
        """
        values = {
            "q": self.query,
            "service": self.service.slug if self.service else "",
            "axe": str(self.axis.number) if self.axis else "",
            "statut": self.status,
        }
        values.update({key: value or "" for key, value in changes.items()})
        return {key: value for key, value in values.items() if value}


def searchable_pages(params):
    """The live pages that the filters allow, whatever the words typed."""
    pages = Page.objects.live().public().type(AxisPage, AmbitionPage, ProjectPage)
    if params.axis:
        pages = pages.descendant_of(params.axis, inclusive=True)
    if params.service or params.status:
        projects = ProjectPage.objects.all()
        if params.service:
            projects = projects.filter(services=params.service)
        if params.status:
            projects = projects.filter(status=params.status)
        pages = pages.filter(id__in=projects.values("pk"))
    return pages


def exact_matches(query, pages):
    """The pages whose number or reference the agent typed, to show before everything else."""
    match = REFERENCE.match(query)
    if not match:
        return []
    kind, reference = (match["kind"] or "").lower(), match["ref"]
    found = []
    if kind in ("", "projet"):
        found += ProjectPage.objects.filter(reference=reference, pk__in=pages.values("pk"))
    if kind in ("", "ambition") and reference.isdigit():
        found += AmbitionPage.objects.filter(number=int(reference), pk__in=pages.values("pk"))
    if kind == "axe" and reference.isdigit():
        found += AxisPage.objects.filter(number=int(reference), pk__in=pages.values("pk"))
    return found


@dataclass
class SearchOutcome:
    params: SearchParams
    page: object = None
    total: int = 0
    facets: dict = field(default_factory=dict)
    widened: str = ""  # how the search was widened when the exact words found nothing


def run_search(params):
    """Runs the search that `params` describe and returns one page of results with its facets."""
    outcome = SearchOutcome(params)
    if params.is_empty:
        return outcome
    pages = searchable_pages(params)
    exact = exact_matches(params.query, pages) if params.query else []
    rest = pages.exclude(id__in=[page.pk for page in exact])
    if params.query:
        results = full_text(rest.specific(), params.query, outcome, widen=not exact)
        matched = results.get_queryset().values("pk")
    else:
        results = rest.specific().order_by("path")
        matched = rest.values("pk")
    combined = CombinedResults(exact, results)
    outcome.page = Paginator(combined, PER_PAGE).get_page(params.page)
    outcome.total = len(combined)
    describe(outcome.page.object_list, params.query)
    outcome.facets = facets(matched, [page.pk for page in exact])
    return outcome


def full_text(pages, query, outcome, widen=True):
    """All the words first; failing that, any of them; failing that, words that start so.

    A query that named a reference (`projet 31.1`) is not widened: any word of it would
    match the whole COP.
    """
    results = pages.search(query, operator="and")
    if not widen:
        return results
    if not results.count() and len(query.split()) > 1:
        results, outcome.widened = pages.search(query, operator="or"), "any_word"
    if not results.count():
        results, outcome.widened = pages.autocomplete(query), "prefix"
    return results


class CombinedResults:
    """Exact matches, then the full-text results, as one sliceable sequence for the paginator."""

    def __init__(self, exact, results):
        self.exact, self.results = exact, results
        self._count = None

    def __len__(self):
        if self._count is None:
            self._count = len(self.exact) + self.results.count()
        return self._count

    def count(self):
        return len(self)

    def __getitem__(self, window):
        start, stop = window.start or 0, window.stop
        head = self.exact[start:stop]
        tail_start = max(0, start - len(self.exact))
        tail_stop = stop - len(self.exact) if stop is not None else None
        return head + list(self.results[tail_start:tail_stop]) if tail_stop != 0 else head


def describe(results, query):
    """Sets on each result its place in the COP, its services and a snippet, in a few queries."""
    paths = {
        result.path[:length] for result in results for length in (AXIS_PATH_LENGTH, AMBITION_PATH_LENGTH)
    }
    places = {
        page.path: page for model in (AxisPage, AmbitionPage) for page in model.objects.filter(path__in=paths)
    }
    project_ids = [result.pk for result in results if isinstance(result, ProjectPage)]
    services = {}
    for link in ProjectService.objects.filter(content_object_id__in=project_ids).select_related("tag"):
        services.setdefault(link.content_object_id, []).append(link.tag)
    for result in results:
        result.place = [
            places[result.path[:length]]
            for length in (AXIS_PATH_LENGTH, AMBITION_PATH_LENGTH)
            if len(result.path) > length and result.path[:length] in places
        ]
        result.service_list = sorted(services.get(result.pk, []), key=lambda service: service.name)
        text = getattr(result, "summary", "") or strip_tags(getattr(result, "intro", ""))
        result.snippet = highlight(text, query)
        result.highlighted_title = highlight(result.title, query, limit=400)


def facets(matched, exact_ids):
    """Counts per status, service and axis of everything that matched."""
    matched_ids = Page.objects.filter(Q(pk__in=matched) | Q(pk__in=exact_ids))
    statuses = dict(
        ProjectPage.objects.filter(pk__in=matched_ids.values("pk"))
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    services = (
        Service.objects.filter(project_links__content_object__in=matched_ids.values("pk"))
        .annotate(count=Count("project_links"))
        .order_by("-count", "name")[:12]
    )
    axis_counts = dict(
        matched_ids.annotate(axis_path=Left("path", AXIS_PATH_LENGTH))
        .values_list("axis_path")
        .annotate(count=Count("pk"))
        .order_by()
    )
    axes = [
        (axis, axis_counts[axis.path])
        for axis in AxisPage.objects.live().order_by("number")
        if axis.path in axis_counts
    ]
    return {
        "statuses": [
            (code, label, statuses[code]) for code, label in ProjectStatus.choices if statuses.get(code)
        ],
        "services": list(services),
        "axes": axes,
    }
