"""What changed between two published versions of a COP page, in words that agents read.

Pure functions over revision contents (the serialized page that Wagtail keeps in each revision):
no query here, so that callers load every version they show in a fixed number of queries.
"""

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import unescape

from django.utils.formats import date_format
from django.utils.html import strip_tags

from axes.models import AmbitionPage, AxisPage, ProjectPage, ProjectStatus
from axes.models.terminology import DEFAULT

# Words kept on each side of a change in a long text: a one-word edit must not reprint the body.
CONTEXT_WORDS = 8
ELLIPSIS = "…"
# Closing block tags become spaces, so that "<p>a</p><p>b</p>" reads "a b", not "ab".
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|div)>|<br\s*/?>", re.IGNORECASE)
SERVICE_GONE = "service supprimé"


@dataclass(frozen=True)
class Change:
    """One field that changed: old and new values, services added and removed, or the words."""

    label: str
    summary: str
    before: str = ""
    after: str = ""
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    words: tuple[tuple[str, str], ...] = ()  # ("same" | "del" | "ins", text) runs
    old_address: str = ""  # the short link that a new number or reference left behind
    lines: tuple[str, ...] = ()  # a list's changes, one per line: "ajouté : « Permis déposé »…"


def show_value(value, service_names, terms):
    return str(value)


def show_status(value, service_names, terms):
    """The status in the words of the page's COP."""
    return terms.status_label(value) if value in ProjectStatus.values else str(value)


def show_percent(value, service_names, terms):
    return f"{value} %"


def show_date(value, service_names, terms):
    return date_format(date.fromisoformat(value), "j F Y")


def show_service(value, service_names, terms):
    return service_names.get(value, SERVICE_GONE)


@dataclass(frozen=True)
class Field:
    name: str  # the key in the revision content
    label: str
    kind: str = "value"  # "value", "title", "text" (plain), "rich_text" (HTML) or "services"
    show: Callable = show_value
    empty: str = "non renseigné"
    short_url: Callable | None = None  # the short link that keeps the old number working


TITLE = Field("title", "Titre", kind="title")
INTRO = Field("intro", "Introduction", kind="rich_text")
FIELDS = {
    AxisPage: [Field("number", "Numéro"), TITLE, INTRO],
    AmbitionPage: [Field("number", "Numéro", short_url=AmbitionPage.short_url_for), TITLE, INTRO],
    ProjectPage: [
        Field("reference", "Référence", short_url=ProjectPage.short_url_for),
        TITLE,
        Field("summary", "Résumé", kind="text"),
        Field("body", "Description", kind="rich_text"),
        Field("status", "Statut", show=show_status),
        Field("progress", "Avancement", show=show_percent),
        Field("start_date", "Date de début", show=show_date, empty="non renseignée"),
        Field("due_date", "Échéance", show=show_date, empty="non renseignée"),
        Field("pilot_service", "Service pilote", show=show_service, empty="aucun"),
        Field("service_links", "Services", kind="services"),
        Field("milestones", "Jalons", kind="milestones"),
    ],
}


def changes_between(model, before, after, service_names, terms=DEFAULT):
    """The fields of a `model` page that differ from `before` to `after`, in reading order, in the
    words (`terms`) of the page's COP."""
    changes = (
        field_change(field, before.get(field.name), after.get(field.name), service_names, terms)
        for field in FIELDS[model]
    )
    return [change for change in changes if change]


def summary_of(changes):
    """The changes on one line: "statut : Engagé → Réalisé ; avancement : 40 % → 60 %"."""
    return " ; ".join(change.summary for change in changes)


def field_change(field, old, new, service_names, terms):
    if field.kind == "services":
        return services_change(field, old, new, service_names)
    if field.kind == "milestones":
        return milestones_change(field, old, new)
    if field.kind in ("title", "text", "rich_text"):
        return text_change(field, old, new)
    return value_change(field, old, new, service_names, terms)


def shown(field, value, service_names, terms):
    return field.empty if value in (None, "") else field.show(value, service_names, terms)


def value_change(field, old, new, service_names, terms):
    before, after = shown(field, old, service_names, terms), shown(field, new, service_names, terms)
    if before == after:
        return None
    old_address = field.short_url(old) if field.short_url and old not in (None, "") else ""
    summary = f"{field.label.lower()} : {before} → {after}"
    return Change(field.label, summary, before=before, after=after, old_address=old_address)


def readable_text(value, kind):
    """The text a reader sees: tags stripped from rich text, entities decoded, spaces collapsed."""
    text = value or ""
    if kind == "rich_text":
        text = unescape(strip_tags(BLOCK_END.sub(" ", text)))
    return " ".join(text.split())


def text_change(field, old, new):
    before, after = readable_text(old, field.kind), readable_text(new, field.kind)
    if before == after:
        return None
    if field.kind == "title":
        summary = f"{field.label.lower()} : « {before} » → « {after} »"
    else:
        summary = f"{field.label.lower()} : texte modifié"
    return Change(field.label, summary, before=before, after=after, words=word_diff(before, after))


def word_diff(before, after):
    """`after` against `before`, word by word, long unchanged runs shortened around the changes."""
    old, new = before.split(), after.split()
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    runs = []
    for index, (operation, i1, i2, j1, j2) in enumerate(opcodes):
        if operation == "equal":
            at_start, at_end = index == 0, index == len(opcodes) - 1
            runs.append(("same", shortened(old[i1:i2], at_start, at_end)))
            continue
        if i2 > i1:
            runs.append(("del", " ".join(old[i1:i2])))
        if j2 > j1:
            runs.append(("ins", " ".join(new[j1:j2])))
    return tuple(runs)


def shortened(words, at_start, at_end):
    """Keeps the words next to the changes around an unchanged run, and an ellipsis between."""
    keep_head = 0 if at_start else CONTEXT_WORDS
    keep_tail = 0 if at_end else CONTEXT_WORDS
    if len(words) <= keep_head + keep_tail + 2:
        return " ".join(words)
    return " ".join([*words[:keep_head], ELLIPSIS, *words[len(words) - keep_tail :]])


def service_ids(links):
    return {link["tag"] for link in links or []}


def services_change(field, old, new, service_names):
    before, after = service_ids(old), service_ids(new)
    added = names_in_order(after - before, service_names)
    removed = names_in_order(before - after, service_names)
    if not (added or removed):
        return None
    parts = [f"{plural('service ajouté', len(added))} : {', '.join(added)}"] if added else []
    if removed:
        parts.append(f"{plural('service retiré', len(removed))} : {', '.join(removed)}")
    return Change(field.label, " ; ".join(parts), added=tuple(added), removed=tuple(removed))


def names_in_order(ids, service_names):
    return sorted((service_names.get(pk, SERVICE_GONE) for pk in ids), key=alphabetical)


def alphabetical(name):
    """Sorts "Éducation" among the E, where a plain sort would put it after Z."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def plural(words, count):
    return " ".join(f"{word}s" for word in words.split()) if count > 1 else words


def milestone_pairs(old, new):
    """The milestones of two versions paired by id, then by title (a milestone first published has
    no id in its revision); and those left: added, removed."""
    old, new = list(old or []), list(new or [])
    pairs = []
    for same in (same_id, same_title):
        for milestone in list(new):
            earlier = next((candidate for candidate in old if same(candidate, milestone)), None)
            if earlier is not None:
                old.remove(earlier)
                new.remove(milestone)
                pairs.append((earlier, milestone))
    return pairs, new, old


def same_id(first, second):
    return first.get("pk") is not None and first.get("pk") == second.get("pk")


def same_title(first, second):
    return (
        readable_text(first.get("title"), "text").casefold()
        == readable_text(second.get("title"), "text").casefold()
    )


def milestone_facts(milestone):
    """{"title": "« Permis déposé »", "planned": "prévu le 3 mars 2025", "done": "non réalisé"}."""
    planned, done = milestone.get("planned_date"), milestone.get("done_date")
    return {
        "title": f"« {readable_text(milestone.get('title'), 'text')} »",
        "planned": f"prévu le {show_date(planned, {}, DEFAULT)}" if planned else "",
        "done": f"réalisé le {show_date(done, {}, DEFAULT)}" if done else "non réalisé",
    }


def told(facts, parts):
    return ", ".join(facts[part] for part in parts if facts[part])


def new_milestone_parts(milestone):
    """A new milestone is not done, unless it says so."""
    return ("title", "planned", "done") if milestone.get("done_date") else ("title", "planned")


def milestone_edit(before, after):
    """ "« Permis déposé » : non réalisé → réalisé le 3 mars 2025", or "" if nothing changed."""
    old, new = milestone_facts(before), milestone_facts(after)
    parts = [part for part in ("title", "planned", "done") if old[part] != new[part]]
    return f"{new['title']} : {told(old, parts)} → {told(new, parts)}" if parts else ""


def milestones_change(field, old, new):
    pairs, added, removed = milestone_pairs(old, new)
    lines = [
        *(f"ajouté : {told(milestone_facts(m), new_milestone_parts(m))}" for m in added),
        *(f"retiré : {milestone_facts(m)['title']}" for m in removed),
        *(edit for before, after in pairs if (edit := milestone_edit(before, after))),
    ]
    if not lines:
        return None
    return Change(field.label, f"{field.label.lower()} : {' ; '.join(lines)}", lines=tuple(lines))


def service_ids_in(content):
    """The services that a version names: its pilot and every service involved."""
    pilot = content.get("pilot_service")
    return service_ids(content.get("service_links")) | ({pilot} if pilot else set())
