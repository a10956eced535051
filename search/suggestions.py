"""Suggestions for the search box: projects, ambitions and services, as the agent types."""

from axes.models import AmbitionPage, ProjectPage, Service
from axes.models.terminology import DEFAULT
from axes.readers import Reader
from utils.text import fold

from .engine import REFERENCE, search_terms
from .french import singular
from .text import WORD
from .thesaurus import Thesaurus

MIN_LENGTH, MAX_LENGTH = 2, 100
PROJECTS, AMBITIONS, SERVICES = 5, 3, 3


def suggestions(query, request):
    """Up to a dozen suggestions for `query` (as `engine.cleaned` gives it): exact reference, then projects,
    ambitions, services."""
    terms = search_terms(query)
    if len(terms) < MIN_LENGTH:
        return []
    reader = Reader.of(request.user, request.cop)
    words = request.cop.terms if request.cop else DEFAULT
    prefixes = singular_prefixes(terms)
    projects = list(exact_projects(query, reader)) or list(
        reader.pages(ProjectPage.objects.all()).autocomplete(prefixes)[:PROJECTS]
    )
    ambitions = list(reader.pages(AmbitionPage.objects.all()).autocomplete(prefixes)[:AMBITIONS])
    found = [
        {
            "label": f"{project.reference} {project.title}",
            "kind": words.project.title,
            "url": project.get_url(request),
        }
        for project in projects
    ]
    found += [
        {
            "label": f"{ambition.label} : {ambition.title}",
            "kind": words.ambition.title,
            "url": ambition.get_url(request),
        }
        for ambition in ambitions
    ]
    found += [
        {"label": service.name, "kind": "Service", "url": f"/services/{service.slug}/"}
        for service in matching_services([query, *synonyms_of(query)])
    ]
    return found


def singular_prefixes(terms):
    """The words in the singular, which begin their plurals too: "velos" suggests "vélo" and "vélos"."""
    return " ".join(singular(fold(word)) for word in WORD.findall(terms)) or terms


def synonyms_of(query):
    """What the thesaurus says the query means too, when it is one term: "CCAS" suggests the
    service of the centre communal d'action sociale."""
    concepts = Thesaurus.load().understand(query)
    return concepts[0].synonyms if len(concepts) == 1 else []


def exact_projects(query, reader):
    match = REFERENCE.match(query)
    if not match or "." not in match["ref"]:
        return ProjectPage.objects.none()
    return reader.pages(ProjectPage.objects.filter(reference=match["ref"]))


def matching_services(queries):
    """Services whose name has a word starting like one of the queries, accents aside (about 30 of them)."""
    folded = [fold(query) for query in queries]
    names = Service.objects.only("name", "slug")
    return [service for service in names if any(f" {query}" in f" {fold(service.name)}" for query in folded)][
        :SERVICES
    ]
