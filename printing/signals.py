"""What changes a PDF that any signed-in agent reads queues its rebuild (tasks.py): what its
fingerprint is made of (documents.py), once committed."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from axes.models import Service
from indicators.models import Indicator

from . import tasks

# Services are printed by name; a view restriction hides pages from readers; the Site is the
# address printed in every PDF.
PRINTED_MODELS = (Service, PageViewRestriction, Site)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def page_changed(sender, **kwargs):
    tasks.queue_rebuild()


@receiver(published, sender=Indicator)
@receiver(unpublished, sender=Indicator)
def indicator_changed(sender, **kwargs):
    """An indicator's values and targets change only with its publication: its chapters show them."""
    tasks.queue_rebuild()


@receiver(post_save)
def printed_row_saved(sender, instance, **kwargs):
    if isinstance(instance, PRINTED_MODELS):
        tasks.queue_rebuild()


@receiver(post_delete)
def printed_row_deleted(sender, instance, **kwargs):
    if isinstance(instance, (Page, Indicator, *PRINTED_MODELS)):
        tasks.queue_rebuild()
