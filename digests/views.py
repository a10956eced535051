"""The agent's subscriptions to the e-mail digests, and the unsubscribe link of every digest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import SubscribeForm
from .models import Scope, Subscription
from .tokens import read_unsubscribe_token

SCOPE_ORDER = {Scope.COP: 0, Scope.AXIS: 1, Scope.SERVICE: 2}


def in_reading_order(subscriptions):
    """The whole COP first, then the axes by number, then the services by name."""

    def key(subscription):
        number = subscription.axis.number if subscription.axis else 0
        name = subscription.service.name if subscription.service else ""
        return (SCOPE_ORDER[subscription.scope], number, name.casefold())

    return sorted(subscriptions, key=key)


# login_required as well as the middleware: with COP_PUBLIC the site opens, but a subscription
# is an agent's own.
@login_required
@require_GET
def subscriptions(request):
    mine = in_reading_order(request.user.digest_subscriptions.select_related("axis", "service"))
    context = {"subscriptions": mine, "has_cop_subscription": any(s.scope == Scope.COP for s in mine)}
    return TemplateResponse(request, "digests/subscriptions.html", context)


def back_to(request):
    """Where the form was: the `suivant` field when it is a path on this site, else the subscriptions.

    A path only: `redirect` would take any other word for the name of a view to look up."""
    target = request.POST.get("suivant", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("digests:subscriptions")


@login_required
@require_POST
def subscribe(request):
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        for problem in form.problems():
            messages.error(request, problem)
        return redirect(back_to(request))
    subscription, created = form.save(request.user)
    if created:
        messages.success(
            request,
            f"C'est noté : vous recevrez {subscription.rhythm} par e-mail un résumé des évolutions "
            f"{subscription.of_target}.",
        )
    else:
        messages.success(
            request,
            f"C'est noté : le résumé des évolutions {subscription.of_target} vous sera désormais envoyé "
            f"{subscription.rhythm}.",
        )
    return redirect(back_to(request))


@login_required
@require_POST
def cancel(request, pk):
    subscription = get_object_or_404(
        Subscription.objects.select_related("axis", "service"), pk=pk, user=request.user
    )
    subscription.delete()
    messages.success(request, f"Vous ne recevrez plus de résumé des évolutions {subscription.of_target}.")
    return redirect(back_to(request))


# The link in a digest works without signing in (the signed token is the proof), and its POST
# comes from the mail client's one-click unsubscribe (RFC 8058), which has no CSRF token to send.
# GET only asks for confirmation: mail scanners open links, and must not unsubscribe anyone.
@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    read = read_unsubscribe_token(token)
    if read is None:
        return TemplateResponse(request, "digests/unsubscribe_invalid.html", status=400)
    user_id, ids = read
    subscriptions = in_reading_order(
        Subscription.objects.filter(user_id=user_id, pk__in=ids).select_related("axis", "service")
    )
    done = request.method == "POST"
    if done:
        Subscription.objects.filter(pk__in=[subscription.pk for subscription in subscriptions]).delete()
    context = {"subscriptions": subscriptions, "done": done, "token": token}
    return TemplateResponse(request, "digests/unsubscribe.html", context)
