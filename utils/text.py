"""Text helpers that know nothing of the COP."""

from django.utils.text import slugify


def short_slug(title, limit=60):
    """An ASCII slug cut at a word boundary, so that page URLs stay short enough to share."""
    slug = slugify(title)
    return slug if len(slug) <= limit else slug[:limit].rsplit("-", 1)[0]


def thousands(number):
    """12 500 rather than 12500 or 12,500."""
    return f"{number:,}".replace(",", " ")
