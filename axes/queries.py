"""Querysets, roll-ups and groupings that the COP's pages share, built in views, never in templates."""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.db.models.functions import Left

from wagtail.models import Page

from .models import AmbitionPage, AxisPage, ProjectStatus

# Depths in the tree: the site root is 1, the COP 2, so axes are 3 and ambitions 4.
AXIS_PATH_LENGTH = 3 * Page.steplen
AMBITION_PATH_LENGTH = 4 * Page.steplen


def reference_sort_key(reference):
    """Orders "16.2" before "16.10", as a reader expects."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"[.-]", reference)]


def attach_children(parents, children, attribute):
    """Sets on each parent the list of its children found in `children`, in their order."""
    by_parent_path = defaultdict(list)
    for child in children:
        by_parent_path[child.path[: -Page.steplen]].append(child)
    for parent in parents:
        setattr(parent, attribute, by_parent_path[parent.path])
    return parents


def live_projects(queryset, reader):
    """The projects of `queryset` that `reader` may read, with what a project list shows, in
    reference order."""
    projects = reader.pages(queryset).select_related("pilot_service").prefetch_related("services")
    return sorted(projects, key=lambda project: reference_sort_key(project.reference))


@dataclass
class StatusShare:
    status: str
    label: str
    count: int
    percent: float


@dataclass
class Rollup:
    """How the projects under a page are doing: counts per status, share done, mean progress."""

    total: int = 0
    counts: dict = field(default_factory=lambda: dict.fromkeys(ProjectStatus.values, 0))
    mean_progress: float | None = None
    progress_count: int = 0  # projects with a progress, those that the mean is over

    def __add__(self, other):
        progress_count = self.progress_count + other.progress_count
        progress_sum = sum(r.mean_progress * r.progress_count for r in (self, other) if r.progress_count)
        return Rollup(
            total=self.total + other.total,
            counts={
                status: self.counts.get(status, 0) + other.counts.get(status, 0) for status in ProjectStatus
            },
            mean_progress=progress_sum / progress_count if progress_count else None,
            progress_count=progress_count,
        )

    @property
    def done_percent(self):
        return round(100 * self.counts.get(ProjectStatus.REALISE, 0) / self.total) if self.total else 0

    @property
    def shares(self):
        return [
            StatusShare(
                status, label, self.counts.get(status, 0), 100 * self.counts.get(status, 0) / self.total
            )
            for status, label in ProjectStatus.choices
            if self.total
        ]

    @property
    def text(self):
        """The status bar in words, for screen readers and print."""
        parts = [f"{share.count} {share.label.lower()}" for share in self.shares if share.count]
        return (
            f"{self.total} projet{'s' if self.total > 1 else ''} : {', '.join(parts)}" if self.total else ""
        )


def rollup_aggregates():
    return {
        "total": Count("pk"),
        "mean_progress": Avg("progress"),
        "progress_count": Count("progress"),
        **{status: Count("pk", filter=Q(status=status)) for status in ProjectStatus.values},
    }


def rollup_from(row):
    return Rollup(
        total=row["total"],
        counts={status: row[status] for status in ProjectStatus.values},
        mean_progress=row["mean_progress"],
        progress_count=row["progress_count"],
    )


def rollups(projects, path_length, reader):
    """Roll-ups of the readable `projects` grouped by their ancestor at `path_length`, in one query."""
    rows = (
        reader.pages(projects)
        .annotate(ancestor_path=Left("path", path_length))
        .values("ancestor_path")
        .annotate(**rollup_aggregates())
        .order_by()
    )
    return {row["ancestor_path"]: rollup_from(row) for row in rows}


def attach_rollups(pages, projects, path_length, reader):
    by_path = rollups(projects, path_length, reader)
    for page in pages:
        page.rollup = by_path.get(page.path, Rollup())
    return pages


def cop_rollup(projects, reader):
    """One roll-up for all the readable `projects`."""
    return rollup_from(reader.pages(projects).aggregate(**rollup_aggregates()))


def ancestors_of(projects, reader):
    """The readable ambitions and axes above `projects`, keyed by path, in two queries."""
    ambition_paths = {project.path[:AMBITION_PATH_LENGTH] for project in projects}
    axis_paths = {path[:AXIS_PATH_LENGTH] for path in ambition_paths}
    ambitions = {
        page.path: page for page in reader.pages(AmbitionPage.objects.filter(path__in=ambition_paths))
    }
    axes = {page.path: page for page in reader.pages(AxisPage.objects.filter(path__in=axis_paths))}
    return ambitions, axes
