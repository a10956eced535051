"""`/calendrier/`: the COP's projects on a timeline, for every agent."""

from functools import partial

from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from axes.readers import Reader
from utils.lazy import lazy_context

from .timeline import CalendarFilters, build_calendar, readable_axes


@require_GET
def calendar(request):
    # `request.cop` is lazy: with no COP at all, it stands for None, and the reader reads nothing.
    reader = Reader.of(request.user, request.cop)
    axes = readable_axes(reader)
    terms = request.cop.terms if request.cop else None
    filters = CalendarFilters(request.GET or None, axes=axes, terms=terms)
    axis, service = filters.chosen()
    today = timezone.localdate()
    context = {
        "filters": filters,
        "axis": axis,
        "service": service,
        # The calendar's fragment changes with the filters, and with the day (late milestones).
        "calendar_key": f"{axis and axis.number}|{service and service.slug}|{today.isoformat()}",
        **lazy_context(partial(calendar_of, reader, axes, axis, service, today), ["calendar"]),
    }
    return TemplateResponse(request, "followup/calendar.html", context)


def calendar_of(reader, axes, axis, service, today):
    return {"calendar": build_calendar(reader, axes, axis, service, today)}
