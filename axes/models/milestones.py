from django.db import models

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from .status import ProjectStatus

# A milestone of a project done, or given up, is not late: nobody will do it any more.
CLOSED_STATUSES = (ProjectStatus.REALISE, ProjectStatus.ABANDONNE)


class MilestoneQuerySet(models.QuerySet):
    def late(self, today):
        """Not done, planned before `today`, in a live project still under way."""
        return self.filter(
            done_date__isnull=True,
            planned_date__lt=today,
            project__live=True,
        ).exclude(project__status__in=CLOSED_STATUSES)


class Milestone(Orderable):
    """A step of a project (*jalon*), planned at a date and done at another: saved with the project's
    revisions, so that a draft milestone is as invisible to readers as the rest of the draft."""

    project = ParentalKey("axes.ProjectPage", on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("intitulé", max_length=255)
    planned_date = models.DateField("date prévue")
    done_date = models.DateField("date de réalisation", null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()

    panels = [FieldPanel("title"), FieldRowPanel([FieldPanel("planned_date"), FieldPanel("done_date")])]

    class Meta(Orderable.Meta):
        verbose_name = "jalon"
        verbose_name_plural = "jalons"

    def __str__(self):
        return self.title

    def is_late(self, today):
        """As `late()` says it, of a milestone of a live project (its project is at hand, no query)."""
        return (
            self.done_date is None
            and self.planned_date < today
            and self.project.status not in CLOSED_STATUSES
        )

    def state_on(self, today):
        """ "done", "late", "upcoming", or "undone" (past, in a project done or given up)."""
        if self.done_date is not None:
            return "done"
        if self.is_late(today):
            return "late"
        return "upcoming" if self.planned_date >= today else "undone"


def in_planned_order(milestones, today):
    """`milestones` by planned date, each with its `state` on `today`."""
    ordered = sorted(milestones, key=lambda milestone: (milestone.planned_date, milestone.sort_order or 0))
    for milestone in ordered:
        milestone.state = milestone.state_on(today)
    return ordered
