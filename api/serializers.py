"""How the API writes the COP's pages, services and indicators: the fields that the models'
`api_fields` name but that Wagtail would write otherwise (a status without its label, services one
query each, decimals as strings), and those computed here (the page's address on the site, its axis
and ambition, an indicator's series)."""

from django.conf import settings

from wagtail.api.v2.serializers import BaseSerializer, PageParentField, PageSerializer, get_serializer_class

from rest_framework import serializers
from rest_framework.fields import SkipField

from axes.cops import cop_reverse
from axes.models import Service
from utils.text import fold


def page_url(page, request):
    """The page's address for agents, on the site's public address (COP_BASE_URL), whatever host the
    API was asked on. The site's root paths are looked up once per request."""
    parts = page.get_url_parts(request=request._request)
    if parts is None or parts[2] is None:
        return None
    return settings.COP_BASE_URL + parts[2]


def detail_url(context, model, pk):
    """The object's address in the API, on the site's public address too."""
    path = context["router"].get_object_detail_urlpath(model, pk)
    return settings.COP_BASE_URL + path if path else None


class InstanceField(serializers.Field):
    """A read-only field computed from the whole instance."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return instance


class DetailUrlField(InstanceField):
    def get_attribute(self, instance):
        url = detail_url(self.context, type(instance), instance.pk)
        if url is None:
            raise SkipField
        return url

    def to_representation(self, url):
        return url


class PageUrlField(InstanceField):
    def to_representation(self, page):
        return page_url(page, self.context["request"])


class ShortUrlField(InstanceField):
    """/projets/<ref>/ or /ambitions/<n>/: the address that follows the page through renumbering."""

    def to_representation(self, page):
        return settings.COP_BASE_URL + page.short_url


class StatusField(InstanceField):
    def to_representation(self, project):
        return {"code": project.status, "label": project.get_status_display()}


def service_summary(service, context):
    return {
        "id": service.pk,
        "meta": {"type": "axes.Service", "detail_url": detail_url(context, Service, service.pk)},
        "name": service.name,
        "slug": service.slug,
    }


class ServiceField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, service):
        return service_summary(service, self.context)


class ServicesField(ServiceField):
    """Every service of the project, the pilot included, by name (accents aside), from the listing's
    prefetch."""

    def to_representation(self, services):
        by_name = sorted(services.all(), key=lambda service: fold(service.name))
        return [service_summary(service, self.context) for service in by_name]


class AncestorField(InstanceField):
    """The project's or ambition's axis, or the project's ambition, as the view found them for the
    whole listing (`context["ancestors"]`), or None where the reader may not read it."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return self.context["ancestors"].of(instance, self.model)

    def to_representation(self, page):
        return {
            "id": page.pk,
            "meta": {
                "type": page._meta.label,
                "detail_url": detail_url(self.context, type(page), page.pk),
                "html_url": page_url(page, self.context["request"]),
            },
            "number": page.number,
            "title": page.title,
        }


class CopParentField(PageParentField):
    """Wagtail's parent (a page that the reader may read, or None), with the site's address."""

    def to_representation(self, value):
        serializer_class = get_serializer_class(
            type(value),
            ["id", "type", "detail_url", "html_url", "title"],
            meta_fields=["type", "detail_url", "html_url"],
            base=CopPageSerializer,
        )
        return serializer_class(context=self.context).to_representation(value)


class CopSerializer(BaseSerializer):
    detail_url = DetailUrlField()


class CopPageSerializer(PageSerializer):
    detail_url = DetailUrlField()
    html_url = PageUrlField()
    parent = CopParentField(read_only=True)


class DirectionField(InstanceField):
    def to_representation(self, indicator):
        return {"code": indicator.direction, "label": indicator.get_direction_display()}


def number(value):
    """A decimal of the database as JSON writes a number: 35.5, 120 (not "35.5000")."""
    return int(value) if value == value.to_integral_value() else float(value)


class NumberField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return number(value)


class SeriesField(NumberField):
    """An indicator's targets or values, by date: [{"date": "2025-12-31", "value": 42.5}]."""

    def to_representation(self, rows):
        return [{"date": row.date.isoformat(), "value": number(row.value)} for row in rows.all()]


class IndicatorUrlField(InstanceField):
    def to_representation(self, indicator):
        return settings.COP_BASE_URL + cop_reverse(indicator.cop, "indicator_detail", slug=indicator.slug)


class MeasuredPagesField(serializers.Field):
    """The ambitions or projects that the indicator measures, those the reader may read (the view's
    prefetch): their number or reference and their title."""

    def __init__(self, number_field, **kwargs):
        self.number_field = number_field
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, pages):
        return [
            {"id": page.pk, self.number_field: getattr(page, self.number_field), "title": page.title}
            for page in pages.all()
        ]


class IndicatorSerializer(CopSerializer):
    html_url = IndicatorUrlField()
