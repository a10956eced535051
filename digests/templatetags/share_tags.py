"""Share a page by e-mail: a mailto: link with the page's title and its short, absolute address."""

import html

from django import template
from django.utils.html import strip_tags

from wagtail.models import Page

from digests.digest import absolute
from home.models import CityIdentity
from utils.typography import elide

register = template.Library()


def short_path(page, request):
    """The page's short address where it has one (/projets/16.1/, /ambitions/16/), its own otherwise."""
    return getattr(page, "short_url", None) or page.get_url(request)


def shared_path(context, request):
    """The page's short address when the request shows the page itself (not, say, its history)."""
    page = context.get("page")
    if isinstance(page, Page) and page.live and page.get_url(request) == request.path:
        return short_path(page, request)
    return request.get_full_path()


@register.inclusion_tag("components/share_by_email.html", takes_context=True)
def share_by_email(context, title):
    """The mailto: parts of the share link; `title` is the document's rendered (escaped) title."""
    request = context.get("request")
    if request is None or getattr(request, "is_preview", False):
        return {"shown": False}  # rendered outside a request, or an editor's preview of a draft
    title = html.unescape(strip_tags(str(title))).strip()
    url = absolute(shared_path(context, request))
    city = CityIdentity.for_request(request).short_name  # read once per request, by the header too
    cop = f"du cahier d'objectifs partagés {elide('de', city)}" if city else "du cahier d'objectifs partagés"
    lines = ["Bonjour,", "", f"Une page {cop} :", title, url, ""]
    return {
        "shown": True,
        "subject": title,
        "body": "\r\n".join(lines),  # RFC 6068: line breaks in a mailto: body are CRLF
        "url": url,
    }
