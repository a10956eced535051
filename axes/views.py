"""The COP's pages that are not Wagtail pages: short links, services, partnerships."""

from collections import Counter
from functools import partial

from django.db.models import Count, F
from django.db.models.functions import Left
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from utils.lazy import lazy_context

from . import queries, tree
from .cops import cop_reverse
from .models import AmbitionPage, AxisPage, ProjectPage, ProjectService, Service
from .readers import Reader


def readable_page_or_404(request, queryset, message):
    page = Reader.of(request.user, request.cop).pages(queryset).first()
    if page is None:
        raise Http404(message)
    return page


@require_GET
def ambition_shortlink(request, number):
    ambition = readable_page_or_404(
        request, AmbitionPage.objects.filter(number=number), f"Aucune ambition n° {number}."
    )
    return redirect(ambition.url)


@require_GET
def project_shortlink(request, reference):
    project = readable_page_or_404(
        request,
        ProjectPage.objects.filter(reference__iexact=reference),
        f"Aucun projet de référence {reference}.",
    )
    return redirect(project.url)


def services_with_counts(reader):
    """Every service, with how many readable projects it leads and how many it partners.

    Two grouped counts rather than one query joining both relations, whose rows would multiply.
    """
    involved = dict(
        ProjectService.objects.filter(reader.readable_q("content_object__"))
        .values_list("tag")
        .annotate(count=Count("pk"))
        .order_by()
    )
    piloted = dict(
        reader.pages(ProjectPage.objects.all())
        .values_list("pilot_service")
        .annotate(count=Count("pk"))
        .order_by()
    )
    services = list(Service.objects.order_by("direction", "name"))
    for service in services:
        service.pilot_count = piloted.get(service.pk, 0)
        service.partner_count = involved.get(service.pk, 0) - service.pilot_count
    return services


@require_GET
def service_list(request):
    context = lazy_context(
        partial(services_by_direction, Reader.of(request.user, request.cop)), ["directions", "services"]
    )
    return TemplateResponse(request, "axes/service_list.html", context)


def services_by_direction(reader):
    services = services_with_counts(reader)
    directions = {}
    for service in services:
        directions.setdefault(service.direction or "Autres services", []).append(service)
    return {"directions": directions, "services": services}


@require_GET
def service_detail(request, slug):
    service = get_object_or_404(Service, slug=slug)
    names = ["chapters", "project_count", "pilot_count", "partners"]
    build = partial(service_projects, service, Reader.of(request.user, request.cop))
    context = {"service": service, **lazy_context(build, names)}
    return TemplateResponse(request, "axes/service_detail.html", context)


def service_projects(service, reader):
    """The service's projects by axis and ambition, and its partners, unless its page's fragments are
    cached."""
    projects = ProjectPage.objects.filter(services=service).listed_for(reader)
    ambitions, axes = queries.ancestors_of(projects, reader)
    for project in projects:
        project.leads = project.pilot_service_id == service.pk
    chapters = group_by_axis_and_ambition(projects, ambitions, axes)
    partners = (
        Service.objects.filter(project_links__content_object__in=[project.pk for project in projects])
        .exclude(pk=service.pk)
        .annotate(shared=Count("project_links"))
        .order_by("-shared", "name")
    )
    return {
        "chapters": chapters,
        "project_count": len(projects),
        "pilot_count": sum(project.leads for project in projects),
        "partners": partners,
    }


def group_by_axis_and_ambition(projects, ambitions, axes):
    """[(axis, [(ambition, [project, ...]), ...]), ...] in number order."""
    by_ambition = {}
    for project in projects:
        by_ambition.setdefault(project.path[: tree.AMBITION_PATH_LENGTH], []).append(project)
    by_axis = {}
    for path, ambition in sorted(ambitions.items(), key=lambda item: item[1].number):
        by_axis.setdefault(path[: tree.AXIS_PATH_LENGTH], []).append((ambition, by_ambition[path]))
    return [(axes[path], by_axis[path]) for path in sorted(by_axis, key=lambda path: axes[path].number)]


@require_GET
def my_service(request):
    services = list(request.user.services.order_by("name"))
    if len(services) == 1:
        return redirect(cop_reverse(request.cop, "service_detail", slug=services[0].slug))
    return TemplateResponse(request, "axes/my_service.html", {"services": services})


@require_GET
def partnerships(request):
    """Which services work together, and on which axes: a service × axis table of project counts."""
    build = partial(partnership_tables, Reader.of(request.user, request.cop))
    context = lazy_context(build, ["axes", "rows", "pairs"])
    return TemplateResponse(request, "axes/partnerships.html", context)


def partnership_tables(reader):
    axes = list(reader.pages(AxisPage.objects.all()).order_by("number"))
    cells = Counter(
        {
            (row["tag_id"], row["axis_path"]): row["count"]
            for row in ProjectService.objects.filter(reader.readable_q("content_object__"))
            .annotate(axis_path=Left("content_object__path", tree.AXIS_PATH_LENGTH))
            .values("tag_id", "axis_path")
            .annotate(count=Count("pk"))
            .order_by()
        }
    )
    busiest = max(cells.values(), default=0)
    rows = []
    for service in Service.objects.order_by("name"):
        counts = [cells[(service.pk, axis.path)] for axis in axes]
        rows.append(
            {
                "service": service,
                "cells": [(count, intensity(count, busiest)) for count in counts],
                "total": sum(counts),
            }
        )
    return {"axes": axes, "rows": rows, "pairs": top_partnerships(reader)}


def intensity(count, busiest, levels=4):
    """A shade from 0 (no project) to `levels`, so that the table reads at a glance."""
    return 0 if not count else 1 + (levels - 1) * count // busiest


def top_partnerships(reader, limit=15):
    """The pairs of services that share the most readable projects, each pair counted once."""
    other = "content_object__service_links__tag"
    rows = (
        ProjectService.objects.filter(reader.readable_q("content_object__"))
        .filter(**{f"{other}__name__gt": F("tag__name")})
        .values("tag__name", "tag__slug", f"{other}__name", f"{other}__slug")
        .annotate(shared=Count("content_object", distinct=True))
        .order_by("-shared", "tag__name")[:limit]
    )
    return [
        {
            "first": (row["tag__name"], row["tag__slug"]),
            "second": (row[f"{other}__name"], row[f"{other}__slug"]),
            "shared": row["shared"],
        }
        for row in rows
    ]
