"""An indicator's published versions, newest first, read from Wagtail's log of its publications: which
values (and targets) each one added, changed or removed, who entered them and who published them.

A draft or a value awaiting moderation has no "wagtail.publish" entry, so it shows nowhere here. The
changes are computed in Python from the revisions' content: a page of versions costs the same few
queries whatever the number of values.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery

from wagtail.models import ModelLogEntry, Revision

from utils.typography import NARROW_NBSP, day

from .progress import with_unit

PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")
UNPUBLISH_ACTIONS = ("wagtail.unpublish", "wagtail.unpublish.scheduled")


def publication_log(indicator):
    """The indicator's publications and withdrawals, newest first, each annotated with the revision
    published before it (`previous_revision_id`), which its changes are read against."""
    content_type = ContentType.objects.get_for_model(indicator, for_concrete_model=False)
    entries = ModelLogEntry.objects.filter(content_type=content_type, object_id=str(indicator.pk))
    earlier = Q(timestamp__lt=OuterRef("timestamp")) | Q(
        timestamp=OuterRef("timestamp"), pk__lt=OuterRef("pk")
    )
    previous = (
        entries.filter(earlier, action__in=PUBLISH_ACTIONS)
        .order_by("-timestamp", "-pk")
        .values("revision_id")[:1]
    )
    return (
        entries.filter(action__in=PUBLISH_ACTIONS + UNPUBLISH_ACTIONS)
        .annotate(previous_revision_id=Subquery(previous))
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )


@dataclass(frozen=True)
class Change:
    """One value or target of a version: added (no `before`), removed (no `after`) or changed."""

    date: datetime.date
    before: Decimal | None
    after: Decimal | None
    entered_by: str = ""

    @property
    def kind(self):
        if self.before is None:
            return "added"
        return "removed" if self.after is None else "changed"

    def text(self, unit):
        """ "45 % au 1er janvier 2024, saisie par …", "40 % → 45 % au …": what a reader is told."""
        if self.kind == "changed":
            values = f"{with_unit(self.before, unit)} → {with_unit(self.after, unit)}"
        else:
            values = with_unit(self.before if self.after is None else self.after, unit)
        said = f"{values} au {day(self.date)}"
        return f"{said}, saisie par {self.entered_by}" if self.entered_by else said


@dataclass
class Version:
    entry: ModelLogEntry
    published_by: str
    first: bool
    unit: str
    values: list = field(default_factory=list)  # Change
    targets: list = field(default_factory=list)  # Change

    @property
    def withdrawn(self):
        return self.entry.action in UNPUBLISH_ACTIONS

    @property
    def timestamp(self):
        return self.entry.timestamp

    @property
    def changes(self):
        """[(label, text), ...]: the values added, changed and removed, then the targets'."""
        kinds = [
            ("Valeur ajoutée", "Valeurs ajoutées", self.values, "added"),
            ("Valeur modifiée", "Valeurs modifiées", self.values, "changed"),
            ("Valeur retirée", "Valeurs retirées", self.values, "removed"),
            ("Cible ajoutée", "Cibles ajoutées", self.targets, "added"),
            ("Cible modifiée", "Cibles modifiées", self.targets, "changed"),
            ("Cible retirée", "Cibles retirées", self.targets, "removed"),
        ]
        lines = []
        for singular, plural, changes, kind in kinds:
            texts = [change.text(self.unit) for change in changes if change.kind == kind]
            if texts:
                lines.append((singular if len(texts) == 1 else plural, f"{NARROW_NBSP}; ".join(texts)))
        return lines


def versions(indicator, entries):
    """The log `entries` (of `publication_log`) as versions, in two queries whatever their number."""
    entries = list(entries)
    contents = dict(
        Revision.objects.filter(
            pk__in={entry.revision_id for entry in entries}
            | {entry.previous_revision_id for entry in entries}
        ).values_list("pk", "content")
    )
    authors = names_of_authors(contents.values())
    return [version(indicator, entry, contents, authors) for entry in entries]


def names_of_authors(contents):
    ids = {row.get("entered_by") for content in contents for row in content.get("values", [])} - {None}
    if not ids:
        return {}
    return {user.pk: display_name(user) for user in get_user_model().objects.filter(pk__in=ids)}


def display_name(user):
    return user.get_full_name() or user.get_username()


def version(indicator, entry, contents, authors):
    published_by = display_name(entry.user) if entry.user else "le système"
    version = Version(entry, published_by, first=entry.previous_revision_id is None, unit=indicator.unit)
    if entry.action in UNPUBLISH_ACTIONS:
        return version
    before = contents.get(entry.previous_revision_id, {})
    after = contents.get(entry.revision_id, {})
    version.values = changes_of(before.get("values", []), after.get("values", []), authors)
    version.targets = changes_of(before.get("targets", []), after.get("targets", []), {})
    return version


def changes_of(rows_before, rows_after, authors):
    """What changed between two versions' rows (values or targets), matched by date, by date."""
    before, after = by_date(rows_before), by_date(rows_after)
    changes = []
    for date in sorted(before.keys() | after.keys()):
        old, new = before.get(date), after.get(date)
        if old is not None and new is not None and old["value"] == new["value"]:
            continue
        author = authors.get(new.get("entered_by"), "") if new else ""
        changes.append(Change(date, old and old["value"], new and new["value"], author))
    return changes


def by_date(rows):
    """{date: {"value": Decimal, "entered_by": id}} from a revision's serialised rows."""
    return {
        datetime.date.fromisoformat(row["date"]): {
            "value": Decimal(str(row["value"])),
            "entered_by": row.get("entered_by"),
        }
        for row in rows
    }
