from django.dispatch import receiver

from wagtail.search import index
from wagtail.signals import page_published

from .models import ProjectPage


@receiver(page_published, sender=ProjectPage)
def reindex_with_services(sender, instance, **kwargs):
    """Indexes the project again once published: Wagtail indexes the page row on save, before the
    services (tags) of the same save are written, so the index would miss a service just added."""
    index.insert_or_update_object(instance)
