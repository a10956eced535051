"""Login lockout: failed sign-ins counted in the cache that every process shares.

Each sign-in attempt is counted for:

- the username as the login forms hand it to the backends (Unicode NFKC, as Django's
  `UsernameField` normalises it), whatever its case, so that `ａｇｅｎｔ` counts as `agent`;
- every account that this username names, so that no spelling of an account escapes its count;
- the client's address, which the town hall's agents share behind its NAT: it gets many more tries.

A counter that reaches its limit locks for COP_LOGIN_COOL_OFF_MINUTES, however right the password,
and each attempt refused by the lock renews it: the lock lasts the full cool-off after the last
attempt. (django-axes would do this, but its package is named `axes`, like our app.)
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from wagtail.admin.forms.auth import LoginForm

PREFIX = "cop-lockout"


@dataclass(frozen=True)
class Counter:
    """The failed sign-ins of one identity, and its lock."""

    identity: str
    limit: int
    # The number of the fixed window this count belongs to; None: the count lasts the cool-off
    # after the last failure.
    window: int | None = None

    @property
    def count_key(self):
        window = "" if self.window is None else f":{self.window}"
        return f"{PREFIX}:failures:{self.identity}{window}"

    @property
    def lock_key(self):
        return f"{PREFIX}:lock:{self.identity}"


def cool_off_seconds():
    return settings.COP_LOGIN_COOL_OFF_MINUTES * 60


def lock_message():
    minutes = settings.COP_LOGIN_COOL_OFF_MINUTES
    return (
        "Trop de tentatives de connexion échouées pour ce compte ou depuis ce poste. "
        f"Réessayez dans {minutes} minute{'s' if minutes > 1 else ''} (chaque tentative d'ici là "
        "relance ce délai)\u00a0; en cas d'oubli du mot de passe, adressez-vous à l'administrateur du COP."
    )


def digest(text):
    """Anyone types a username or sends an address header: hashed, it makes a short key that
    every cache accepts."""
    return hashlib.sha256(text.encode()).hexdigest()


def login_username(username):
    """The username as Django's login form hands it to the backends. Wagtail's own admin form
    does not normalise it, but its NFKC spellings name the same agent."""
    return UsernameField().to_python(username)


def account_ids(username):
    """The accounts that `username` names, whatever its case: Django refuses usernames that
    differ only in case, and a directory sign-in matches them case-insensitively."""
    user_model = get_user_model()
    lookup = {f"{user_model.USERNAME_FIELD}__iexact": username}
    return list(user_model._default_manager.filter(**lookup).values_list("pk", flat=True))


def client_address(request):
    value = request.META.get(settings.COP_CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR", "")
    # Behind a proxy that appends to X-Forwarded-For, the last address is the one it saw.
    return value.split(",")[-1].strip()


def address_counter(request):
    # In fixed windows: the typos of a morning's sign-ins at the town hall, however close to each
    # other, must not add up to a lock of every agent, as one account's failures do.
    window = int(time.time() // cool_off_seconds())
    return Counter(
        "address:" + digest(client_address(request)), settings.COP_LOGIN_MAX_FAILURES_PER_IP, window
    )


def attempt_counters(request, username):
    """The counters of a sign-in attempt; `username` as the form cleaned it, None if invalid
    (then no backend is asked, and only the address may refuse the attempt)."""
    counters = [address_counter(request)]
    if username:
        username = login_username(username)
        limit = settings.COP_LOGIN_MAX_FAILURES
        counters.append(Counter("username:" + digest(username.casefold()), limit))
        counters += [Counter(f"account:{pk}", limit) for pk in account_ids(username)]
    return counters


def locked(counters):
    """The counters whose lock refuses this attempt, in one read of the cache."""
    locks = cache.get_many([counter.lock_key for counter in counters])
    return [counter for counter in counters if counter.lock_key in locks]


def lock(counters):
    """Locks `counters` for the cool-off from now, or renews their locks."""
    cache.set_many(dict.fromkeys((counter.lock_key for counter in counters), True), cool_off_seconds())


def count_failure(counter):
    """One more failure for `counter`; the count expires a cool-off after it (its window's count
    only outlives the window, which its key names). Returns the count.

    `incr` is atomic on Redis and in local memory; the database cache reads then writes, and
    resets the expiry, which `touch` then sets."""
    key, seconds = counter.count_key, cool_off_seconds()
    if cache.add(key, 1, seconds):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired since add()
        cache.set(key, 1, seconds)
        return 1
    cache.touch(key, seconds)
    return count


def record_failure(counters):
    """Counts a failed sign-in; returns whether it locks one of `counters`."""
    reached = [counter for counter in counters if count_failure(counter) >= counter.limit]
    lock(reached)
    return bool(reached)


def refuse_sign_in(request, message):
    """A backend that knows why it refused (accounts/ldap.py: the directory disabled the account,
    or does not answer) says so to the sign-in form, which shows it if no backend signs in."""
    if request is not None:
        request.cop_sign_in_refusal = message


class LockoutMixin:
    """Refuses a locked username, account or address before the password is even checked, so
    that guessing learns nothing during the cool-off, and counts each failed sign-in (whatever
    the message that refuses it)."""

    def get_invalid_login_error(self):
        if message := getattr(self.request, "cop_sign_in_refusal", None):
            return ValidationError(message, code="refused")
        return super().get_invalid_login_error()

    def clean(self):
        counters = attempt_counters(self.request, self.cleaned_data.get("username"))
        if refusing := locked(counters):
            lock(refusing)
            raise ValidationError(lock_message(), code="locked")
        try:
            return super().clean()
        except ValidationError:
            if record_failure(counters):
                raise ValidationError(lock_message(), code="locked") from None
            raise

    @property
    def is_locked(self):
        return self.has_error(NON_FIELD_ERRORS, code="locked")


class LockoutAuthenticationForm(LockoutMixin, AuthenticationForm):
    """The form of /connexion/."""


class LockoutAdminLoginForm(LockoutMixin, LoginForm):
    """The form of Wagtail's own /admin/login/ (WAGTAILADMIN_USER_LOGIN_FORM), which stays
    reachable although the admin sends agents to /connexion/: the same counters guard it."""
