"""The COP's publication generation: changed by every publication, read once per request."""

import uuid

from django.conf import settings

from .models import PublicationGeneration

SINGLETON = 1
# What is cached under a generation changes key with each publication: the timeout only frees memory
# from old keys (and bounds what a change made behind the signals' back, in raw SQL, could leave stale).
CACHE_SECONDS = 60 * 60


def bump():
    """Names a new generation, inside the caller's transaction: readers see it with the content.

    A random token rather than a counter: a counter would come back to an old value after a
    rolled-back transaction or a restored backup, and meet fragments cached for other content.
    """
    token = uuid.uuid4().hex
    if not PublicationGeneration.objects.filter(pk=SINGLETON).update(token=token):
        PublicationGeneration.objects.update_or_create(pk=SINGLETON, defaults={"token": token})


def current(request):
    """The generation this request reads, one query at most.

    Read before the content that it keys: a publication committed in between then leaves an
    obsolete key behind, never fresh-looking fragments of old content.
    """
    if not settings.COP_PAGE_CACHE:
        return ""  # nothing is cached: no key to build
    if not hasattr(request, "_cop_publication"):
        token = PublicationGeneration.objects.filter(pk=SINGLETON).values_list("token", flat=True).first()
        request._cop_publication = token or ""
    return request._cop_publication
