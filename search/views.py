from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from wagtail.models import Page

from axes.models import AmbitionPage, AxisPage, ProjectPage


def search(request):
    """Full-text search over the live COP pages that the agent may see."""
    query = request.GET.get("q", "").strip()
    results = Page.objects.none()
    if query:
        pages = Page.objects.live().public().type(AxisPage, AmbitionPage, ProjectPage)
        results = pages.specific().search(query)
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return TemplateResponse(request, "search/search.html", {"query": query, "results": page})
