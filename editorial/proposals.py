"""Référents propose, moderators dispose: a proposal is a draft revision submitted to the workflow,
of a project (its status, progress, dates) or of an indicator (a new value)."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry
from wagtail.models import WorkflowState

from axes.models import Milestone
from axes.signals import update_proposed
from indicators.values import put_value

PROPOSAL_LOG_ACTION = "editorial.proposal"
VALUE_PROPOSAL_LOG_ACTION = "editorial.value_proposal"
PROPOSAL_LOG_ACTIONS = (PROPOSAL_LOG_ACTION, VALUE_PROPOSAL_LOG_ACTION)

ALREADY_IN_REVIEW = (
    "Une mise à jour de ce projet attend déjà la validation des modérateurs. "
    "Vous pourrez en proposer une autre lorsqu'elle aura été traitée."
)
LOCKED = "Ce projet est verrouillé pour le moment par l'équipe éditoriale. Réessayez plus tard."
NO_WORKFLOW = "La validation du COP n'est pas configurée : prévenez un administrateur du COP."
VALUE_ALREADY_IN_REVIEW = (
    "Une modification de cet indicateur attend déjà la validation des modérateurs. "
    "Vous pourrez proposer une nouvelle valeur lorsqu'elle aura été traitée."
)
INDICATOR_LOCKED = (
    "Cet indicateur est verrouillé pour le moment par l'équipe éditoriale. Réessayez plus tard."
)


def proposal_blocker(project, user, in_review=ALREADY_IN_REVIEW, locked=LOCKED):
    """Why `user` cannot propose an update of `project` (or of an indicator, with its messages) right
    now, in French; None if they can.

    A submission that the moderators sent back blocks nothing: the new proposal supersedes it."""
    state = project.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return in_review
    lock = project.get_lock()
    if lock is not None and lock.for_user(user):
        return locked
    if project.get_workflow() is None:
        return NO_WORKFLOW
    return None


def value_proposal_blocker(indicator, user):
    return proposal_blocker(indicator, user, VALUE_ALREADY_IN_REVIEW, INDICATOR_LOCKED)


def is_proposal(revision, instance):
    """Whether a référent's proposal saved `revision` of `instance` (a page or an indicator)."""
    entries = log_registry.get_log_model_for_instance(instance).objects
    return entries.filter(action__in=PROPOSAL_LOG_ACTIONS, revision=revision).exists()


def revision_to_start_from(project, sent_back):
    """The revision a new proposal builds on (None: the live version, which has no revision).

    The latest one, so that an editor's unpublished changes stay in what the moderators review;
    but not a proposal that the moderators sent back and nobody took up since: what they refused
    must not come back with the next proposal, which starts where the refused one started."""
    latest = project.get_latest_revision()
    refused = sent_back.current_task_state.revision_id if sent_back else None
    if latest is not None and latest.pk == refused and is_proposal(latest, project):
        return project.revisions.filter(pk__lt=latest.pk).order_by("-created_at", "-pk").first()
    return latest


def version_of(project, revision):
    """The page (or indicator) as `revision` holds it; the live one itself for the live version."""
    if revision is None or not project.has_unpublished_changes or revision.pk == project.live_revision_id:
        return project
    return revision.as_object()


def submit_for_moderation(live, user, change, action, data):
    """Saves `change(draft)` to the `live` page or indicator as a new revision by `user`, logged as
    `action` with `data`, submitted to the moderators; the revision.

    The revision starts from the latest revision, not from the live version: an editor's
    unpublished changes stay in the draft (and in what the moderators review) instead of being
    silently replaced. A submission that the moderators sent back is cancelled: the proposal
    supersedes it (see `revision_to_start_from`). Raises ValidationError if the result is not valid.
    """
    sent_back = live.current_workflow_state
    draft = version_of(live, revision_to_start_from(live, sent_back))
    # Read before saving: saving the proposal is an unpublished change of its own.
    includes_unpublished_changes = draft is not live
    if sent_back is not None:
        sent_back.cancel(user=user)
    change(draft)
    revision = draft.save_revision(user=user)
    log(
        instance=draft,
        action=action,
        user=user,
        revision=revision,
        content_changed=True,
        data={**data, "includes_unpublished_changes": includes_unpublished_changes},
    )
    live.get_workflow().start(draft, user)
    return revision


@dataclass(frozen=True)
class MilestoneChanges:
    """A référent's changes to a project's milestones: done dates, by milestone id (None: not done
    after all), and new milestones, (title, planned date)."""

    done_dates: dict = field(default_factory=dict)
    new: tuple = ()

    def __bool__(self):
        return bool(self.done_dates or self.new)

    def applied_to(self, milestones):
        """`milestones` (the draft's) with the changes made: a list to set on the draft."""
        milestones = list(milestones)
        for milestone in milestones:
            if milestone.pk in self.done_dates:
                milestone.done_date = self.done_dates[milestone.pk]
        last = max((milestone.sort_order or 0 for milestone in milestones), default=-1)
        added = [
            Milestone(title=title, planned_date=planned, sort_order=last + position)
            for position, (title, planned) in enumerate(self.new, start=1)
        ]
        return milestones + added


@transaction.atomic
def submit_proposal(project, user, changes, note):
    """A référent's `changes` to the live `project` (its fields and their new values; its milestones'
    `MilestoneChanges` under "milestones"), submitted."""

    def change(draft):
        for name, value in changes.items():
            if name == "milestones":
                value = value.applied_to(draft.milestones.all())
            setattr(draft, name, value)

    revision = submit_for_moderation(project, user, change, PROPOSAL_LOG_ACTION, {"note": note})
    update_proposed.send(sender=type(project), project=project, user=user)
    return revision


@transaction.atomic
def submit_value_proposal(indicator, user, date, value, note):
    """A référent's `value` of the live `indicator` at `date` (replacing the one at that date),
    entered by them now, submitted."""
    now = timezone.now()
    return submit_for_moderation(
        indicator,
        user,
        lambda draft: put_value(draft, date, value, user, now),
        VALUE_PROPOSAL_LOG_ACTION,
        {"note": note, "date": date.isoformat(), "value": str(value)},
    )
