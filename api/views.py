"""The read API (Wagtail's API v2): the COP's pages, its services and its indicators, for the
intranet's other tools.

Every response follows the reader rule (axes/readers.py) as any signed-in agent reads the COP:
live pages and indicators only, never a page restricted to groups nor a draft's changes (the API
writes the live rows, never a revision). A client needs an active token; without one it gets a bare 401.
"""

import math
import re
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.urls import reverse

from wagtail.api import APIField
from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    FieldsFilter,
    OrderingFilter,
    SearchFilter,
)
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.models import Page

from rest_framework import exceptions, serializers, status
from rest_framework.filters import BaseFilterBackend
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from axes.models import AmbitionPage, AxisPage, HomePage, ProjectPage, ProjectService, ProjectStatus, Service
from axes.readers import Reader
from axes.tree import AMBITION_PATH_LENGTH, AXIS_PATH_LENGTH
from indicators.models import Indicator

from .authentication import CHALLENGE, ApiTokenAuthentication, HasApiToken, TokenRateThrottle
from .errors import Refusal, french
from .models import ApiToken
from .serializers import (
    AncestorField,
    CopPageSerializer,
    CopSerializer,
    DirectionField,
    IndicatorSerializer,
    MeasuredPagesField,
    NumberField,
    SeriesField,
    ServiceField,
    ServicesField,
    ShortUrlField,
    StatusField,
)

PAGE_TYPES = (HomePage, AxisPage, AmbitionPage, ProjectPage)
# Wagtail's parser of `fields` recurses once per bracket: a long one would exhaust Python's stack.
MAX_FIELDS_LENGTH = 500
# limit and offset: digits only, and few enough that PostgreSQL's OFFSET takes them.
NUMBER = re.compile(r"[0-9]{1,9}")


def error(status_code, message):
    return Response({"message": message}, status=status_code)


class CopPagination(WagtailPagination):
    """Wagtail's limit and offset, refused in French, and an offset past the end is an empty page."""

    def paginate_queryset(self, queryset, request, view=None):
        limit_max = settings.WAGTAILAPI_LIMIT_MAX
        offset = self.number(request, "offset", 0, "offset attend un entier positif ou nul.")
        limit = self.number(
            request, "limit", min(20, limit_max), f"limit attend un entier entre 0 et {limit_max}."
        )
        if limit > limit_max:
            raise Refusal(f"limit ne peut pas dépasser {limit_max}.")
        self.view = view
        self.total_count = queryset.count()
        return list(queryset[offset : offset + limit]) if offset < self.total_count else []

    @staticmethod
    def number(request, name, default, message):
        value = request.GET.get(name)
        if value is None:
            return default
        if not NUMBER.fullmatch(value):
            raise Refusal(message)
        return int(value)


class CopFieldsFilter(FieldsFilter):
    """Wagtail's filters on fields (`?status=engage`, `?reference=16.1`): a value that the field
    cannot take (`?due_date=demain`) is a 400, not a 500."""

    def filter_queryset(self, request, queryset, view):
        try:
            return super().filter_queryset(request, queryset, view)
        except ValidationError as invalid:
            raise Refusal(f"Valeur invalide pour un filtre : {' '.join(invalid.messages)}") from invalid


class CopOrderingFilter(OrderingFilter):
    """Wagtail's `?order=`, but not on a field of many values (`services`), whose rows would repeat."""

    def filter_queryset(self, request, queryset, view):
        for name in request.GET.get("order", "").split(","):
            field = next((f for f in queryset.model._meta.get_fields() if f.name == name.lstrip("-")), None)
            if field is not None and (field.many_to_many or field.one_to_many):
                raise Refusal(f"Tri impossible sur « {name} » : ce champ a plusieurs valeurs.")
        return super().filter_queryset(request, queryset, view)


class ProjectFilter(BaseFilterBackend):
    """`?service=<slug>`: the projects that this service leads or partners; `?status=` checked."""

    def filter_queryset(self, request, queryset, view):
        if "status" in request.GET and request.GET["status"] not in ProjectStatus.values:
            codes = ", ".join(ProjectStatus.values)
            raise Refusal(f"Statut inconnu : « {request.GET['status']} ». Les statuts sont {codes}.")
        if "service" not in request.GET:
            return queryset
        if not issubclass(queryset.model, ProjectPage):
            raise Refusal("Le filtre service s'applique aux projets : ajoutez type=axes.ProjectPage.")
        involved = ProjectService.objects.filter(tag__slug=request.GET["service"]).values("content_object_id")
        # By id: a search (`?search=`) filters only on the fields that it indexes.
        return queryset.filter(id__in=involved)


class CopAPIMixin:
    """What every endpoint of the COP's API does: a token, its rate, JSON only, never cached, and
    its refusals in French."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [HasApiToken]
    throttle_classes = [TokenRateThrottle]
    renderer_classes = [JSONRenderer]
    pagination_class = CopPagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        for name, value in request.GET.items():
            if "\x00" in name or "\x00" in value:
                raise Refusal("Un paramètre ne peut pas contenir de caractère nul.")
        if len(request.GET.get("fields", "")) > MAX_FIELDS_LENGTH:
            raise Refusal(f"Le paramètre fields dépasse {MAX_FIELDS_LENGTH} caractères.")
        if request.GET.get("search_operator", "and") not in {"and", "or"}:
            raise Refusal("search_operator vaut and ou or.")
        if request.GET.get("rich_text_format", "db_html") != "db_html":
            # The other formats look up each linked page: as many queries as links in a listing.
            raise Refusal("Le texte riche n'est servi qu'au format db_html.")

    # What OPTIONS says of the endpoint (DRF's viewsets reset `name` and `description`).
    view_title = view_description = ""

    def get_view_name(self):
        return self.view_title

    def get_view_description(self, html=False):
        return self.view_description

    def check_query_parameters(self, queryset):
        allowed = (
            set(self.get_available_fields(queryset.model, db_fields_only=True)) | self.known_query_parameters
        )
        unknown = sorted(set(self.request.GET) - allowed)
        if unknown:
            raise Refusal(
                f"Paramètres inconnus pour ce type : {', '.join(unknown)}. Un filtre porte sur un champ "
                "du type demandé (type=axes.ProjectPage pour ceux des projets)."
            )

    def find_object(self, queryset, request):
        if "id" in request.GET and not NUMBER.fullmatch(request.GET["id"]):
            raise Refusal("id attend un entier positif.")
        return super().find_object(queryset, request)

    def has_token(self):
        try:
            return isinstance(self.request.auth, ApiToken)
        except exceptions.APIException:
            return False

    def handle_exception(self, exc):
        if not self.has_token():
            # Nothing for a client without a valid token: not even what was wrong with its request.
            response = HttpResponse(status=status.HTTP_401_UNAUTHORIZED)
            response["WWW-Authenticate"] = CHALLENGE
            return response
        if isinstance(exc, BadRequestError):
            return error(status.HTTP_400_BAD_REQUEST, french(exc))
        if isinstance(exc, Http404):
            return error(status.HTTP_404_NOT_FOUND, "Introuvable : rien de publié ne répond à cette adresse.")
        if isinstance(exc, exceptions.Throttled):
            wait = math.ceil(exc.wait or 1)
            response = error(
                status.HTTP_429_TOO_MANY_REQUESTS,
                f"Trop de requêtes pour ce jeton ({settings.COP_API_RATE}) : réessayez dans {wait} s.",
            )
            response["Retry-After"] = str(wait)
            return response
        if isinstance(exc, exceptions.MethodNotAllowed):
            return error(
                status.HTTP_405_METHOD_NOT_ALLOWED,
                f"L'API est en lecture seule : la méthode {self.request.method} n'y est pas permise.",
            )
        if isinstance(exc, exceptions.NotAcceptable):
            return error(status.HTTP_406_NOT_ACCEPTABLE, "L'API ne répond qu'en JSON (application/json).")
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # An application's answer, for it alone: no shared cache, no browser cache, no page cache.
        response["Cache-Control"] = "private, no-store"
        return response

    @cached_property
    def reader(self):
        """What the API reads: what any signed-in agent reads (one query a request)."""
        return Reader.of()


class Ancestors:
    """The axes and ambitions above some pages that the reader may read, looked up (one query a
    level) the first time a field asks."""

    LEVELS = {AxisPage: AXIS_PATH_LENGTH, AmbitionPage: AMBITION_PATH_LENGTH}

    def __init__(self, pages, reader):
        self.pages, self.reader = pages, reader

    @cached_property
    def by_path(self):
        found = {}
        for model, length in self.LEVELS.items():
            paths = {page.path[:length] for page in self.pages if len(page.path) > length}
            if paths:
                found.update(
                    (page.path, page) for page in self.reader.pages(model.objects.filter(path__in=paths))
                )
        return found

    def of(self, page, model):
        length = self.LEVELS[model]
        return self.by_path.get(page.path[:length]) if len(page.path) > length else None


# Fields of the domain's `api_fields` that the API writes its own way.
FIELD_SERIALIZERS = {"status": StatusField, "pilot_service": ServiceField, "services": ServicesField}
# Fields computed here, per page type.
COMPUTED_FIELDS = {
    AmbitionPage: [APIField("short_url", ShortUrlField()), APIField("axis", AncestorField(AxisPage))],
    ProjectPage: [
        APIField("short_url", ShortUrlField()),
        APIField("axis", AncestorField(AxisPage)),
        APIField("ambition", AncestorField(AmbitionPage)),
    ],
}
# What a listing of one type shows without `fields=`: enough to list them, not their texts.
LISTING_FIELDS = {
    AxisPage: ["number"],
    AmbitionPage: ["number", "axis"],
    ProjectPage: [
        "reference",
        "status",
        "progress",
        "start_date",
        "due_date",
        "pilot_service",
        "services",
        "axis",
        "ambition",
    ],
}


class CopPagesAPIViewSet(CopAPIMixin, PagesAPIViewSet):
    """The COP's live pages: its root, axes, ambitions and projects."""

    view_title = "Pages du COP"
    view_description = "Les pages publiées du COP : axes, ambitions et projets."
    base_serializer_class = CopPageSerializer
    filter_backends = [
        CopFieldsFilter,
        ProjectFilter,
        ChildOfFilter,
        AncestorOfFilter,
        DescendantOfFilter,
        CopOrderingFilter,
        SearchFilter,  # last, as in Wagtail: search results cannot be filtered further
    ]
    # No locale or site (one language, one site), and no alias_of: it would name a page that the
    # reader may not read.
    known_query_parameters = (
        PagesAPIViewSet.known_query_parameters - {"locale", "translation_of", "site"}
    ) | {"service"}
    meta_fields = [field for field in PagesAPIViewSet.meta_fields if field not in {"alias_of", "locale"}] + [
        "last_published_at"
    ]
    listing_default_fields = PagesAPIViewSet.listing_default_fields + ["last_published_at"]

    @classmethod
    def get_body_fields(cls, model):
        return super().get_body_fields(model) + COMPUTED_FIELDS.get(model, [])

    @classmethod
    def get_field_serializer_overrides(cls, model):
        overrides = super().get_field_serializer_overrides(model)
        for name in cls.get_body_fields_names(model):
            if name in FIELD_SERIALIZERS:
                overrides.setdefault(name, FIELD_SERIALIZERS[name]())
        return overrides

    @classmethod
    def get_listing_default_fields(cls, model):
        return super().get_listing_default_fields(model) + LISTING_FIELDS.get(model, [])

    @classmethod
    def get_detail_default_fields(cls, model):
        # Every field (Wagtail's own method would take "locale" out, which is not there).
        return cls.get_available_fields(model)

    def get_base_queryset(self):
        return self.reader.pages(Page.objects.type(*PAGE_TYPES))

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset.model is ProjectPage:
            queryset = queryset.select_related("pilot_service").prefetch_related("services")
        return queryset.order_by("path")

    def paginate_queryset(self, queryset):
        self.listed = super().paginate_queryset(queryset)
        return self.listed

    def get_serializer_context(self):
        context = super().get_serializer_context()
        pages = self.listed if hasattr(self, "listed") else [self.get_object()]
        context["ancestors"] = Ancestors(pages, self.reader)
        return context


def readable_count(queryset, service_field):
    """How many rows of `queryset` each service has, as a subquery of the services' query."""
    counts = (
        queryset.filter(**{service_field: OuterRef("pk")})
        .order_by()
        .values(service_field)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts), 0)


class ServicesAPIViewSet(CopAPIMixin, BaseAPIViewSet):
    """The city's services, with how many readable projects each leads and is involved in."""

    view_title = "Services"
    view_description = "Les services de la ville et leurs nombres de projets publiés."
    name = "services"
    model = Service
    base_serializer_class = CopSerializer
    filter_backends = [CopFieldsFilter, CopOrderingFilter]
    counts = [
        APIField("project_count", serializers.IntegerField(read_only=True)),
        APIField("pilot_count", serializers.IntegerField(read_only=True)),
    ]

    @classmethod
    def get_body_fields(cls, model):
        return super().get_body_fields(model) + cls.counts

    @classmethod
    def get_listing_default_fields(cls, model):
        return cls.get_available_fields(model)

    def get_queryset(self):
        reader = self.reader
        return Service.objects.annotate(
            project_count=readable_count(
                ProjectService.objects.filter(reader.readable_q("content_object__")), "tag"
            ),
            pilot_count=readable_count(reader.pages(ProjectPage.objects.all()), "pilot_service"),
        ).order_by("name")


# Every field of an indicator: its values and targets as published, never a draft's.
INDICATOR_FIELDS = [
    APIField("name"),
    APIField("slug"),
    APIField("definition"),
    APIField("unit"),
    APIField("direction", DirectionField()),
    APIField("service", ServiceField()),
    APIField("source"),
    APIField("update_months"),
    APIField("baseline_value", NumberField()),
    APIField("baseline_date"),
    APIField("targets", SeriesField()),
    APIField("values", SeriesField()),
    APIField("ambitions", MeasuredPagesField("number")),
    APIField("projects", MeasuredPagesField("reference")),
]


class IndicatorsAPIViewSet(CopAPIMixin, BaseAPIViewSet):
    """The COP's published indicators that the reader may read (`Indicator.objects.readable_by`),
    with the ambitions and projects they measure that the reader may read."""

    view_title = "Indicateurs"
    view_description = "Les indicateurs publiés du COP, leurs cibles et leurs valeurs publiées."
    name = "indicators"
    model = Indicator
    base_serializer_class = IndicatorSerializer
    filter_backends = [CopFieldsFilter, CopOrderingFilter]
    meta_fields = BaseAPIViewSet.meta_fields + ["html_url"]

    @classmethod
    def get_body_fields(cls, model):
        return super().get_body_fields(model) + INDICATOR_FIELDS

    @classmethod
    def get_listing_default_fields(cls, model):
        return cls.get_available_fields(model)

    def get_queryset(self):
        reader = self.reader
        return (
            Indicator.objects.readable_by(reader)
            .select_related("service", "cop")
            .prefetch_related(
                "targets",
                "values",
                Prefetch("ambitions", queryset=reader.pages(AmbitionPage.objects.order_by("number"))),
                Prefetch("projects", queryset=reader.pages(ProjectPage.objects.order_by("path"))),
            )
            .order_by("name", "pk")
        )


class ApiRootView(CopAPIMixin, APIView):
    """`/api/v2/`: where the endpoints are."""

    view_title = "API de lecture du COP"
    view_description = "Les points d'accès de l'API : pages, services et indicateurs."
    endpoints = ("pages", "services", "indicators")

    def get(self, request):
        return Response(
            {name: settings.COP_BASE_URL + reverse(f"wagtailapi:{name}:listing") for name in self.endpoints}
        )
