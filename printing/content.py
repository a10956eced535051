"""What each PDF shows: the live COP, built with the same queries as the screen pages.

Chapters carry `axis.printed_ambitions`, each ambition its `printed_projects`, its
`printed_indicators` and every page its `rollup`, whether they come from the live pages and
published indicators (everything agents download) or from the latest revisions (the admin's chapter
lengths, see `lengths.py`).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

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
from indicators.models import Indicator
from indicators.progress import Progress, with_unit


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


@dataclass(frozen=True)
class PrintedIndicator:
    """An indicator as a row of a printed table: its latest value and the target it is measured
    against, with their dates, and where it stands, in words."""

    name: str
    latest: str
    latest_date: datetime.date | None
    target: str
    target_date: datetime.date | None
    standing: str
    standing_label: str

    @classmethod
    def of(cls, indicator):
        """From the indicator's values and targets in memory (prefetched, or a revision's)."""
        progress = Progress.of(indicator)
        latest, target = progress.latest, progress.target
        return cls(
            name=indicator.name,
            latest=with_unit(latest.value, indicator.unit) if latest else "",
            latest_date=latest.date if latest else None,
            target=with_unit(target.value, indicator.unit) if target else "",
            target_date=target.date if target else None,
            standing=progress.standing.value,
            standing_label=progress.standing_label,
        )


def attach_indicators(ambitions, linked_indicators):
    """Sets on each ambition its `printed_indicators`, by name, from `linked_indicators`: (indicator,
    the pks of its ambitions) pairs."""
    by_ambition = defaultdict(list)
    for indicator, ambition_pks in sorted(linked_indicators, key=lambda pair: pair[0].name.lower()):
        row = PrintedIndicator.of(indicator)
        for pk in ambition_pks:
            by_ambition[pk].append(row)
    for ambition in ambitions:
        ambition.printed_indicators = by_ambition[ambition.pk]
    return ambitions


def readable_indicators(reader):
    """The indicators that `reader` reads, with their published values and targets (the reader rule:
    a value still in a draft is in no row)."""
    return Indicator.objects.readable_by(reader).with_series()


def live_indicator_links(ambitions, reader):
    """(indicator, pks of its ambitions among `ambitions`) for the readable indicators of `ambitions`:
    four queries, whatever their number."""
    links = Indicator.ambitions.through.objects.filter(
        ambitionpage__in=[ambition.pk for ambition in ambitions],
        indicator__in=Indicator.objects.readable_by(reader).values("pk"),
    ).values_list("indicator_id", "ambitionpage_id")
    ambitions_of = defaultdict(list)
    for indicator_pk, ambition_pk in links:
        ambitions_of[indicator_pk].append(ambition_pk)
    indicators = readable_indicators(reader).filter(pk__in=list(ambitions_of)) if ambitions_of else []
    return [(indicator, ambitions_of[indicator.pk]) for indicator in indicators]


def attach_live_chapters(axes, root, reader):
    """Gives each of `axes` its readable ambitions, their readable projects and indicators, and
    everyone's roll-up."""
    projects = ProjectPage.objects.descendant_of(root)
    ambitions = list(reader.pages(AmbitionPage.objects.descendant_of(root)).order_by("number"))
    tree.attach_children(ambitions, projects.listed_for(reader), "printed_projects")
    projects.attach_rollups(ambitions, tree.AMBITION_PATH_LENGTH, reader)
    attach_indicators(ambitions, live_indicator_links(ambitions, reader))
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
    indicators = readable_indicators(reader).filter(service=service)
    return {
        **common_context(home),
        "service": service,
        "chapters": group_by_axis_and_ambition(projects, ambitions, axes),
        "indicators": [PrintedIndicator.of(indicator) for indicator in indicators],
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
