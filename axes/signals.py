from django.dispatch import Signal, receiver

from wagtail.signals import page_published

from utils.search_index import index_now_or_later

from .models import ProjectPage

# A référent proposed an update of `project` (`user`): the features that follow the projects hear of
# it (a yearly review counts it as the project's answer) without the editorial app knowing them.
update_proposed = Signal()


@receiver(page_published, sender=ProjectPage)
def reindex_with_services(sender, instance, **kwargs):
    """Indexes the project again once published: Wagtail indexes the page row on save, before the
    services (tags) of the same save are written, so the index would miss a service just added."""
    index_now_or_later(instance)
