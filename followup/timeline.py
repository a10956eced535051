"""The COP's calendar (`/calendrier/`): each readable project from its start to its due date, with its
milestones, over a scale of years, by axis or, for one service, by pilot service.

Positions are percentages of the scale, which the template writes into CSS: the server draws the
timeline, the page needs no JavaScript, and the dates are written out beside it for whoever does
not see it (screen readers, paper).
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Prefetch

from axes.filters import AxisServiceFilters
from axes.models import AxisPage, Milestone, ProjectPage
from axes.models.milestones import in_planned_order
from axes.tree import AXIS_PATH_LENGTH
from utils.typography import NBSP

# Enough for a whole COP (about 250 projects); beyond, filters make a readable calendar.
MOST_PROJECTS = 400
# Year labels over the scale, at most: a longer span labels every other year, or every fifth.
MOST_YEAR_LABELS = 12
# A project that starts and ends the same day still shows as a bar.
NARROWEST_BAR = 0.6


class CalendarFilters(AxisServiceFilters):
    def chosen(self):
        """(axis, service) among the valid filters, None for those not given or not valid."""
        criteria = self.criteria()
        return criteria.get("axe"), criteria.get("service")


@dataclass(frozen=True)
class Scale:
    """Whole years, from the first of `first_year` to the end of `last_year`."""

    first_year: int
    last_year: int

    @classmethod
    def spanning(cls, days):
        return cls(min(days).year, max(days).year)

    @property
    def start(self):
        return datetime.date(self.first_year, 1, 1)

    @property
    def days(self):
        return (datetime.date(self.last_year + 1, 1, 1) - self.start).days

    def position(self, day):
        """Where `day` falls, in percent of the scale, rounded for CSS."""
        return round(100 * (day - self.start).days / self.days, 2)

    def years(self):
        """[(year, position of its first day, whether it is labelled)] for the scale's gridlines."""
        count = self.last_year - self.first_year + 1
        step = math.ceil(count / MOST_YEAR_LABELS)
        return [
            (year, self.position(datetime.date(year, 1, 1)), (year - self.first_year) % step == 0)
            for year in range(self.first_year, self.last_year + 1)
        ]

    def contains(self, day):
        return self.first_year <= day.year <= self.last_year


@dataclass
class Row:
    """One project on the calendar: its bar and its milestones' markers, in percent of the scale."""

    project: ProjectPage
    milestones: list
    left: float = 0
    width: float = 0
    markers: list = field(default_factory=list)  # [(milestone, position)]

    @property
    def dated(self):
        return self.project.start_date is not None and self.project.due_date is not None


@dataclass
class Group:
    heading: str
    rows: list


@dataclass
class Calendar:
    groups: list  # of dated projects
    undated: list  # rows of projects without a start or a due date
    years: list  # the scale's years: [(year, position, labelled)]
    today: float | None  # today's position on the scale, if it is on it
    total: int
    capped: bool


def calendar_projects(reader, axis, service):
    """The readable projects (of `axis`, of `service`), with their pilots and milestones, in reference
    order: one query each, whatever their number; MOST_PROJECTS + 1 at most, to tell a cut."""
    projects = ProjectPage.objects.readable_by(reader)
    if axis is not None:
        projects = projects.descendant_of(axis)
    if service is not None:
        projects = projects.filter(services=service)
    milestones = Prefetch("milestones", queryset=Milestone.objects.order_by("planned_date", "sort_order"))
    projects = (
        projects.select_related("pilot_service").prefetch_related(milestones).order_by("reference_order")
    )
    return list(projects[: MOST_PROJECTS + 1])


def build_calendar(reader, axes, axis, service, today):
    """The calendar of the readable projects, by axis (`axes`: the readable ones), or by pilot service
    when one `service` is chosen."""
    projects = calendar_projects(reader, axis, service)
    capped = len(projects) > MOST_PROJECTS
    rows = [
        Row(project, in_planned_order(project.milestones.all(), today))
        for project in projects[:MOST_PROJECTS]
    ]
    dated = [row for row in rows if row.dated]
    scale = scale_of(dated)
    for row in dated:
        place(row, scale)
    groups = by_pilot_service(dated, service) if service is not None else by_axis(dated, axes)
    return Calendar(
        groups=groups,
        undated=[row for row in rows if not row.dated],
        years=scale.years() if scale else [],
        today=scale.position(today) if scale and scale.contains(today) else None,
        total=len(rows),
        capped=capped,
    )


def scale_of(rows):
    days = [day for row in rows for day in (row.project.start_date, row.project.due_date)]
    days += [milestone.planned_date for row in rows for milestone in row.milestones]
    days += [milestone.done_date for row in rows for milestone in row.milestones if milestone.done_date]
    return Scale.spanning(days) if days else None


def place(row, scale):
    project = row.project
    row.left = scale.position(project.start_date)
    row.width = round(max(scale.position(project.due_date) - row.left, NARROWEST_BAR), 2)
    row.markers = [(milestone, scale.position(marked_day(milestone))) for milestone in row.milestones]


def marked_day(milestone):
    """A milestone shows where it was done, or where it is planned."""
    return milestone.done_date or milestone.planned_date


def by_axis(rows, axes):
    by_path = {}
    for row in rows:
        by_path.setdefault(row.project.path[:AXIS_PATH_LENGTH], []).append(row)
    return [
        Group(f"{axis.label}{NBSP}: {axis.title}", by_path[axis.path])
        for axis in sorted(axes, key=lambda axis: axis.number)
        if axis.path in by_path
    ]


def by_pilot_service(rows, service):
    """The projects that `service` leads first, then those it partners, by their pilot's name."""
    by_pilot = {}
    for row in rows:
        by_pilot.setdefault(row.project.pilot_service, []).append(row)
    pilots = sorted(by_pilot, key=lambda pilot: (pilot.pk != service.pk, pilot.name.casefold()))
    return [Group(f"Service pilote{NBSP}: {pilot.name}", by_pilot[pilot]) for pilot in pilots]


def readable_axes(reader):
    """The axes that the calendar's filter offers."""
    return list(AxisPage.objects.readable_by(reader).order_by("number"))
