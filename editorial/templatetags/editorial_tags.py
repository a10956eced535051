from django import template

from editorial.roles import can_propose_update as user_can_propose_update
from editorial.roles import can_propose_value as user_can_propose_value

register = template.Library()


@register.simple_tag(takes_context=True)
def can_propose_update(context, project):
    return user_can_propose_update(context["request"].user, project)


@register.simple_tag(takes_context=True)
def can_propose_value(context, indicator):
    """`{% can_propose_value indicator as may_propose %}`: whether the reader is a référent of the
    service responsible for `indicator`, who may propose a new value of it."""
    return user_can_propose_value(context["request"].user, indicator)
