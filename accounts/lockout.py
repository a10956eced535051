"""Login lockout: failed sign-ins counted per username and per address in the shared cache.

django-ratelimit keeps the counters in fixed windows of COP_LOGIN_COOL_OFF_MINUTES: a username
with COP_LOGIN_MAX_FAILURES failures in its window is refused until the window ends, however
right the password. (django-axes would do this, but its package is named `axes`, like our app.)
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from wagtail.admin.forms.auth import LoginForm

from django_ratelimit.core import get_usage

GROUP = "accounts.login"


@dataclass(frozen=True)
class Lock:
    minutes_left: int

    @property
    def message(self):
        minutes = f"{self.minutes_left} minute" + ("s" if self.minutes_left > 1 else "")
        return (
            "Trop de tentatives de connexion échouées pour ce compte ou depuis ce poste. "
            f"Réessayez dans {minutes}\u00a0; en cas d'oubli du mot de passe, "
            "adressez-vous à l'administrateur du COP."
        )


def username_key(group, request):
    return "username:" + request.POST.get("username", "").strip().casefold()


def client_ip_key(group, request):
    value = request.META.get(settings.COP_CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR", "")
    # Behind a proxy that appends to X-Forwarded-For, the last address is the one it saw.
    return "ip:" + value.split(",")[-1].strip()


def counters():
    """(key function, how many failures lock) for each counter."""
    return (
        (username_key, settings.COP_LOGIN_MAX_FAILURES),
        (client_ip_key, settings.COP_LOGIN_MAX_FAILURES_PER_IP),
    )


def _usage(request, key, limit, increment):
    rate = f"{limit}/{settings.COP_LOGIN_COOL_OFF_MINUTES}m"
    return get_usage(request, group=GROUP, key=key, rate=rate, increment=increment)


def current_lock(request):
    """The lock on this sign-in attempt, or None. Reads the counters without counting."""
    seconds_left = [
        usage["time_left"]
        for key, limit in counters()
        if (usage := _usage(request, key, limit, increment=False)) and usage["count"] >= limit
    ]
    if not seconds_left:
        return None
    return Lock(minutes_left=max(1, math.ceil(max(seconds_left) / 60)))


def record_failure(request):
    for key, limit in counters():
        _usage(request, key, limit, increment=True)


class LockoutMixin:
    """Refuses a locked username or address before the password is even checked, so that
    guessing learns nothing during the cool-off, and counts each failed sign-in."""

    def clean(self):
        self.refuse_if_locked()
        try:
            return super().clean()
        except ValidationError:
            record_failure(self.request)
            self.refuse_if_locked()
            raise

    def refuse_if_locked(self):
        if lock := current_lock(self.request):
            raise ValidationError(lock.message, code="locked")

    @property
    def is_locked(self):
        return self.has_error(NON_FIELD_ERRORS, code="locked")


class LockoutAuthenticationForm(LockoutMixin, AuthenticationForm):
    """The form of /connexion/."""


class LockoutAdminLoginForm(LockoutMixin, LoginForm):
    """The form of Wagtail's own /admin/login/ (WAGTAILADMIN_USER_LOGIN_FORM), which stays
    reachable although the admin sends agents to /connexion/: the same counters guard it."""
