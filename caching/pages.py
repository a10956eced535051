"""An agent's next visit to a COP page, served whole from the cache.

The fragments spare a page its content queries; what is left is the header and the lookups
around it (the page's route, its site, its restrictions, the agent's permissions). The whole
response is kept for one session only — its header names the agent and carries their CSRF
token, and a référent's page shows their own links — and keyed on the publication generation
like the fragments, and on the agent's own generation (their subscriptions, groups, services),
so that it is never served stale nor to anyone else, and an agent's change costs the others nothing.
"""

import hashlib

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse

from . import publication


def cache_whole_page(request):
    """Lets the page cache keep this request's response (views and page types opt in)."""
    request.cop_whole_page = True


def page_key(request):
    """The cache key of this request's page, or None when it must be rendered afresh."""
    if not settings.COP_PAGE_CACHE or request.method != "GET" or not request.user.is_authenticated:
        return None
    if request.COOKIES.get("messages") or "_messages" in request.session:
        return None  # a message shows once, in a page rendered for it
    parts = (
        publication.current(request),
        publication.of_agent(request),
        request.session.session_key,
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        request.get_host(),
        request.get_full_path(),
    )
    return "cop-page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def storable(request, response):
    """An agent's page, whole; not an editor's, whose toolbar follows drafts and moderation, which
    name no new generation. (The header has already asked for the permission: no query.)"""
    return (
        getattr(request, "cop_whole_page", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.user.has_perm("wagtailadmin.access_admin")
    )


def whole_page_views():
    """The URL names of the views that the apps let the page cache keep (`cop_whole_page_views`)."""
    return frozenset(
        name for config in apps.get_app_configs() for name in getattr(config, "cop_whole_page_views", ())
    )


class WholePageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.cached_views = whole_page_views()

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.url_name in self.cached_views:
            cache_whole_page(request)
            publication.current(request)  # before the content: see publication.current

    def __call__(self, request):
        key = page_key(request)
        if key is None:
            return self.get_response(request)
        pages = caches["template_fragments"]
        if (cached := pages.get(key)) is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = self.get_response(request)
        if storable(request, response):
            pages.set(key, (response.content, response["Content-Type"]), publication.CACHE_SECONDS)
        return response
