"""Text helpers that know nothing of the COP."""

import re
import unicodedata
from functools import lru_cache

from django.utils.text import slugify


def short_slug(title, limit=60):
    """An ASCII slug cut at a word boundary, so that page URLs stay short enough to share."""
    slug = slugify(title)
    return slug if len(slug) <= limit else slug[:limit].rsplit("-", 1)[0]


def thousands(number):
    """12 500 rather than 12500 or 12,500."""
    return f"{number:,}".replace(",", " ")


@lru_cache(maxsize=8192)
def fold(text):
    """Lower case without accents: "Écoles" → "ecoles"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalise_name(text):
    """ "Échéance " → "echeance", "Service pilote" → "service_pilote": how headers and names match."""
    return re.sub(r"[\s\-]+", "_", fold(str(text).strip()))
