"""Serving a Wagtail page's companion (its history, its PDF) from a view of one's own, found and
guarded as `wagtail.views.serve` finds and guards the page itself."""

from django.http import Http404, HttpResponse

from wagtail import hooks
from wagtail.models import Page


def page_or_404(request, path, model):
    """The live `model` page at `path` on the request's site, by the site's own routing."""
    page = Page.find_for_request(request, path)
    if not isinstance(page, model):
        raise Http404
    return page


def guarded(page, request):
    """The response of the first `before_serve_page` hook that answers for `page` (a login or password
    form, a refusal), as Wagtail's `serve` returns it instead of the page; None when all let it through."""
    for hook in hooks.get_hooks("before_serve_page"):
        result = hook(page, request, [], {})
        if isinstance(result, HttpResponse):
            return result
    return None
