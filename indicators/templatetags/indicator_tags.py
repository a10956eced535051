"""Indicators on the COP's pages: `{% indicators_of page as indicators %}` on an ambition's or a
project's page, then `{% include "indicators/indicator_summary.html" %}`; `{{ value|with_unit:unit }}`."""

from django import template

from axes.cops import cop_of
from axes.readers import Reader

from .. import progress
from ..models import Indicator

register = template.Library()


@register.simple_tag(takes_context=True)
def indicators_of(context, page):
    """The indicators that measure `page` (an ambition or a project) and that the reader may read, each
    with its `progress` against its target: three queries, whatever their number."""
    reader = Reader.of(context["request"].user, cop_of(page))
    linked = {"ambitions": page} if page.level == "ambition" else {"projects": page}
    indicators = list(
        Indicator.objects.readable_by(reader).filter(**linked).with_series().order_by("name", "pk")
    )
    for indicator in indicators:
        indicator.progress = progress.Progress.of(indicator)
    return indicators


@register.filter
def with_unit(value, unit):
    """ "1 200 tonnes", "45 %": never split across two lines."""
    return progress.with_unit(value, unit)
