"""The COP at a date, rebuilt from the publishing log, and two dates compared.

The version of a page live at a moment is the revision published last before that moment, unless
the page was withdrawn after it: one ordered pass over the publish and unpublish log entries gives
it for every page and every moment. A page's parent at a moment comes from its moves in the log
(Wagtail logs each with its source and destination), or is its parent today if it never moved since.
"""

from dataclasses import dataclass, field
from datetime import date

from wagtail.models import Page, PageLogEntry

from axes.cops import terms_of
from axes.models import AmbitionPage, AxisPage, ProjectPage
from axes.models.terminology import DEFAULT
from axes.tree import reference_sort_key

from .diff import changes_between, summary_of
from .publications import (
    PUBLISH_ACTIONS,
    UNPUBLISH_ACTIONS,
    addresses,
    cop_page_models,
    end_of_day,
    names_of_services,
    page_label,
    revision_contents,
)

MOVE_ACTION = "wagtail.move"
COUNTED = [("Axes", AxisPage), ("Ambitions", AmbitionPage), ("Projets", ProjectPage)]


def live_revisions_at(moments, reader):
    """[{page id: revision live then}] for each of `moments` (in order), and {page id: page model},
    for the pages that `reader` may see."""
    models = cop_page_models()
    events = (
        PageLogEntry.objects.filter(
            reader.visible_q("page__"),
            action__in=PUBLISH_ACTIONS + UNPUBLISH_ACTIONS,
            page__content_type_id__in=list(models),
            timestamp__lt=moments[-1],
        )
        .order_by("timestamp", "pk")
        .values_list("page_id", "page__content_type_id", "action", "revision_id", "timestamp")
    )
    snapshots, live, page_models = [], {}, {}
    pending = list(moments)
    for page_id, content_type_id, action, revision_id, timestamp in events:
        while timestamp >= pending[0]:
            snapshots.append(dict(live))
            pending.pop(0)
        page_models[page_id] = models[content_type_id]
        if action in PUBLISH_ACTIONS:
            live[page_id] = revision_id
        else:
            live.pop(page_id, None)
    snapshots.extend(dict(live) for _ in pending)
    return snapshots, page_models


def pages_and_parents_today(page_ids):
    pages = Page.objects.in_bulk(page_ids)
    parent_paths = {page.path[: -Page.steplen] for page in pages.values()}
    parent_ids = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "pk"))
    return pages, {pk: parent_ids.get(page.path[: -Page.steplen]) for pk, page in pages.items()}


def parents_at(page_ids, moments, parents_today):
    """[{page id: parent page id then}] for each of `moments`."""
    moves = {}
    for page_id, timestamp, data in (
        PageLogEntry.objects.filter(action=MOVE_ACTION, page_id__in=page_ids)
        .order_by("timestamp", "pk")
        .values_list("page_id", "timestamp", "data")
    ):
        moves.setdefault(page_id, []).append((timestamp, data["source"]["id"], data["destination"]["id"]))
    return [
        {
            page_id: parent_at(moves.get(page_id, []), moment, parents_today.get(page_id))
            for page_id in page_ids
        }
        for moment in moments
    ]


def parent_at(moves, moment, parent_today):
    """Where the last move before `moment` led, else where the first move after it started from."""
    destinations = [destination for timestamp, _, destination in moves if timestamp < moment]
    if destinations:
        return destinations[-1]
    sources = [source for timestamp, source, _ in moves if timestamp >= moment]
    return sources[0] if sources else parent_today


def version_at(snapshot, page_id, contents):
    """The content of the page's version live in `snapshot`; None if the page was not live."""
    return contents.get(snapshot[page_id], {}) if page_id in snapshot else None


@dataclass
class ProjectAtTwoDates:
    page: Page | None  # the page today, None if it was deleted since
    before: dict | None  # the version live at the first date, None if the project was not live then
    after: dict | None
    ambition_before: tuple  # (ambition page id, "Ambition n° 16 : its title" as it read then)
    ambition_after: tuple
    changes: list = field(default_factory=list)
    url: str = ""
    history_url: str = ""

    @property
    def content(self):
        return self.after or self.before or {}

    @property
    def reference(self):
        return self.content.get("reference", "")

    @property
    def title(self):
        return self.content.get("title", "")

    @property
    def moved(self):
        both = self.before is not None and self.after is not None
        return both and self.ambition_before[0] != self.ambition_after[0]

    @property
    def summary(self):
        return summary_of(self.changes)


@dataclass
class Comparison:
    start: date
    end: date
    counts: list  # (what, how many live at the first date, at the second)
    added: list
    removed: list
    moved: list
    changed: list


def compare(start, end, request, reader):
    """The projects added, removed, moved to another ambition and changed from `start` to `end`,
    among those that `reader` may see."""
    moments = [end_of_day(start), end_of_day(end)]
    snapshots, page_models = live_revisions_at(moments, reader)
    contents = revision_contents(set().union(*(snapshot.values() for snapshot in snapshots)))
    projects = projects_at(snapshots, moments, contents, page_models)
    with_changes(projects)
    with_page_urls(projects, request)
    projects.sort(key=lambda project: reference_sort_key(project.reference))
    return Comparison(
        start=start,
        end=end,
        counts=counts(snapshots, page_models),
        added=[project for project in projects if project.before is None],
        removed=[project for project in projects if project.after is None],
        moved=[project for project in projects if project.moved],
        changed=[project for project in projects if project.changes],
    )


def projects_at(snapshots, moments, contents, page_models):
    """Every project live at either moment, with its version and its ambition at each."""
    project_ids = [pk for pk in set().union(*snapshots) if page_models[pk] is ProjectPage]
    pages, parents_today = pages_and_parents_today(project_ids)
    parents = parents_at(project_ids, moments, parents_today)
    names = [ambition_names(snapshot, contents, page_models) for snapshot in snapshots]
    before, after = [
        {pk: (parent[pk], name.get(parent[pk], "")) for pk in project_ids}
        for parent, name in zip(parents, names, strict=True)
    ]
    return [
        ProjectAtTwoDates(
            page=pages.get(pk),
            before=version_at(snapshots[0], pk, contents),
            after=version_at(snapshots[1], pk, contents),
            ambition_before=before[pk],
            ambition_after=after[pk],
        )
        for pk in project_ids
    ]


def with_changes(projects):
    both = [project for project in projects if project.before and project.after]
    service_names = names_of_services(
        content for project in both for content in (project.before, project.after)
    )
    for project in both:
        terms = terms_of(project.page) if project.page else DEFAULT
        project.changes = changes_between(ProjectPage, project.before, project.after, service_names, terms)


def ambition_names(snapshot, contents, page_models):
    """{ambition page id: "Ambition n° 16 : its title"} as the ambitions read at that moment."""
    return {
        pk: f"{page_label(AmbitionPage, content)} : {content.get('title', '')}"
        for pk, revision in snapshot.items()
        if page_models[pk] is AmbitionPage and (content := contents.get(revision))
    }


def counts(snapshots, page_models):
    return [
        (what, *(sum(page_models[pk] is model for pk in snapshot) for snapshot in snapshots))
        for what, model in COUNTED
    ]


def with_page_urls(projects, request):
    for project in projects:
        project.url, project.history_url = addresses(project.page, request)
