"""Référents propose, moderators dispose: a proposal is a draft revision submitted to the workflow."""

from django.db import transaction

from wagtail.log_actions import log
from wagtail.models import PageLogEntry, WorkflowState

from axes.signals import update_proposed

PROPOSAL_LOG_ACTION = "editorial.proposal"

ALREADY_IN_REVIEW = (
    "Une mise à jour de ce projet attend déjà la validation des modérateurs. "
    "Vous pourrez en proposer une autre lorsqu'elle aura été traitée."
)
LOCKED = "Ce projet est verrouillé pour le moment par l'équipe éditoriale. Réessayez plus tard."
NO_WORKFLOW = "La validation du COP n'est pas configurée : prévenez un administrateur du COP."


def proposal_blocker(project, user):
    """Why `user` cannot propose an update of `project` right now, in French; None if they can.

    A submission that the moderators sent back blocks nothing: the new proposal supersedes it."""
    state = project.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return ALREADY_IN_REVIEW
    lock = project.get_lock()
    if lock is not None and lock.for_user(user):
        return LOCKED
    if project.get_workflow() is None:
        return NO_WORKFLOW
    return None


def is_proposal(revision):
    return PageLogEntry.objects.filter(action=PROPOSAL_LOG_ACTION, revision=revision).exists()


def revision_to_start_from(project, sent_back):
    """The revision a new proposal builds on (None: the live page, which has no revision).

    The latest one, so that an editor's unpublished changes stay in what the moderators review;
    but not a proposal that the moderators sent back and nobody took up since: what they refused
    must not come back with the next proposal, which starts where the refused one started."""
    latest = project.get_latest_revision()
    refused = sent_back.current_task_state.revision_id if sent_back else None
    if latest is not None and latest.pk == refused and is_proposal(latest):
        return project.revisions.filter(pk__lt=latest.pk).order_by("-created_at", "-pk").first()
    return latest


def version_of(project, revision):
    """The page as `revision` holds it; the live page itself for the live version."""
    if revision is None or not project.has_unpublished_changes or revision.pk == project.live_revision_id:
        return project
    return revision.as_object()


@transaction.atomic
def submit_proposal(project, user, changes, note):
    """Saves `changes` to the live `project` as a new revision by `user`, submitted to the moderators.

    The revision starts from the page's latest revision, not from the live version: an editor's
    unpublished changes stay in the draft (and in what the moderators review) instead of being
    silently replaced. A submission that the moderators sent back is cancelled: the proposal
    supersedes it (see `revision_to_start_from`). Raises ValidationError if the resulting page is
    not valid.
    """
    sent_back = project.current_workflow_state
    draft = version_of(project, revision_to_start_from(project, sent_back))
    # Read before saving: saving the proposal is an unpublished change of its own.
    includes_unpublished_changes = draft is not project
    if sent_back is not None:
        sent_back.cancel(user=user)
    for field, value in changes.items():
        setattr(draft, field, value)
    revision = draft.save_revision(user=user)
    log(
        instance=draft,
        action=PROPOSAL_LOG_ACTION,
        user=user,
        revision=revision,
        content_changed=True,
        data={"note": note, "includes_unpublished_changes": includes_unpublished_changes},
    )
    project.get_workflow().start(draft, user)
    update_proposed.send(sender=type(project), project=project, user=user)
    return revision
