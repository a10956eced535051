from functools import partial

from . import publication

# Fragments are keyed on the publication, so the timeout only frees memory from old keys (and
# bounds what a change made behind the signals' back, in raw SQL, could leave stale).
FRAGMENT_SECONDS = 60 * 60


def page_cache(request):
    """What the templates' `{% wagtailpagecache %}` tags vary on: a callable, so that a page
    without a cached fragment never queries it."""
    return {"cop_cache_seconds": FRAGMENT_SECONDS, "cop_publication": partial(publication.current, request)}
