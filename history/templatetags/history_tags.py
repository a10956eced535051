from django import template

from ..publications import HISTORY_PATH

register = template.Library()


@register.simple_tag(takes_context=True)
def history_url(context, page):
    """`<page URL>historique/`: the published versions of `page`."""
    return page.get_url(context.get("request")) + HISTORY_PATH
