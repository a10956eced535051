from django.db.models.signals import post_save
from django.dispatch import receiver

from axes.models import Service

from .directory import rematch_directory_agents


@receiver(post_save, sender=Service, dispatch_uid="accounts.rematch_directory_agents")
def rematch_agents_of_renamed_service(sender, raw=False, **kwargs):
    """A new alias or name takes effect for the directory's agents now, not at their next sign-in."""
    if not raw:
        rematch_directory_agents()
