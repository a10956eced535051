"""Serving a Wagtail page's companion (its history, its PDF) from a view of one's own, found and
guarded as `wagtail.views.serve` finds and guards the page itself."""

from django.http import Http404, HttpResponse

from wagtail import hooks
from wagtail.models import Page


def page_or_404(request, path, model):
    """The live `model` page at `path` in the request's COP (`request.cop`), by the COP's own routing."""
    page = request.cop.route(request, [component for component in path.split("/") if component]).page
    if not isinstance(page, model):
        raise Http404
    return page


def serve_page(request, path):
    """A page of a COP other than the current one, at `/cops/<slug>/<path>`, served as Wagtail's
    `serve` serves the current COP's pages."""
    page = page_or_404(request, path, Page)
    return serve_as_page(page, request, lambda: page.serve(request))


def serve_as_page(page, request, respond):
    """`respond()`, through the hooks that Wagtail's `serve` puts around `page`: the `before_serve_page`
    ones (request method, …), then the `on_serve_page` ones, which answer a view restriction that the
    request does not pass (a login or password form) instead of the page, and mark the response."""

    def chain(page, request, args, kwargs):
        return respond()

    for wrap in reversed(hooks.get_hooks("on_serve_page")):
        chain = wrap(chain)
    for hook in hooks.get_hooks("before_serve_page"):
        result = hook(page, request, [], {})
        if isinstance(result, HttpResponse):
            return result
    return chain(page, request, [], {})
