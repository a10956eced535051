"""Text helpers for French search: accent folding, and highlighting the words that matched."""

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from utils.text import fold

WORD = re.compile(r"\w+", re.UNICODE)
# Words too common to highlight: they match everywhere and say nothing.
STOP_WORDS = {
    "de",
    "des",
    "du",
    "la",
    "le",
    "les",
    "un",
    "une",
    "et",
    "en",
    "a",
    "au",
    "aux",
    "pour",
    "l",
    "d",
}


@lru_cache(maxsize=8192)
def stem(word):
    """A rough French stem for highlighting: plural and feminine endings dropped."""
    word = fold(word)
    for ending in ("ements", "ement", "iques", "ique", "es", "s", "x", "e"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def query_stems(query):
    return {stem(word) for word in WORD.findall(query) if fold(word) not in STOP_WORDS and len(word) > 1}


def highlight(text, query, limit=260):
    """`text` escaped, cut around the first match, with the matching words in <mark>."""
    stems = query_stems(query)
    words = list(WORD.finditer(text))
    matches = [word for word in words if any(stem(word.group()).startswith(s) for s in stems if s)]
    start = 0
    if matches and matches[0].start() > limit // 2:
        start = text.rfind(" ", 0, matches[0].start() - limit // 3) + 1
    end = min(len(text), start + limit)
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    parts, position = [], start
    for word in matches:
        if word.start() < start or word.end() > end:
            continue
        parts += [escape(text[position : word.start()]), f"<mark>{escape(word.group())}</mark>"]
        position = word.end()
    parts.append(escape(text[position:end]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)
