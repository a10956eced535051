"""The publishing log of the COP's pages, read back as versions that agents understand.

Only publications and withdrawals are read: a draft (a revision never published) has no
"wagtail.publish" log entry, so it can show nowhere.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.text import capfirst

from wagtail.models import PageLogEntry, Revision

from axes.cops import terms_of
from axes.models import AmbitionPage, AxisPage, ProjectPage, ProjectService, Service
from axes.models.terminology import DEFAULT

from .diff import changes_between, service_ids_in, summary_of

PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")
UNPUBLISH_ACTIONS = ("wagtail.unpublish", "wagtail.unpublish.scheduled")
SCHEDULE_ACTION = "wagtail.publish.schedule"
# The data key of a log entry on a published revision naming the revisions whose approval it carries.
APPROVED_REVISIONS = "approved_revisions"
COP_PAGE_MODELS = (AxisPage, AmbitionPage, ProjectPage)
# A page's history is at `<page URL>historique/` (urls.page_urlpatterns).
HISTORY_PATH = "historique/"


def cop_page_models():
    """{content type id: page model} for the COP's page types (Django caches the content types)."""
    return {
        content_type.pk: model
        for model, content_type in ContentType.objects.get_for_models(*COP_PAGE_MODELS).items()
    }


def publication_log():
    """Every publication and withdrawal of a COP page, newest first, each annotated with the
    revision published before it (`previous_revision_id`): the version its changes are read against."""
    earlier = Q(timestamp__lt=OuterRef("timestamp")) | Q(
        timestamp=OuterRef("timestamp"), pk__lt=OuterRef("pk")
    )
    previous = (
        PageLogEntry.objects.filter(earlier, page_id=OuterRef("page_id"), action__in=PUBLISH_ACTIONS)
        .order_by("-timestamp", "-pk")
        .values("revision_id")[:1]
    )
    return (
        PageLogEntry.objects.filter(
            action__in=PUBLISH_ACTIONS + UNPUBLISH_ACTIONS, page__content_type_id__in=list(cop_page_models())
        )
        .annotate(previous_revision_id=Subquery(previous))
        .select_related("user", "page")
        .order_by("-timestamp", "-pk")
    )


def start_of_day(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of_day(day):
    """The first instant after `day` in the COP's time zone: the COP "at" a date is the COP that evening."""
    return start_of_day(day + timedelta(days=1))


def filtered_log(criteria, reader):
    """The publication log of the pages that `reader` may see, narrowed by the journal's filters
    (JournalFilterForm.criteria()). Withdrawals stay: that a page left the COP is news too."""
    entries = publication_log().filter(reader.visible_q("page__"))
    if "du" in criteria:
        entries = entries.filter(timestamp__gte=start_of_day(criteria["du"]))
    if "au" in criteria:
        entries = entries.filter(timestamp__lt=end_of_day(criteria["au"]))
    if "axe" in criteria:
        entries = entries.filter(page__path__startswith=criteria["axe"].path)
    if "service" in criteria:
        projects = ProjectService.objects.filter(tag=criteria["service"]).values("content_object_id")
        entries = entries.filter(page_id__in=projects)
    return entries


def last_published_content(page_id, excluding_revision_id):
    """The content of the version of a page published last, other than the given revision."""
    return (
        PageLogEntry.objects.filter(page_id=page_id, action__in=PUBLISH_ACTIONS)
        .exclude(revision_id=excluding_revision_id)
        .order_by("-timestamp", "-pk")
        .values_list("revision__content", flat=True)
        .first()
    )


def page_label(model, content, terms=DEFAULT):
    """ "Axe 2", "Ambition n° 16" or "Projet 16.2", as the page's `label` reads, from a version, in
    the words `terms` of the page's COP."""
    number = content.get("reference" if model is ProjectPage else "number", "")
    return getattr(terms, model.level).named(number).strip()


def display_name(user):
    return user.get_full_name() or user.get_username()


@dataclass(frozen=True)
class Note:
    text: str
    author: str


@dataclass
class Publication:
    """One line of a page's history or of the journal: a version published, or the page withdrawn."""

    entry: PageLogEntry
    model: type
    content: dict  # the version published; for a withdrawal, the last one that was
    changes: list
    validated_by: str
    notes: list = field(default_factory=list)
    url: str = ""  # the page, while it is live
    history_url: str = ""

    @property
    def withdrawn(self):
        return self.entry.action in UNPUBLISH_ACTIONS

    @property
    def first(self):
        return not self.withdrawn and self.entry.previous_revision_id is None

    @property
    def timestamp(self):
        return self.entry.timestamp

    @property
    def anchor(self):
        return f"version-{self.entry.pk}"

    @property
    def kind(self):
        return self.model._meta.verbose_name

    @property
    def label(self):
        if not self.content:
            return capfirst(self.kind)
        return page_label(self.model, self.content, terms_of(self.entry.page))

    @property
    def title(self):
        return self.content.get("title") or self.entry.label

    @property
    def action_label(self):
        return "Retiré" if self.withdrawn else "Publié"

    @property
    def summary(self):
        if self.withdrawn:
            return "retiré du COP"
        if self.first:
            return "première publication"
        return summary_of(self.changes) or "publié à nouveau, sans changement visible"


def publications(entries):
    """Reads log `entries` of `publication_log()` as versions, in three queries whatever their number."""
    entries = list(entries)
    contents = revision_contents(
        {entry.revision_id for entry in entries} | {entry.previous_revision_id for entry in entries}
    )
    service_names = names_of_services(contents.values())
    published = [entry.revision_id for entry in entries if entry.action in PUBLISH_ACTIONS]
    notes, schedulers = remarks_on(published)
    return [publication(entry, contents, service_names, notes, schedulers) for entry in entries]


def revision_contents(revision_ids):
    return dict(Revision.objects.filter(pk__in=revision_ids - {None}).values_list("pk", "content"))


def names_of_services(contents):
    """{service id: name} for every service that the versions `contents` name, in one query."""
    service_ids = set().union(*(service_ids_in(content) for content in contents))
    return dict(Service.objects.filter(pk__in=service_ids).values_list("pk", "name"))


def remarks_on(revision_ids):
    """The notes logged against the published revisions and, for a scheduled publication, who
    scheduled it. A note is a log entry's "comment" (a moderator approving in Wagtail's workflow) or
    "note" (an agent's proposal, editorial.proposals), whichever action logged it. A publication
    also carries the notes of the revisions its moderator approved when they edited them before
    approving: a log entry on the published revision lists them under APPROVED_REVISIONS."""
    notes, schedulers, carried_by = {}, {}, {}
    for entry in remarks(Q(revision_id__in=revision_ids), with_approvals=True):
        if entry.action == SCHEDULE_ACTION:
            schedulers[entry.revision_id] = entry.user
        for approved_id in entry.data.get(APPROVED_REVISIONS, []):
            carried_by[approved_id] = entry.revision_id
        add_note(notes, entry.revision_id, entry)
    if carried_by:
        approved_notes = {}
        for entry in remarks(Q(revision_id__in=list(carried_by))):
            add_note(approved_notes, carried_by[entry.revision_id], entry)
        for revision_id, earlier in approved_notes.items():
            notes[revision_id] = earlier + notes.get(revision_id, [])
    return notes, schedulers


def remarks(revisions, with_approvals=False):
    wanted = Q(data__has_key="comment") | Q(data__has_key="note") | Q(action=SCHEDULE_ACTION)
    if with_approvals:
        wanted |= Q(data__has_key=APPROVED_REVISIONS)
    return PageLogEntry.objects.filter(revisions, wanted).select_related("user").order_by("timestamp", "pk")


def add_note(notes, revision_id, entry):
    text = str(entry.data.get("note") or entry.data.get("comment") or "").strip()
    # A rejection's comment asked for changes: it does not describe the version published.
    if text and not entry.action.endswith(".reject"):
        author = display_name(entry.user) if entry.user else ""
        notes.setdefault(revision_id, []).append(Note(text, author))


def validator(entry, schedulers):
    """Who validated the version: who published it, or who scheduled it when a job published it."""
    if entry.user_id:
        return display_name(entry.user) if entry.user else "utilisateur supprimé"
    scheduler = schedulers.get(entry.revision_id)
    if scheduler:
        return f"{display_name(scheduler)} (publication programmée)"
    return "le système (action programmée)" if entry.action.endswith(".scheduled") else "le système"


def publication(entry, contents, service_names, notes, schedulers):
    model = entry.page.specific_class
    previous = contents.get(entry.previous_revision_id)
    if entry.action in UNPUBLISH_ACTIONS:
        return Publication(entry, model, previous or {}, [], validator(entry, schedulers))
    content = contents.get(entry.revision_id) or {}
    terms = terms_of(entry.page)
    changes = changes_between(model, previous, content, service_names, terms) if previous and content else []
    return Publication(
        entry, model, content, changes, validator(entry, schedulers), notes.get(entry.revision_id, [])
    )


def addresses(page, request):
    """The page's address and its history's; none for a page that agents cannot reach today."""
    if page is None or not page.live:
        return "", ""
    # The specific page knows its URL in a COP other than the current one (axes/cops.py); deferred, it
    # costs no query.
    url = page.specific_deferred.get_url(request)
    return url, url + HISTORY_PATH


def with_urls(lines, request):
    for line in lines:
        line.url, line.history_url = addresses(line.entry.page, request)
    return lines
