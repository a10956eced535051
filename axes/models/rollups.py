"""How the projects under a page are doing, counted in the database."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q

from utils.typography import plural

from .status import ProjectStatus


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
        return f"{self.total} {plural(self.total, 'projet')} : {', '.join(parts)}" if self.total else ""


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
