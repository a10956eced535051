"""The indicators' reading pages: the list against their targets, and one indicator with its chart,
its values and their history. Only published indicators, of the COP being read, that the reader may
see (`Indicator.objects.readable_by`); their values as published, never a draft's."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from axes.filters import AxisServiceFilters
from axes.models import AxisPage
from axes.readers import Reader
from utils.pagination import page_links

from .chart import line_chart
from .filters import filtered
from .models import Indicator, IndicatorValue
from .progress import Progress
from .versions import publication_log, versions

INDICATORS_PER_PAGE = 25
VERSIONS_PER_PAGE = 10


@require_GET
def indicator_list(request):
    reader = Reader.of(request.user, request.cop)
    axes = list(reader.pages(AxisPage.objects.order_by("number")))
    # The owning service, and the axis of the ambitions and projects that an indicator measures.
    filters = AxisServiceFilters(
        request.GET or None, axes=axes, terms=request.cop.terms if request.cop else None
    )
    criteria = filters.criteria()
    indicators = filtered(Indicator.objects.readable_by(reader), criteria, reader).with_series()
    listing = Paginator(indicators.order_by("name", "pk"), INDICATORS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for indicator in listing:
        indicator.progress = Progress.of(indicator)
    context = {
        "filters": filters,
        "filtering": bool(criteria),
        "listing": listing,
        "page_links": page_links(listing, request.GET),
    }
    return TemplateResponse(request, "indicators/indicator_list.html", context)


@require_GET
def indicator_detail(request, slug):
    reader = Reader.of(request.user, request.cop)
    indicator = (
        Indicator.objects.readable_by(reader)
        .filter(slug=slug)
        .select_related("service", "cop")
        .prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.select_related("entered_by")), "targets"
        )
        .first()
    )
    if indicator is None:
        raise Http404(f"Aucun indicateur « {slug} » dans ce COP.")
    progress = indicator.progress = Progress.of(indicator)
    log = Paginator(publication_log(indicator), VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "indicator": indicator,
        "progress": progress,
        "chart": line_chart(progress),
        "ambitions": reader.pages(indicator.ambitions.order_by("number")),
        "projects": reader.pages(indicator.projects.order_by("path")),
        "versions": versions(indicator, log.object_list),
        "listing": log,
        "page_links": page_links(log, request.GET),
    }
    return TemplateResponse(request, "indicators/indicator_detail.html", context)
