"""Référents propose, moderators dispose: a proposal is a draft revision submitted to the workflow."""

from django.db import transaction

from wagtail.log_actions import log
from wagtail.models import WorkflowState

PROPOSAL_LOG_ACTION = "editorial.proposal"

ALREADY_IN_REVIEW = (
    "Une mise à jour de ce projet attend déjà la validation des modérateurs. "
    "Vous pourrez en proposer une autre lorsqu'elle aura été traitée."
)
SENT_BACK = (
    "Une mise à jour de ce projet a été renvoyée pour modification et n'a pas encore été reprise. "
    "Vous pourrez en proposer une autre lorsqu'un éditeur l'aura reprise ou annulée."
)
LOCKED = "Ce projet est verrouillé pour le moment par l'équipe éditoriale. Réessayez plus tard."
NO_WORKFLOW = "La validation du COP n'est pas configurée : prévenez un administrateur du COP."


def proposal_blocker(project, user):
    """Why `user` cannot propose an update of `project` right now, in French; None if they can."""
    state = project.current_workflow_state
    if state is not None:
        return ALREADY_IN_REVIEW if state.status == WorkflowState.STATUS_IN_PROGRESS else SENT_BACK
    lock = project.get_lock()
    if lock is not None and lock.for_user(user):
        return LOCKED
    if project.get_workflow() is None:
        return NO_WORKFLOW
    return None


@transaction.atomic
def submit_proposal(project, user, changes, note):
    """Saves `changes` as a new revision by `user` and submits it to the moderators.

    The revision starts from the page's latest revision, not from the live version: an editor's
    unpublished changes stay in the draft (and in what the moderators review) instead of being
    silently replaced. Raises ValidationError if the resulting page is not valid.
    """
    draft = project.get_latest_revision_as_object()
    for field, value in changes.items():
        setattr(draft, field, value)
    revision = draft.save_revision(user=user)
    log(
        instance=draft,
        action=PROPOSAL_LOG_ACTION,
        user=user,
        revision=revision,
        content_changed=True,
        data={"note": note, "includes_unpublished_changes": project.has_unpublished_changes},
    )
    project.get_workflow().start(draft, user)
    return revision
