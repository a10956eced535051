"""The site's own addresses, which an axis must not take: an axis lives at /<its slug>/, and the
site's views (/services/, /recherche/, /indicateurs/…) answer before the pages, so an axis of such a
slug, or its ambitions and projects, could never be read."""

from django.urls import Resolver404, resolve

from wagtail.coreutils import find_available_slug

from utils.text import short_slug

# The view that serves the current COP's pages. (The other COPs' are under /cops/, which is taken.)
PAGE_VIEW = "wagtail_serve"
# The axis's own address, and two below it, where its ambitions and projects would live.
PROBES = ("/{slug}/", "/{slug}/1/", "/{slug}/un-exemple/")


def address_taken(slug):
    """Whether one of the site's views answers at /<slug>/ or below it."""
    for probe in PROBES:
        try:
            match = resolve(probe.format(slug=slug))
        except Resolver404:
            continue
        if match.url_name != PAGE_VIEW:
            return True
    return False


def free_slug(parent, page, is_axis):
    """A slug for `page` under `parent`, from its title: free among its siblings (Wagtail's "-2") and,
    for an axis, not an address of the site's own views ("services-2")."""
    requested = short_slug(page.title) or "page"
    slug, number = find_available_slug(parent, requested), 1
    while is_axis and address_taken(slug):
        number += 1
        slug = find_available_slug(parent, f"{requested}-{number}")
    return slug
