"""The whole COP in one PDF, laid out part by part, its page numbers read from the laid-out chapters.

WeasyPrint can number a table of contents itself (`target-counter()` with leaders), but on the
demo COP that took some fifty seconds for eighteen pages, five times the budget, and the services'
index with a page number for each of its 600 lines took most of it. So each part (the cover and
contents, each chapter, the index) is laid out once; the anchors of the laid-out chapters give the
page of each axis, ambition and project; the pages are then put together into one document.

Their footers read "Page N / M": M is only known once every part is laid out, and WeasyPrint's
`counter(pages)` counts the pages of one document. So the parts are laid out without footers, and
the footers are laid out last, alone on blank pages of the same size, from which they are put onto
the booklet's pages: one more layout of a few lines, where laying the parts out again with the
total known would take as long as the booklet itself.

After a publication the worker lays the booklet out again, and a publication mostly changes one
chapter: a part whose HTML is the same as one of the last laid out is taken as it was laid out.
That is why the date of the last publication is in the footers, not in the parts.
"""

import copy
import threading
from functools import lru_cache

from django.template.loader import render_to_string

from weasyprint.formatting_structure.boxes import MarginBox

from . import pdf

TEMPLATE_FRONT = "printing/booklet_front.html"
TEMPLATE_CHAPTER = "printing/booklet_chapter.html"
TEMPLATE_INDEX = "printing/booklet_index.html"
TEMPLATE_FOOTERS = "printing/booklet_footers.html"
# Wider than any real page number, so that the contents take as many pages with the real ones.
PLACEHOLDER_PAGE_NUMBER = 9999
# A booklet's parts (the contents twice, up to nine chapters, the index, the footers), and those
# that the next publication changes: some 80 Mo for the demo COP.
PARTS_KEPT = 16


per_thread = threading.local()


def laid_out(html, base_url):
    """The part laid out from `html`, kept per thread: drawing a page changes its text for a while."""
    if not hasattr(per_thread, "laid_out"):
        per_thread.laid_out = lru_cache(maxsize=PARTS_KEPT)(pdf.lay_out)
    return per_thread.laid_out(html, base_url)


def render_part(template_name, context):
    return laid_out(render_to_string(template_name, context), context["site_url"])


def number_pages(pages_of_anchor, context):
    """Sets `page_number` on each axis, ambition and project from where its anchor was laid out."""
    for axis in context["axes"]:
        axis.page_number = pages_of_anchor.get(f"axe-{axis.number}", PLACEHOLDER_PAGE_NUMBER)
        for ambition in axis.printed_ambitions:
            ambition.page_number = pages_of_anchor.get(f"ambition-{ambition.number}", PLACEHOLDER_PAGE_NUMBER)
            for project in ambition.printed_projects:
                project.page_number = pages_of_anchor.get(f"projet-{project.pk}", PLACEHOLDER_PAGE_NUMBER)
    context["index_page_number"] = pages_of_anchor.get("index-des-services", PLACEHOLDER_PAGE_NUMBER)


def with_footers(page, footers_page):
    """A copy of `page` with the footers of `footers_page` on it; the part laid out stays as it was.

    WeasyPrint has no public way to lay a page over another: its laid-out page box is WeasyPrint
    70's (requirements.txt pins it; tests/test_printing.py reads the footers).
    """
    footers = [box for box in footers_page._page_box.children if isinstance(box, MarginBox)]
    page_box = page._page_box.copy()
    page_box.children = [*page_box.children, *footers]
    page = copy.copy(page)
    page._page_box = page_box
    page.links = [*page.links, *footers_page.links]
    return page


def add_footers(pages, context):
    footers = render_part(TEMPLATE_FOOTERS, {**context, "pages": range(len(pages))})
    return [with_footers(page, footers_page) for page, footers_page in zip(pages, footers.pages, strict=True)]


def render_booklet(context):
    """The booklet as one WeasyPrint document: cover and contents, the chapters, the services' index."""
    number_pages({}, context)
    front_length = len(render_part(TEMPLATE_FRONT, context).pages)
    pages_of_anchor, chapter_pages = {}, []
    for axis in context["axes"]:
        first_page = front_length + len(chapter_pages) + 1
        chapter = render_part(TEMPLATE_CHAPTER, {**context, "axis": axis})
        for offset, page in enumerate(chapter.pages):
            for anchor in page.anchors:
                pages_of_anchor.setdefault(anchor, first_page + offset)
        chapter_pages.extend(chapter.pages)
    pages_of_anchor["index-des-services"] = front_length + len(chapter_pages) + 1
    number_pages(pages_of_anchor, context)
    index = render_part(TEMPLATE_INDEX, context)
    front = render_part(TEMPLATE_FRONT, context)
    if len(front.pages) != front_length:
        raise RuntimeError("Le sommaire du COP a changé de longueur une fois numéroté.")
    return front.copy(add_footers([*front.pages, *chapter_pages, *index.pages], context))
