from django import template

from axes.cops import cop_reverse, cops

register = template.Library()


@register.simple_tag(takes_context=True)
def cop_url(context, name, **kwargs):
    """{% cop_url "search" %}: the URL `name` of the COP being read (`cop`, or the request's), at `/…`
    for the current COP and under `/cops/<slug>/` for another."""
    cop = context.get("cop") or getattr(context.get("request"), "cop", None)
    return cop_reverse(cop, name, **kwargs)


@register.simple_tag(takes_context=True)
def other_cops(context):
    """The COPs other than the one being read: the current one first, then by period."""
    # `request.cop` is lazy: with no COP at all, it stands for None.
    being_read = getattr(getattr(context.get("request"), "cop", None), "pk", None)
    others = [cop for cop in cops().all if cop.pk != being_read]
    return sorted(others, key=lambda cop: not cop.is_current)


@register.simple_tag
def archived_cops():
    return [cop for cop in cops().all if cop.archived]
