"""The indicators' reading pages: the list against their targets, and one indicator with its chart."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from axes.readers import Reader

from .models import Indicator


def readable_indicators(request):
    return Indicator.objects.readable_by(Reader.of(request.user, request.cop))


@require_GET
def indicator_list(request):
    indicators = readable_indicators(request).with_series()
    return TemplateResponse(request, "indicators/indicator_list.html", {"indicators": indicators})


@require_GET
def indicator_detail(request, slug):
    indicator = readable_indicators(request).with_series().filter(slug=slug).first()
    if indicator is None:
        raise Http404(f"Aucun indicateur « {slug} ».")
    return TemplateResponse(request, "indicators/indicator_detail.html", {"indicator": indicator})
