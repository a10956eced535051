from functools import partial

from . import publication


def page_cache(request):
    """What the templates' `{% wagtailpagecache %}` tags vary on: a callable, so that a page
    without a cached fragment never queries it."""
    return {
        "cop_cache_seconds": publication.CACHE_SECONDS,
        "cop_publication": partial(publication.current, request),
    }
