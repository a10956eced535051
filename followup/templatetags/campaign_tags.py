"""`{% campaign_notice %}`: the open campaign, for the référents, where they look for their service."""

from django import template

from ..campaigns import is_referent, open_campaign

register = template.Library()


@register.inclusion_tag("followup/campaign_notice.html", takes_context=True)
def campaign_notice(context, service=None):
    """The campaign open in the COP being read, for a référent (of `service`, if given); nothing for
    anyone else, at no query."""
    request = context.get("request")
    cop = getattr(request, "cop", None)
    # `request.cop` is lazy: with no COP at all, it stands for None.
    if getattr(cop, "pk", None) is None or cop.archived or not is_referent(request.user):
        return {"campaign": None}
    if service is not None and not request.user.services.filter(pk=service.pk).exists():
        return {"campaign": None}
    return {"campaign": open_campaign(cop), "cop": cop}
