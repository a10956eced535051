"""French typography in one place: counts and plurals, dates with "1er", elision, and the
non-breaking spaces that keep ":" or "»" from starting a line.

Templates use it through `{% load typography %}`; Python messages call it directly.
"""

import datetime
import re

from django.utils import formats, timezone

NBSP = "\u00a0"
# The narrow one, before ; ! ? as the Imprimerie nationale has it (and inside numbers).
NARROW_NBSP = "\u202f"
VOWELS = "aeiouyhàâäéèêëîïôöùûüÿœæ"
ELIDED = {"de": "d’", "le": "l’", "la": "l’", "que": "qu’", "ne": "n’", "je": "j’", "se": "s’"}


def number(value):
    """12 500: thousands grouped by a narrow non-breaking space, which never breaks a line."""
    return f"{value:,}".replace(",", NARROW_NBSP)


def plural(count, singular, plural_form=None):
    """The word that agrees with `count`: in French 0 and 1 take the singular ("0 résultat")."""
    return singular if abs(count) < 2 else (plural_form or f"{singular}s")


def count(value, singular, plural_form=None):
    """ "0 résultat", "1 projet", "12 500 projets", never split across two lines."""
    return f"{number(value)}{NBSP}{plural(value, singular, plural_form)}"


def local(date):
    """An aware datetime in the city's time zone, whose day it is there."""
    if isinstance(date, datetime.datetime) and timezone.is_aware(date):
        return timezone.localtime(date)
    return date


def day(date):
    """ "1er avril 2026", "2 avril 2026": the first of the month is an ordinal."""
    if not date:
        return ""
    date = local(date)
    first = "1er" if date.day == 1 else str(date.day)
    return f"{first}{NBSP}{formats.date_format(date, 'F Y')}"


def moment(date):
    """ "1er avril 2026 à 09:30"."""
    return f"{day(date)} à {local(date):%H:%M}" if date else ""


def elide(article, word):
    """ "de" + "Amy" → "d’Amy", "de" + "Simon" → "de Simon", "le" + "agent" → "l’agent"."""
    word = str(word)
    if article.lower() in ELIDED and word[:1].lower() in VOWELS:
        elided = ELIDED[article.lower()]
        return (elided.capitalize() if article[:1].isupper() else elided) + word
    return f"{article} {word}"


SPACE_BEFORE = re.compile(r"[ \t]+([;!?])")
SPACE_BEFORE_COLON = re.compile(r"[ \t]+(:|»)")
SPACE_AFTER = re.compile(r"«[ \t]+")


def spacing(text):
    """The spaces before ; : ! ? » and after « made non-breaking. Only spaces already typed are
    changed: "16:30" and "?page=2" stay as they are."""
    text = SPACE_BEFORE.sub(NARROW_NBSP + r"\1", text)
    text = SPACE_BEFORE_COLON.sub(NBSP + r"\1", text)
    return SPACE_AFTER.sub("«" + NBSP, text)
