"""What an agent's digest says: the COP's publications and withdrawals since their last one, page by page.

The changes are read from the history app's publication log (`history.publications`), the same
reading as the journal's: a draft, never published, has no entry there and shows in no digest.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import override

from axes.cops import cop_of
from axes.readers import Reader
from history.publications import Publication, filtered_log, publication_log, publications, with_urls
from home.models import CityIdentity
from utils.typography import plural

from .models import Scope, Subscription
from .tokens import unsubscribe_token

# A publication is logged inside its transaction and seen by others once committed: a run covers
# the log up to a minute ago, so that a publication committing while it runs is not skipped for good.
SETTLING = timedelta(minutes=1)


def absolute(path):
    """An address that works from a mail client: the site's public address (COP_BASE_URL) first."""
    if not path or not path.startswith("/"):
        return path
    return settings.COP_BASE_URL + path


def scope_criteria(subscription):
    """The journal's filters (history.forms.JournalFilterForm.criteria()) that a subscription stands for."""
    if subscription.scope == Scope.AXIS:
        return {"axe": subscription.axis}
    if subscription.scope == Scope.SERVICE:
        return {"service": subscription.service}
    return {}


def log_for(subscriptions, until, user):
    """The publication log entries that these subscriptions have not covered yet, up to `until`, of
    the pages that their agent may see; an entry that two of them cover is there once. An axis's
    subscription follows its axis's COP; the others, the current COP."""
    wanted = Q(pk__in=[])
    for subscription in subscriptions:
        reader = Reader.of(user, cop_of(subscription.axis) if subscription.axis else None)
        window = filtered_log(scope_criteria(subscription), reader).filter(
            timestamp__gt=subscription.covered_until, timestamp__lte=until
        )
        wanted |= Q(pk__in=window.values("pk"))
    return publication_log().filter(wanted)


@dataclass
class PageChanges:
    """One page of the COP and its versions published (or its withdrawal) since the last digest."""

    versions: list  # of Publication, oldest first

    @property
    def latest(self) -> Publication:
        return self.versions[-1]

    @property
    def label(self):
        return self.latest.label

    @property
    def title(self):
        return self.latest.title

    @property
    def url(self):
        return absolute(self.latest.url)

    @property
    def history_url(self):
        return absolute(self.latest.history_url)


@dataclass
class Digest:
    user: object
    subscriptions: list
    since: object  # the earliest instant the digest starts from
    pages: list = field(default_factory=list)
    city: CityIdentity = field(default_factory=CityIdentity.for_default_site)

    @property
    def count(self):
        return sum(len(page.versions) for page in self.pages)

    @property
    def since_label(self):
        """ "12 novembre", with the year when it is not this year's."""
        since = timezone.localtime(self.since)
        pattern = "j F" if since.year == timezone.localdate().year else "j F Y"
        with override("fr"):
            return format_date(since, pattern)

    @property
    def subject(self):
        evolutions = plural(self.count, "évolution")
        return f"{self.city.cop_name} – {self.count} {evolutions} depuis le {self.since_label}"

    @property
    def greeting_name(self):
        return self.user.first_name or self.user.get_username()

    def unsubscribe_links(self):
        """(subscription, absolute unsubscribe address) for each subscription of this digest."""
        return [(subscription, unsubscribe_url([subscription])) for subscription in self.subscriptions]


def unsubscribe_url(subscriptions):
    return absolute(reverse("digests:unsubscribe", args=[unsubscribe_token(subscriptions)]))


def grouped_by_page(lines):
    """The publications (newest first, as the log reads) grouped by page, in the COP's order."""
    pages = {}
    for line in reversed(lines):
        pages.setdefault(line.entry.page_id, PageChanges([])).versions.append(line)
    return sorted(pages.values(), key=lambda page: page.latest.entry.page.path)


def build_digest(subscriptions, until):
    """The digest of one agent's `subscriptions`, covering what each has not covered yet up to `until`."""
    user = subscriptions[0].user
    lines = with_urls(publications(log_for(subscriptions, until, user)), None)
    since = min(subscription.covered_until for subscription in subscriptions)
    return Digest(user, subscriptions, since, grouped_by_page(lines))


def digest_message(digest, connection=None):
    """The digest as a mail with a plain-text and an HTML part, and one-click unsubscribe headers
    (RFC 8058) for all the subscriptions it was sent for."""
    context = {
        "digest": digest,
        "manage_url": absolute(reverse("digests:subscriptions")),
        "site_url": absolute("/"),
    }
    with override("fr"):
        text = render_to_string("digests/digest.txt", context)
        html = render_to_string("digests/digest.html", context)
    message = EmailMultiAlternatives(
        subject=digest.subject,
        body=text,
        to=[digest.user.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url(digest.subscriptions)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def due_user_ids(now):
    """The agents with at least one digest due at `now` and an address to send it to."""
    return list(
        Subscription.objects.due(now)
        .filter(user__is_active=True)
        .exclude(user__email="")
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


def send_due_digest(user_id, now, connection=None):
    """Sends the agent their digest if one is due, and marks the changes as sent, in one transaction.

    The subscriptions are locked and read again as due: a run that reaches them after another one
    (even at the same time) finds them covered and sends nothing. Returns the digest, or None when
    nothing was due; a digest without changes is not mailed, but its subscriptions advance.
    """
    until = now - SETTLING
    with transaction.atomic():
        subscriptions = list(
            Subscription.objects.select_for_update(of=("self",))
            .due(now)
            .filter(user_id=user_id)
            .select_related("user", "axis", "service")
            .order_by("pk")
        )
        if not subscriptions:
            return None
        digest = build_digest(subscriptions, until)
        if digest.count:
            digest_message(digest, connection).send()
        Subscription.objects.filter(pk__in=[subscription.pk for subscription in subscriptions]).update(
            covered_until=until
        )
    return digest
