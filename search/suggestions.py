"""Suggestions for the search box: projects, ambitions and services, as the agent types."""

from axes.models import AmbitionPage, ProjectPage, Service
from axes.readers import Reader
from utils.text import fold

from .engine import REFERENCE, search_terms

MIN_LENGTH, MAX_LENGTH = 2, 100
PROJECTS, AMBITIONS, SERVICES = 5, 3, 3


def suggestions(query, request):
    """Up to a dozen suggestions for `query` (as `engine.cleaned` gives it): exact reference, then projects,
    ambitions, services."""
    terms = search_terms(query)
    if len(terms) < MIN_LENGTH:
        return []
    reader = Reader.of(request.user)
    projects = list(exact_projects(query, reader)) or list(
        reader.pages(ProjectPage.objects.all()).autocomplete(terms)[:PROJECTS]
    )
    ambitions = list(reader.pages(AmbitionPage.objects.all()).autocomplete(terms)[:AMBITIONS])
    found = [
        {"label": f"{project.reference} {project.title}", "kind": "Projet", "url": project.get_url(request)}
        for project in projects
    ]
    found += [
        {
            "label": f"{ambition.label} : {ambition.title}",
            "kind": "Ambition",
            "url": ambition.get_url(request),
        }
        for ambition in ambitions
    ]
    found += [
        {"label": service.name, "kind": "Service", "url": f"/services/{service.slug}/"}
        for service in matching_services(query)
    ]
    return found


def exact_projects(query, reader):
    match = REFERENCE.match(query)
    if not match or "." not in match["ref"]:
        return ProjectPage.objects.none()
    return reader.pages(ProjectPage.objects.filter(reference=match["ref"]))


def matching_services(query):
    """Services whose name has a word starting like the query, accents aside (about 30 of them)."""
    folded = fold(query)
    names = Service.objects.only("name", "slug")
    return [
        service
        for service in names
        if fold(service.name).startswith(folded) or f" {folded}" in f" {fold(service.name)}"
    ][:SERVICES]
