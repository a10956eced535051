from django.dispatch import receiver

from wagtail.signals import page_published

from utils.search_index import index_now_or_later

from .models import ProjectPage


@receiver(page_published, sender=ProjectPage)
def reindex_with_services(sender, instance, **kwargs):
    """Indexes the project again once published: Wagtail indexes the page row on save, before the
    services (tags) of the same save are written, so the index would miss a service just added."""
    index_now_or_later(instance)
