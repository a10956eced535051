from django.dispatch import receiver

from wagtail.contrib.redirects.models import Redirect
from wagtail.signals import page_published

from axes.models import AmbitionPage, ProjectPage

from .diff import FIELDS
from .publications import last_published_content

# The field behind each short link, and the short link's URL name, from the diff's field table.
SHORT_LINK_FIELDS = {
    model: next(field for field in FIELDS[model] if field.short_url) for model in (AmbitionPage, ProjectPage)
}


@receiver(page_published, sender=AmbitionPage)
@receiver(page_published, sender=ProjectPage)
def keep_old_short_link(sender, instance, revision, **kwargs):
    """A renumbered ambition, or a project with a new reference, stays reachable at its old short link.

    The short-link views answer 404 for a number that no page has, and Wagtail's redirect middleware
    turns that 404 into this redirect. Temporary (302), because the old number may later be given to
    another page, and browsers would keep following a permanent one.
    """
    field = SHORT_LINK_FIELDS[sender]
    previous = last_published_content(instance.pk, excluding_revision_id=revision.pk)
    old, new = (previous or {}).get(field.name), getattr(instance, field.name)
    if old in (None, "") or str(old) == str(new):
        return
    # The new number is this page's own now: an older redirect from it would be stale.
    Redirect.objects.filter(old_path=short_link_path(field, new)).delete()
    Redirect.objects.update_or_create(
        old_path=short_link_path(field, old),
        site=None,
        defaults={"redirect_page": instance, "is_permanent": False},
    )


def short_link_path(field, value):
    return Redirect.normalise_path(field.short_url(value))
