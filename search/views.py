import hashlib
from dataclasses import dataclass

from django.core.cache import caches
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from axes.models.terminology import DEFAULT
from axes.readers import Reader
from caching import publication
from utils.pagination import page_links, query_with

from .analytics import promotions_for, record_search
from .engine import SearchParams, cleaned, run_search
from .suggestions import MAX_LENGTH, suggestions


@require_GET
def search(request):
    # `request.cop` stands for None when no COP is current: then there is nothing to search.
    with_archives = request.GET.get("archives") == "1" and not getattr(request.cop, "archived", True)
    params = SearchParams.from_query_dict(request.GET, Reader.of(request.user, request.cop, with_archives))
    results, context = search_results(request, params)
    promotions = []
    if params.query and results.first_page:
        promotions = promotions_for(record_search(params.query, found=bool(results.total)), params.reader)
    context.update(query=params.query, params=params, results=results.html, promotions=promotions)
    return TemplateResponse(request, "search/search.html", context)


@dataclass
class SearchResults:
    """The results part of the search page, as HTML, and what the view needs to know of them."""

    html: str
    total: int
    first_page: bool


def search_results(request, params):
    """The results, rendered once per publication of the COP and search (a results page is the
    same for every agent: drafts and restricted pages never show); the next agent who makes the
    same search gets them without a query.

    Returns the results and the context they were rendered with (empty when they come from the cache).
    """
    key = results_key(request, params)
    if key and (cached := caches["template_fragments"].get(key)):
        return cached, {}
    outcome = run_search(params)
    context = {
        "query": params.query,
        "params": params,
        "outcome": outcome,
        "facet_groups": facet_groups(params, outcome.facets, words_of(request)),
        "page_links": page_links(outcome.page, params.as_query_dict()),
    }
    results = SearchResults(
        html=render_to_string("search/results.html", context, request),
        total=outcome.total,
        first_page=outcome.page is not None and outcome.page.number == 1,
    )
    if key:
        caches["template_fragments"].set(key, results, publication.CACHE_SECONDS)
    return results, context


def results_key(request, params):
    if not (generation := publication.current(request)):
        return None
    query = sorted(params.as_query_dict(page=params.page).items())
    search = "\n".join([generation, params.reader.key, *map(str, query)])
    return "cop-search:" + hashlib.sha256(search.encode()).hexdigest()


@require_GET
def search_suggestions(request):
    query = cleaned(request.GET.get("q", ""), limit=MAX_LENGTH)
    return JsonResponse({"query": query, "suggestions": suggestions(query, request)})


def url_with(params, **changes):
    return query_with(params.as_query_dict(**changes))


def words_of(request):
    return request.cop.terms if request.cop else DEFAULT


def facet_groups(params, facets, terms):
    """Each facet as links that add its filter, and a link that removes the active one."""
    if not facets:
        return []
    groups = [
        (
            terms.axis.title,
            "axe",
            str(params.axis.number) if params.axis else "",
            [(axis.label, str(axis.number), count) for axis, count in facets["axes"]],
        ),
        (
            "Service",
            "service",
            params.service.slug if params.service else "",
            [(service.name, service.slug, service.count) for service in facets["services"]],
        ),
        (
            "Statut",
            "statut",
            params.status,
            [(terms.status_label(code), code, count) for code, _, count in facets["statuses"]],
        ),
    ]
    return [
        {
            "title": title,
            "items": [
                {
                    "label": label,
                    "count": count,
                    "url": url_with(params, **{name: value}),
                    "active": value == active,
                }
                for label, value, count in items
            ],
            "remove_url": url_with(params, **{name: None}) if active else "",
        }
        for title, name, active, items in groups
    ]
