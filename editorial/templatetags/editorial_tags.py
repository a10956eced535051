from django import template

from editorial.roles import can_propose_update as user_can_propose_update

register = template.Library()


@register.simple_tag(takes_context=True)
def can_propose_update(context, project):
    return user_can_propose_update(context["request"].user, project)
