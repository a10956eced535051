"""Links between the pages of a paginated listing, the other query parameters kept."""

from django.http import QueryDict


def query_with(query, **changes):
    """`?` and `query` (a QueryDict or a dict) with `changes` applied; a None value removes a parameter."""
    result = QueryDict(mutable=True)
    result.update(query)
    for name, value in changes.items():
        result.pop(name, None)
        if value is not None:
            result[name] = value
    return f"?{result.urlencode()}" if result else "?"


def page_links(page, query):
    """The previous and next pages' links of the listing `page` (a Paginator page, or None)."""
    links = {}
    if page is not None and page.has_previous():
        links["previous"] = query_with(query, page=str(page.previous_page_number()))
    if page is not None and page.has_next():
        links["next"] = query_with(query, page=str(page.next_page_number()))
    return links
