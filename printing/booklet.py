"""The whole COP in one PDF, laid out part by part, its page numbers read from the laid-out chapters.

WeasyPrint can number a table of contents itself (`target-counter()` with leaders), but on the
demo COP that took some fifty seconds for eighteen pages, five times the budget, and the services'
index with a page number for each of its 600 lines took most of it. So each part (the cover and
contents, each chapter, the index) is laid out once, starting at its own page number; the anchors
of the laid-out chapters give the page of each axis, ambition and project; the pages are then put
together into one document.
"""

from . import pdf

TEMPLATE_FRONT = "printing/booklet_front.html"
TEMPLATE_CHAPTER = "printing/booklet_chapter.html"
TEMPLATE_INDEX = "printing/booklet_index.html"
# Wider than any real page number, so that the contents take as many pages with the real ones.
PLACEHOLDER_PAGE_NUMBER = 9999


def first_page_css(number):
    return f"@page :first {{ counter-reset: page {number}; }}"


def render_part(template_name, context, first_page=1):
    return pdf.render_document(
        template_name, context, context["site_url"], extra_css=first_page_css(first_page)
    )


def number_pages(pages_of_anchor, context):
    """Sets `page_number` on each axis, ambition and project from where its anchor was laid out."""
    for axis in context["axes"]:
        axis.page_number = pages_of_anchor.get(f"axe-{axis.number}", PLACEHOLDER_PAGE_NUMBER)
        for ambition in axis.printed_ambitions:
            ambition.page_number = pages_of_anchor.get(f"ambition-{ambition.number}", PLACEHOLDER_PAGE_NUMBER)
            for project in ambition.printed_projects:
                project.page_number = pages_of_anchor.get(f"projet-{project.pk}", PLACEHOLDER_PAGE_NUMBER)
    context["index_page_number"] = pages_of_anchor.get("index-des-services", PLACEHOLDER_PAGE_NUMBER)


def render_booklet(context):
    """The booklet as one WeasyPrint document: cover and contents, the chapters, the services' index."""
    number_pages({}, context)
    front_length = len(render_part(TEMPLATE_FRONT, context).pages)
    pages_of_anchor, chapter_pages = {}, []
    for axis in context["axes"]:
        first_page = front_length + len(chapter_pages) + 1
        chapter = render_part(TEMPLATE_CHAPTER, {**context, "axis": axis}, first_page)
        for offset, page in enumerate(chapter.pages):
            for anchor in page.anchors:
                pages_of_anchor.setdefault(anchor, first_page + offset)
        chapter_pages.extend(chapter.pages)
    pages_of_anchor["index-des-services"] = front_length + len(chapter_pages) + 1
    number_pages(pages_of_anchor, context)
    index = render_part(TEMPLATE_INDEX, context, pages_of_anchor["index-des-services"])
    front = render_part(TEMPLATE_FRONT, context)
    if len(front.pages) != front_length:
        raise RuntimeError("Le sommaire du COP a changé de longueur une fois numéroté.")
    return front.copy([*front.pages, *chapter_pages, *index.pages])
