"""The admin's page search, where a reference or a number finds its page first.

Editors speak of "16.2" and "l'ambition 16". Wagtail's search ranks them as words among others
(on SQLite "16.2" is two words, and "Bourse aux projets des 16-25 ans" came first); this search puts
the project with that reference, or the axis or ambition with that number, at the top.
"""

import re

from django.db.models import Q
from django.urls import path, reverse

from wagtail.admin.search import SearchArea
from wagtail.admin.views.pages.search import SearchView
from wagtail.admin.wagtail_hooks import PageSearchArea
from wagtail.models import Page

REFERENCE = re.compile(r"[0-9A-Za-z]+(?:[.-][0-9A-Za-z]+)*")


class CopPageSearchView(SearchView):
    # What the results' header counts ("1-2 sur 2 pages"); Wagtail's own leaves it unset ("None").
    verbose_name, verbose_name_plural = "page", "pages"
    index_url_name = "cop_admin_page_search"
    index_results_url_name = "cop_admin_page_search_results"

    def get_queryset(self):
        results = super().get_queryset()
        query = (self.search_query or "").strip()
        if self.ordering or not any(char.isdigit() for char in query) or not REFERENCE.fullmatch(query):
            return results
        exact = list(self.annotate_queryset(self.all_pages_named(query)))
        named = {page.pk for page in exact}
        return exact + [page for page in results if page.pk not in named]

    def all_pages_named(self, query):
        """The pages whose reference or number is `query`, among those the editor may explore."""
        named = Q(projectpage__reference__iexact=query)
        if query.isdigit():
            named |= Q(ambitionpage__number=int(query)) | Q(axispage__number=int(query))
        explorable = self.permission_policy.explorable_instances(self.request.user)
        pages = Page.objects.filter(named, pk__in=explorable.values_list("pk", flat=True))
        if self.selected_content_type:
            pages = pages.filter(content_type=self.selected_content_type)
        return pages


class CopPageSearchArea(PageSearchArea):
    """Wagtail's "Pages" search area, shown to the same people, pointing at the search above, and
    first: the sidebar's search box goes to the first area."""

    def __init__(self):
        SearchArea.__init__(
            self,
            "Pages",
            reverse("cop_admin_page_search"),
            name="pages",
            icon_name="folder-open-inverse",
            order=90,
        )


def admin_search_urls():
    view = CopPageSearchView.as_view
    return [
        path("cop/recherche/", view(), name="cop_admin_page_search"),
        path("cop/recherche/resultats/", view(results_only=True), name="cop_admin_page_search_results"),
    ]


def without_wagtails_page_search(request, search_areas):
    search_areas[:] = [area for area in search_areas if type(area) is not PageSearchArea]
