from django.db import connection, transaction
from django.urls import Resolver404, resolve

# The admin's views that write a new revision of a page or a snippet from its editor's form.
EDITOR_NAMESPACES = ("wagtailadmin_pages", "wagtailsnippets_")
EDITOR_VIEWS = {"edit", "revisions_revert"}


class OneSaveAtATimeMiddleware:
    """Saves of one page or snippet from its editor, one after the other.

    Wagtail's editor autosaves its form every half second while it changes, and refuses an autosave
    that a newer revision has overtaken. But it reads the latest revision as the request starts and
    writes the new one later: an autosave processed beside the editor's own submission (by another
    worker) passes the check, then saves the older form over the submitted one, as the latest
    revision. A lock held for the request lets the second save read what the first one wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        edited = edited_object(request)
        if edited is None or connection.vendor != "postgresql":
            return self.get_response(request)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [edited])
            return self.get_response(request)


def edited_object(request):
    """ "wagtailadmin_pages:12" for a POST to page 12's editor; None for any other request."""
    if request.method != "POST":
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.url_name not in EDITOR_VIEWS or not match.namespace.startswith(EDITOR_NAMESPACES):
        return None
    pk = match.kwargs.get("page_id") or match.kwargs.get("pk")
    return f"{match.namespace}:{pk}" if pk else None
