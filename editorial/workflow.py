"""An approval publishes the revision that the moderator was shown (issue 12).

Wagtail 8 ends an approved workflow with `wagtail.workflows.publish_workflow_state`, which publishes
the page's *latest* revision. A reviewer (a moderator or an administrator: the workflow's lock keeps
editors out of a page in review) may save a draft while the page waits, by hand or by autosave; the
edit view leaves the task state on the revision submitted, and WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT
does not help a one-task workflow (it would restart the review even of the moderator's own edit in
the editor). So the setting WAGTAIL_FINISH_WORKFLOW_ACTION names `publish_reviewed_revision`, which
publishes what the moderator's screen showed:

- On the dashboard (Wagtail's "Awaiting your review", the COP's panel) and in the e-mail asking for
  a review, every link shows the task's revision (`TaskState.revision`): "Prévisualiser" (the
  workflow preview), "Comparer avec la version en ligne / précédente", "voir les changements". An
  approval there publishes that revision; a draft saved since stays a draft, never reviewed.
- The page editor shows its form, which Wagtail fills from the latest revision. When approving,
  Wagtail saves the form as a new revision if it differs from the latest one (the moderator edited,
  or someone saved after the moderator opened the page): the latest revision is then the form that
  the moderator approved, and that is what goes live.

The indicators' editor (a snippet with the same workflow) is a page editor in this respect.

Nothing else tells the two apart, so the editors mark their approvals on the request's user, the
object that Wagtail hands down to the workflow's end (`mark_approval_in_editor`).

This module is imported while `wagtail.models` is (WorkflowState reads the setting in its class
body): it imports no model.
"""

APPROVAL_IN_EDITOR = "_cop_approval_in_editor"


def mark_approval_in_editor(request, instance):
    """The workflow action that `request` carries is taken in the editor of `instance` (a page, or an
    indicator)."""
    setattr(request.user, APPROVAL_IN_EDITOR, (instance.get_base_content_type().pk, str(instance.pk)))


def approved_in_editor(workflow_state, user):
    marked = getattr(user, APPROVAL_IN_EDITOR, None) if user is not None else None
    return marked == (workflow_state.base_content_type_id, workflow_state.object_id)


def reviewed_revision(workflow_state, user=None):
    """The revision that the moderator who approved `workflow_state` was shown."""
    task_state = workflow_state.current_task_state  # the last task approved
    if task_state is None or approved_in_editor(workflow_state, user):
        return workflow_state.content_object.get_latest_revision()
    return task_state.revision


def publish_reviewed_revision(workflow_state, user=None):
    """WAGTAIL_FINISH_WORKFLOW_ACTION: publishes the revision reviewed, not the latest one."""
    reviewed_revision(workflow_state, user).publish(user=user)
