from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.log_actions import log
from wagtail.models import TaskState
from wagtail.signals import workflow_approved

from axes.models import HomePage
from history.publications import APPROVED_REVISIONS

from .roles import open_to_the_roles
from .workflow import reviewed_revision

APPROVED_WITH_EDITS_LOG_ACTION = "editorial.approved_with_edits"


@receiver(workflow_approved)
def carry_the_notes_to_the_version_published(sender, instance, user=None, **kwargs):
    """A moderator who approves in the page editor publishes the form they were shown (editorial.workflow):
    a revision of their own if they edited it, or a draft saved after the submission, while the
    référent's note and the approval comment stay logged on the revision submitted. A log entry on
    the published revision names that one, so that the public history shows the notes with the
    version that went live."""
    page = instance.content_object
    published = reviewed_revision(instance, user)  # what editorial.workflow published
    if published is None:
        return
    approved = set(
        instance.task_states.filter(status=TaskState.STATUS_APPROVED).values_list("revision_id", flat=True)
    ) - {published.pk}
    if approved:
        log(
            instance=getattr(page, "specific", page),
            action=APPROVED_WITH_EDITS_LOG_ACTION,
            user=user,
            revision=published,
            content_changed=False,
            data={APPROVED_REVISIONS: sorted(approved)},
        )


@receiver(post_save, sender=HomePage)
def open_a_new_cop_to_the_roles(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        open_to_the_roles(instance)
