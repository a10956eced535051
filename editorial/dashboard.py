"""The editors' panel on the Wagtail admin home: what waits for review (pages and indicators), what
is late, what is stale.

Each list shows its first items and its total; the counts per axis come from one grouped query per
list, so the panel makes the same number of queries whatever the size of the COP.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Left
from django.utils import timezone

from wagtail.admin.ui.components import Component
from wagtail.models import ModelLogEntry, Page, PageLogEntry, WorkflowState

from axes.cops import current_cop
from axes.models import AxisPage, Milestone, ProjectPage
from axes.tree import AXIS_PATH_LENGTH
from indicators.models import Indicator

from .proposals import PROPOSAL_LOG_ACTION, VALUE_PROPOSAL_LOG_ACTION

LIST_LENGTH = 10


@dataclass
class PageList:
    items: list
    counts_by_axis: dict  # axis path → number of pages under that axis

    @property
    def total(self):
        return sum(self.counts_by_axis.values())


@dataclass
class IndicatorList:
    items: list
    total: int


def page_list(pages, ordered_items, path="path"):
    """The first of `ordered_items` (`pages`, ordered and maybe annotated), and `pages` counted per
    axis (rows of pages, by the `path` of their page)."""
    by_axis = (
        pages.annotate(axis_path=Left(path, AXIS_PATH_LENGTH))
        .values("axis_path")
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    )
    return PageList(
        items=list(ordered_items[:LIST_LENGTH]),
        counts_by_axis={row["axis_path"]: row["count"] for row in by_axis},
    )


def pages_in_review(cop):
    """The COP's pages whose submission waits for a moderator."""
    return Page.objects.descendant_of(cop, inclusive=True).filter(
        _workflow_states__status=WorkflowState.STATUS_IN_PROGRESS
    )


def with_submission(pages_in_review):
    """Adds who submitted what and when, and the référent's note if it is a proposal.

    The annotations reuse the join of the filter in `pages_in_review`: they describe the submission
    in progress, not the page's earlier workflows.
    """
    state = "_workflow_states__"
    proposal_note = PageLogEntry.objects.filter(
        action=PROPOSAL_LOG_ACTION, revision=OuterRef(f"{state}current_task_state__revision")
    ).values("data__note")[:1]
    return pages_in_review.annotate(
        reference=F("projectpage__reference"),
        submitted_at=F(f"{state}created_at"),
        submitted_by_id=F(f"{state}requested_by"),
        revision_id=F(f"{state}current_task_state__revision"),
        note=Subquery(proposal_note),
    )


def indicators_in_review(cop):
    """The COP's indicators whose submission waits for a moderator, with who submitted it and when,
    and the référent's note if it is a proposal of a value (annotations on the filter's join, as in
    `with_submission`)."""
    state = "workflow_states__"
    proposal_note = ModelLogEntry.objects.filter(
        action=VALUE_PROPOSAL_LOG_ACTION, revision=OuterRef(f"{state}current_task_state__revision")
    ).values("data__note")[:1]
    return (
        Indicator.objects.filter(cop=cop, workflow_states__status=WorkflowState.STATUS_IN_PROGRESS)
        .annotate(
            submitted_at=F(f"{state}created_at"),
            submitted_by_id=F(f"{state}requested_by"),
            note=Subquery(proposal_note),
        )
        .order_by("submitted_at")
    )


def late_projects(cop, today):
    return ProjectPage.objects.descendant_of(cop).past_due(today)


def late_milestones(cop, today):
    return Milestone.objects.filter(project__path__startswith=cop.path).late(today)


def stale_projects(cop, now):
    return ProjectPage.objects.descendant_of(cop).stale(now)


def attach_submitters(pages):
    users = get_user_model().objects.in_bulk({page.submitted_by_id for page in pages} - {None})
    for page in pages:
        page.submitted_by = users.get(page.submitted_by_id)


def axis_rows(axes, lists):
    """[(axis, [count in each list]), ...]: the counts per axis, side by side."""
    return [(axis, [page_list.counts_by_axis.get(axis.path, 0) for page_list in lists]) for axis in axes]


class EditorialDashboardPanel(Component):
    name = "cop_editorial_dashboard"
    template_name = "editorial/dashboard_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        cop = current_cop()
        if cop is None:
            return {"cop": None}
        now = timezone.now()
        in_review_pages, late_pages = pages_in_review(cop), late_projects(cop, timezone.localdate(now))
        stale_pages = stale_projects(cop, now)
        in_review = page_list(in_review_pages, with_submission(in_review_pages).order_by("submitted_at"))
        late = page_list(late_pages, late_pages.order_by("due_date", "path"))
        stale = page_list(stale_pages, stale_pages.order_by("last_published_at"))
        milestones = late_milestones(cop, timezone.localdate(now))
        ordered_milestones = milestones.select_related("project").order_by(
            "planned_date", "project__path", "pk"
        )
        late_milestone_list = page_list(milestones, ordered_milestones, path="project__path")
        indicators = indicators_in_review(cop)
        indicators_waiting = IndicatorList(list(indicators[:LIST_LENGTH]), indicators.count())
        attach_submitters(in_review.items + indicators_waiting.items)
        axes = AxisPage.objects.child_of(cop).order_by("number")
        return {
            "cop": cop,
            "in_review": in_review,
            "indicators_in_review": indicators_waiting,
            "late": late,
            "stale": stale,
            "late_milestones": late_milestone_list,
            "stale_months": settings.COP_STALE_AFTER_MONTHS,
            "axis_rows": axis_rows(axes, [in_review, late, late_milestone_list, stale]),
        }
