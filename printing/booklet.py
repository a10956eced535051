"""The whole COP in one PDF, laid out part by part, its page numbers read from the laid-out chapters.

WeasyPrint can number a table of contents itself (`target-counter()` with leaders), but on the
demo COP that took some fifty seconds for eighteen pages, five times the budget, and the services'
index with a page number for each of its 600 lines took most of it. So each part (the cover and
contents, the chapters, the index) is laid out once; the anchors of the laid-out chapters give the
page of each axis, ambition and project; the pages are then put together into one document.

Their footers read "Page N / M": M is only known once every part is laid out, and WeasyPrint's
`counter(pages)` counts the pages of one document. So the parts are laid out without page
numbers, and the numbers are laid out last, alone on blank pages of the same size, from which
they are moved onto the booklet's pages: one more layout of a few footers, where laying the parts
out again with the total known would take as long as the booklet itself.
"""

from weasyprint.formatting_structure.boxes import MarginBox

from . import pdf

TEMPLATE_FRONT = "printing/booklet_front.html"
TEMPLATE_CHAPTERS = "printing/booklet_chapters.html"
TEMPLATE_INDEX = "printing/booklet_index.html"
TEMPLATE_PAGE_NUMBERS = "printing/booklet_page_numbers.html"
# Wider than any real page number, so that the contents take as many pages with the real ones.
PLACEHOLDER_PAGE_NUMBER = 9999


def render_part(template_name, context):
    return pdf.render_document(template_name, context, context["site_url"])


def number_pages(pages_of_anchor, context):
    """Sets `page_number` on each axis, ambition and project from where its anchor was laid out."""
    for axis in context["axes"]:
        axis.page_number = pages_of_anchor.get(f"axe-{axis.number}", PLACEHOLDER_PAGE_NUMBER)
        for ambition in axis.printed_ambitions:
            ambition.page_number = pages_of_anchor.get(f"ambition-{ambition.number}", PLACEHOLDER_PAGE_NUMBER)
            for project in ambition.printed_projects:
                project.page_number = pages_of_anchor.get(f"projet-{project.pk}", PLACEHOLDER_PAGE_NUMBER)
    context["index_page_number"] = pages_of_anchor.get("index-des-services", PLACEHOLDER_PAGE_NUMBER)


def pages_of_anchors(part, first_page):
    """{anchor: the booklet's page where it is first laid out} for a part starting at `first_page`."""
    pages = {}
    for offset, page in enumerate(part.pages):
        for anchor in page.anchors:
            pages.setdefault(anchor, first_page + offset)
    return pages


def add_page_numbers(booklet, site_url):
    """Lays out "Page N / M" for the booklet's pages, and moves each footer onto its page."""
    numbers = pdf.render_document(TEMPLATE_PAGE_NUMBERS, {"pages": range(len(booklet.pages))}, site_url)
    for page, numbered in zip(booklet.pages, numbers.pages, strict=True):
        # WeasyPrint has no public way to lay one page over another: its laid-out page box is
        # WeasyPrint 70's (requirements.txt pins it; tests/test_printing.py reads the numbers).
        footers = [box for box in numbered._page_box.children if isinstance(box, MarginBox)]
        page._page_box.children = [*page._page_box.children, *footers]
    return booklet


def render_booklet(context):
    """The booklet as one WeasyPrint document: cover and contents, the chapters, the services' index."""
    number_pages({}, context)
    front_length = len(render_part(TEMPLATE_FRONT, context).pages)
    chapters = render_part(TEMPLATE_CHAPTERS, context)
    pages_of_anchor = pages_of_anchors(chapters, front_length + 1)
    pages_of_anchor["index-des-services"] = front_length + len(chapters.pages) + 1
    number_pages(pages_of_anchor, context)
    index = render_part(TEMPLATE_INDEX, context)
    front = render_part(TEMPLATE_FRONT, context)
    if len(front.pages) != front_length:
        raise RuntimeError("Le sommaire du COP a changé de longueur une fois numéroté.")
    booklet = front.copy([*front.pages, *chapters.pages, *index.pages])
    return add_page_numbers(booklet, context["site_url"])
