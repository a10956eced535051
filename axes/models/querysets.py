"""The COP's queries, as methods of its page types' querysets (`AxisPage.objects.readable_by(reader)`)."""

import datetime

from django.conf import settings
from django.db.models.functions import Left

from wagtail.query import PageQuerySet

from ..tree import reference_sort_key
from .milestones import CLOSED_STATUSES
from .rollups import Rollup, rollup_aggregates, rollup_from

DAYS_PER_MONTH = 30.44


class CopPageQuerySet(PageQuerySet):
    def readable_by(self, reader):
        """The pages that `reader` may read (axes.readers: the one reader rule)."""
        return reader.pages(self)


class ProjectQuerySet(CopPageQuerySet):
    def past_due(self, today):
        """Live, due before `today` and neither done nor given up (a suspended project is meant to resume)."""
        return self.live().filter(due_date__lt=today).exclude(status__in=CLOSED_STATUSES)

    def stale(self, now):
        """Live, and not published again for `COP_STALE_AFTER_MONTHS` months before `now`."""
        since = now - datetime.timedelta(days=round(settings.COP_STALE_AFTER_MONTHS * DAYS_PER_MONTH))
        return self.live().filter(last_published_at__lt=since)

    def listed_for(self, reader):
        """The projects that `reader` may read, with what a project list shows, in reference order."""
        projects = self.readable_by(reader).select_related("pilot_service").prefetch_related("services")
        return sorted(projects, key=lambda project: reference_sort_key(project.reference))

    def rollup_for(self, reader):
        """One roll-up for all the readable projects."""
        return rollup_from(self.readable_by(reader).aggregate(**rollup_aggregates()))

    def rollups_by_ancestor(self, path_length, reader):
        """Roll-ups of the readable projects grouped by their ancestor at `path_length`, in one query."""
        rows = (
            self.readable_by(reader)
            .annotate(ancestor_path=Left("path", path_length))
            .values("ancestor_path")
            .annotate(**rollup_aggregates())
            .order_by()
        )
        return {row["ancestor_path"]: rollup_from(row) for row in rows}

    def attach_rollups(self, pages, path_length, reader):
        """Sets on each of `pages` (all at `path_length`) the roll-up of the readable projects under it."""
        by_path = self.rollups_by_ancestor(path_length, reader)
        for page in pages:
            page.rollup = by_path.get(page.path, Rollup())
        return pages
