"""The COP's own words in templates (axes/models/terminology.py): `{{ project|status_label }}`,
`{{ ambition|label_nbsp }}` ("Ambition n°&nbsp;16"), `{{ ambition|number_nbsp }}` ("n°&nbsp;16"),
`{{ total|count_of:terms.project }}` ("3 projets"), `{{ total|plural_of:terms.axis }}` ("axes")."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from utils import typography

register = template.Library()


@register.filter
def status_label(project):
    """The project's status in its COP's words ("Engagé", or "En cours")."""
    return project.terms.status_label(project.status)


def glued(text):
    """The last space of `text` made non-breaking: the number never leaves its name."""
    head, _, number = text.rpartition(" ")
    if not head:
        return escape(text)
    return mark_safe(f"{escape(head)}&nbsp;{escape(number)}")


@register.filter
def label_nbsp(page):
    """ "Axe&nbsp;2", "Ambition n°&nbsp;16", "Objectif n°&nbsp;16"."""
    return glued(page.label)


@register.filter
def number_nbsp(page):
    """ "n°&nbsp;16" where the COP numbers its ambitions so, "16" where it does not."""
    numbering = getattr(page.terms, page.level).numbering
    return glued(f"{numbering}{page.number}")


@register.filter
def count_of(value, level):
    """ "1 projet", "3 fiches action"."""
    return level.count(int(value or 0))


@register.filter
def plural_of(value, level):
    """ "projet" or "projets", agreeing with `value`."""
    return typography.plural(int(value or 0), level.singular, level.plural)


@register.filter
def status_named(terms, code):
    """`{{ terms|status_named:"engage" }}`: one status in the COP's words, for a legend."""
    return terms.status_label(code)


@register.filter
def this(level):
    """ "cet axe", "cette orientation", "ce projet"."""
    return level.this


@register.filter
def none_of(level):
    """ "aucun projet", "aucune ambition"."""
    return f"{'aucune' if level.feminine else 'aucun'} {level.singular}"


@register.filter
def agreed(level, adjective):
    """`{{ terms.ambition|agreed:"publié" }}`: "publiée" after a feminine name."""
    return level.agreed(adjective)


@register.filter
def to(level):
    """ "au projet", "à la fiche action", "à l’axe"."""
    if level.the == f"le {level.singular}":
        return f"au {level.singular}"
    return f"à {level.the}"
