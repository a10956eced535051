"""What each PDF shows: the live COP, built with the same queries as the screen pages.

Chapters carry `axis.printed_ambitions`, each ambition its `printed_projects` and every page its
`rollup`, whether they come from the live pages (everything agents download) or from the latest
revisions (the admin's chapter lengths, see `lengths.py`).
"""

from collections import Counter

from django.conf import settings
from django.db.models import Max

from wagtail.models import Page

import segno

from axes import queries, tree
from axes.cops import cops, current_cop
from axes.models import AmbitionPage, AxisPage, ProjectPage, ProjectStatus
from axes.models.rollups import Rollup
from axes.views import group_by_axis_and_ambition
from home.models import CityIdentity


def cop_home(reader=None):
    """The COP that `reader` reads (the current one by default)."""
    return cops().by_path.get(reader.scope) if reader is not None and reader.scope else current_cop()


def site_root_url(home):
    """The COP's site root as Wagtail's Site knows it, the same for every request and for the command.

    A request's own host could be an internal name or an address behind a proxy; the Site is what
    the editors declared as the COP's address (Wagtail's page URLs use it too).
    """
    parts = home.get_url_parts()
    root_url = parts[1] if parts else None
    return (root_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/") + "/"


def attach_live_chapters(axes, root, reader):
    """Gives each of `axes` its readable ambitions, their readable projects and everyone's roll-up."""
    projects = ProjectPage.objects.descendant_of(root)
    ambitions = list(reader.pages(AmbitionPage.objects.descendant_of(root)).order_by("number"))
    tree.attach_children(ambitions, projects.listed_for(reader), "printed_projects")
    projects.attach_rollups(ambitions, tree.AMBITION_PATH_LENGTH, reader)
    tree.attach_children(axes, ambitions, "printed_ambitions")
    for axis in axes:
        axis.rollup = sum((ambition.rollup for ambition in axis.printed_ambitions), Rollup())
    return axes


def rollup_of(projects):
    """The roll-up of projects already in memory (drafts included), as `rollups_by_ancestor` computes it."""
    statuses = Counter(project.status for project in projects)
    progresses = [project.progress for project in projects if project.progress is not None]
    return Rollup(
        total=len(projects),
        counts={status: statuses[status] for status in ProjectStatus.values},
        mean_progress=sum(progresses) / len(progresses) if progresses else None,
        progress_count=len(progresses),
    )


def last_publication(root, reader):
    """When the newest of the readable pages under `root` was published: the printed version's date."""
    pages = reader.pages(Page.objects.descendant_of(root, inclusive=True))
    return pages.aggregate(at=Max("last_published_at"))["at"]


def common_context(home):
    return {"home": home, "site_url": site_root_url(home), "city": CityIdentity.for_default_site()}


def chapter_context(axis, reader):
    home = cop_home(reader)
    return {
        **common_context(home),
        "axis": attach_live_chapters([axis], axis, reader)[0],
        "published_at": last_publication(axis, reader),
    }


def services_index(axes):
    """[(service, piloted projects, partnered projects), ...] by service name, from the chapters' projects."""
    piloted, partnered, services = {}, {}, {}
    for axis in axes:
        for ambition in axis.printed_ambitions:
            for project in ambition.printed_projects:
                for service in project.services.all():
                    services[service.pk] = service
                    role = piloted if service.pk == project.pilot_service_id else partnered
                    role.setdefault(service.pk, []).append(project)
    return [
        (service, piloted.get(pk, []), partnered.get(pk, []))
        for pk, service in sorted(services.items(), key=lambda item: item[1].name.lower())
    ]


def booklet_context(reader):
    home = cop_home(reader)
    axes = list(reader.pages(AxisPage.objects.child_of(home)).order_by("number"))
    axes = attach_live_chapters(axes, home, reader)
    rollup = sum((axis.rollup for axis in axes), Rollup())
    return {
        **common_context(home),
        "axes": axes,
        "rollup": rollup,
        "ambition_count": sum(len(axis.printed_ambitions) for axis in axes),
        "services": services_index(axes),
        "published_at": last_publication(home, reader),
    }


def service_context(service, reader):
    home = cop_home(reader)
    projects = ProjectPage.objects.filter(services=service).listed_for(reader)
    ambitions, axes = queries.ancestors_of(projects, reader)
    for project in projects:
        project.leads = project.pilot_service_id == service.pk
        project.other_partners = [other for other in project.partner_services if other.pk != service.pk]
    return {
        **common_context(home),
        "service": service,
        "chapters": group_by_axis_and_ambition(projects, ambitions, axes),
        "project_count": len(projects),
        "pilot_count": sum(project.leads for project in projects),
        "published_at": max(
            (project.last_published_at for project in projects if project.last_published_at), default=None
        ),
    }


def qr_code_svg(url):
    """The QR code of `url` as inline SVG, sized by the stylesheet."""
    return segno.make(url, error="m").svg_inline(omitsize=True, svgclass="qr-code", title=url)


def poster_context(reader):
    home = cop_home(reader)
    axes = list(reader.pages(AxisPage.objects.child_of(home)).order_by("number"))
    ambitions = reader.pages(AmbitionPage.objects.descendant_of(home)).order_by("number")
    tree.attach_children(axes, ambitions, "printed_ambitions")
    context = common_context(home)
    context["cop_url"] = home.full_url or context["site_url"]
    return {
        **context,
        "axes": axes,
        "ambition_count": sum(len(axis.printed_ambitions) for axis in axes),
        "qr_code": qr_code_svg(context["cop_url"]),
        "published_at": last_publication(home, reader),
    }
