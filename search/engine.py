"""Searching the COP: filters, exact references first, French full text, facets and snippets."""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count
from django.utils.html import strip_tags

from wagtail.models import Page

from axes.cops import cops
from axes.models import AmbitionPage, AxisPage, ProjectPage, ProjectService, ProjectStatus, Service
from axes.models.terminology import DEFAULT, capitalised
from axes.queries import ancestors_of
from axes.readers import Reader
from axes.tree import AMBITION_PATH_LENGTH, AXIS_PATH_LENGTH
from utils.text import fold

from .matching import FEW, close_matches, full_matches
from .text import highlight
from .thesaurus import Thesaurus

PER_PAGE = 20
# Lower case can double a character (İ → i̇), and Wagtail keeps 255 of them for the search report.
QUERY_LENGTH = 120
# "16", "16.2", "ambition 16", "projet 16.2", "objectif n° 3", "fiche action 3.2": the agent means
# that number or reference, after the name of a level (`level_named`) or none.
REFERENCE = re.compile(
    r"^\s*(?:(?P<kind>[^\W\d_]+(?: [^\W\d_]+)?)\s*)?(?:n°|no|n)?\s*(?P<ref>[0-9]+(?:\.[0-9]+)*)\s*$", re.I
)
NUMBER_SIGNS = {"", "n", "no"}
NUMBER = re.compile(r"[0-9]+")
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def cleaned(text, limit=QUERY_LENGTH):
    """A parameter as the agent typed it, without the NUL characters that no database text may hold."""
    return text.replace("\x00", "").strip()[:limit]


def search_terms(query):
    """The query as the search backend should read it: words. Double quotes are dropped, as SQLite's
    full-text syntax (FTS5) would read them as its own, and modelsearch passes them on unescaped."""
    return " ".join(query.replace('"', " ").split())


@dataclass
class SearchParams:
    """What the agent asked for, with a French message for each filter that made no sense."""

    query: str = ""
    service: Service | None = None
    axis: AxisPage | None = None
    status: str = ""
    page: str = "1"
    errors: list = field(default_factory=list)
    reader: Reader = field(default_factory=Reader.of)

    @classmethod
    def from_query_dict(cls, data, reader):
        params = cls(query=cleaned(data.get("q", "")), page=cleaned(data.get("page", "1")), reader=reader)
        if slug := cleaned(data.get("service", "")):
            params.service = Service.objects.filter(slug=slug).first() if SLUG.fullmatch(slug) else None
            if params.service is None:
                params.errors.append(f"Le service « {slug} » n'existe pas : ce filtre est ignoré.")
        if number := cleaned(data.get("axe", "")):
            if NUMBER.fullmatch(number):
                params.axis = reader.pages(AxisPage.objects.filter(number=int(number))).first()
            if params.axis is None:
                axis = capitalised(params.terms.axis.the)
                params.errors.append(f"{axis} « {number} » n'existe pas : ce filtre est ignoré.")
        if status := cleaned(data.get("statut", "")):
            if status in ProjectStatus.values:
                params.status = status
            else:
                params.errors.append(f"Le statut « {status} » n'existe pas : ce filtre est ignoré.")
        return params

    @property
    def terms(self):
        """The words of the COP searched."""
        return cops().terms_at(self.reader.scope)

    @property
    def status_label(self):
        return self.terms.status_label(self.status) if self.status else ""

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
            "archives": "1" if self.reader.archives else "",
        }
        values.update({key: value or "" for key, value in changes.items()})
        return {key: value for key, value in values.items() if value}


def searchable_pages(params):
    """The live pages that the filters allow, whatever the words typed."""
    pages = params.reader.pages(Page.objects.type(AxisPage, AmbitionPage, ProjectPage))
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


def level_named(kind, terms):
    """Which level a word typed before a number names ("objectif" → "ambition"), in the COP's words or
    the default ones; "" for none, None for a word that names no level."""
    word = fold(kind or "")
    if word in NUMBER_SIGNS:
        return ""
    for level in ("axis", "ambition", "project"):
        if word in {fold(getattr(terms, level).singular), fold(getattr(DEFAULT, level).singular)}:
            return level
    return None


def exact_matches(query, pages, terms=DEFAULT):
    """The pages whose number or reference the agent typed, to show before everything else."""
    match = REFERENCE.match(query)
    if not match:
        return []
    level, reference = level_named(match["kind"], terms), match["ref"]
    found = []
    if level in ("", "project"):
        found += ProjectPage.objects.filter(reference=reference, pk__in=pages.values("pk"))
    if level in ("", "ambition") and NUMBER.fullmatch(reference):
        found += AmbitionPage.objects.filter(number=int(reference), pk__in=pages.values("pk"))
    if level == "axis" and NUMBER.fullmatch(reference):
        found += AxisPage.objects.filter(number=int(reference), pk__in=pages.values("pk"))
    return found


@dataclass
class SearchOutcome:
    params: SearchParams
    page: object = None
    total: int = 0
    facets: dict = field(default_factory=dict)
    close: list = field(default_factory=list)  # results that come close, shown below the full matches
    synonyms: list = field(default_factory=list)  # (what was typed, what else was searched for)


def run_search(params):
    """Runs the search that `params` describe and returns one page of results with its facets.

    The full-text match runs once, for every page that matched, best first, with what the
    facets count (its place and status); the page shown, the count and the facets all come
    from those rows. When they are few, results that come close follow them, on the first page.
    """
    outcome = SearchOutcome(params)
    if params.is_empty:
        return outcome
    pages = searchable_pages(params)
    exact = exact_matches(params.query, pages, params.terms) if params.query else []
    rest = pages.exclude(id__in=[page.pk for page in exact])
    hits = [Hit(page.pk, page.path, getattr(page, "status", None)) for page in exact]
    if params.query:
        hits += full_text_hits(rest, params.query, outcome, exact=hits)
    else:
        hits += hits_of(rest.order_by("path"))
    outcome.total = len(hits)
    outcome.page = Paginator(hits, PER_PAGE).get_page(params.page)
    on_page = [hit.pk for hit in outcome.page.object_list]
    shown = specific_pages(on_page + [hit.pk for hit in outcome.close])
    outcome.page.object_list = [page for page in shown if page.pk in on_page]
    outcome.close = [page for page in shown if page.pk not in on_page]
    describe(shown, params.query, params.reader)
    outcome.facets = facets(hits, params.reader)
    return outcome


@dataclass(frozen=True)
class Hit:
    """A page that matched, with what the facets count."""

    pk: int
    path: str
    status: str | None


def full_text_hits(pages, query, outcome, exact):
    """The pages that match every concept of the query, best first; when they are few (and the
    agent did not name a reference: any word of `projet 31.1` would match the whole COP), those
    that come close are set on `outcome.close`."""
    concepts = Thesaurus.load().understand(query)
    if not concepts:
        return []
    outcome.synonyms = [(concept.typed, concept.synonyms) for concept in concepts if concept.synonyms]
    hits = hits_of(full_matches(pages, concepts))
    if not exact and len(hits) < FEW:
        shown = {hit.pk for hit in hits}
        outcome.close = [Hit(*row) for row in close_matches(pages, concepts, search_terms(query), shown)]
    return hits


def hits_of(pages):
    return [Hit(*row) for row in pages.values_list("pk", "path", "projectpage__status")]


def specific_pages(ids):
    """The pages with these ids, as their own types, in the order of `ids`."""
    pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    return [pages[pk] for pk in ids if pk in pages]


def describe(results, query, reader):
    """Sets on each result its place in the COP, its services and a snippet, in a few queries."""
    ambitions, axes = ancestors_of(results, reader)
    places = {**axes, **ambitions}
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


def facets(hits, reader):
    """Counts per status, service and axis of everything that matched, in two queries."""
    axis_counts = Counter(hit.path[:AXIS_PATH_LENGTH] for hit in hits)
    status_counts = Counter(hit.status for hit in hits if hit.status)
    project_ids = [hit.pk for hit in hits if hit.status]
    services = (
        Service.objects.filter(project_links__content_object__any_of=project_ids)
        .annotate(count=Count("project_links"))
        .order_by("-count", "name")[:12]
    )
    axes = [(axis, axis_counts[axis.path]) for axis in reader.pages(AxisPage.objects.order_by("number"))]
    return {
        "statuses": [
            (code, label, status_counts[code]) for code, label in ProjectStatus.choices if status_counts[code]
        ],
        "services": list(services),
        "axes": [(axis, count) for axis, count in axes if count],
    }
