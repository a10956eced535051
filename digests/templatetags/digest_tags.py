from django import template

from digests.forms import FREQUENCY_CHOICES
from digests.models import Frequency, Scope, Subscription

register = template.Library()


def subscriptions_of(request):
    """The signed-in agent's subscriptions by target, read once per request however many forms a page has."""
    if not hasattr(request, "_digest_subscriptions"):
        request._digest_subscriptions = {
            (subscription.scope, subscription.axis_id, subscription.service_id): subscription
            for subscription in Subscription.objects.filter(user=request.user)
        }
    return request._digest_subscriptions


def target_of(axis, service):
    """An unsaved subscription to the axis, the service, or (neither given) the whole COP."""
    if axis is not None:
        return Subscription(scope=Scope.AXIS, axis=axis)
    if service is not None:
        return Subscription(scope=Scope.SERVICE, service=service)
    return Subscription(scope=Scope.COP)


@register.inclusion_tag("digests/subscription_form.html", takes_context=True)
def subscription_form(context, axis=None, service=None):
    """The form that subscribes the agent to the digest of an axis, a service or the whole COP, or
    changes or cancels that subscription. User-specific: keep it out of any cached fragment."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"shown": False}
    target = target_of(axis, service)
    subscription = subscriptions_of(request).get((target.scope, target.axis_id, target.service_id))
    key = axis.pk if axis is not None else service.slug if service is not None else ""
    return {
        "shown": True,
        "target": target,
        "key": key,
        "field_id": f"frequence-{target.scope}-{key}".rstrip("-"),
        "subscription": subscription,
        "frequency": subscription.frequency if subscription else Frequency.WEEKLY,
        "choices": FREQUENCY_CHOICES,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
