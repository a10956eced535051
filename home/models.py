import re
from functools import partial

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.http.request import split_domain_port
from django.utils.text import slugify

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from axes import queries
from axes.models import AmbitionPage, AxisPage, ProjectPage, Service
from axes.readers import Reader
from utils.lazy import lazy_context

LATEST_CHANGES = 5
PAGE_TYPE_BY_DEPTH = {1: AxisPage, 2: AmbitionPage, 3: ProjectPage}


class HomePage(Page):
    """The COP itself: one per site, holding the axes."""

    intro = RichTextField("introduction", blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["axes.AxisPage"]
    max_count = 1

    class Meta:
        verbose_name = "page d'accueil du COP"
        verbose_name_plural = "pages d'accueil du COP"

    def route(self, request, path_components):
        """Finds a COP page by its URL path in one query, where Wagtail would make two per level.

        The page tree fixes the type at each depth, so the specific model is known up front.
        A page's own sub-route (`historique/`) is left to that page; anything else goes
        through Wagtail's routing.
        """
        page = self.cop_page(path_components)
        if page is not None:
            if not page.live:
                raise Http404
            return RouteResult(page)
        parent = self.cop_page(path_components[:-1]) if len(path_components) > 1 else None
        if parent is not None:
            return parent.route(request, path_components[-1:])
        return super().route(request, path_components)

    def cop_page(self, path_components):
        model = PAGE_TYPE_BY_DEPTH.get(len(path_components))
        url_path = self.url_path + "".join(f"{component}/" for component in path_components)
        return model.objects.filter(url_path=url_path).first() if model else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        names = ["axes", "rollup", "ambition_count", "service_count", "latest_projects"]
        context.update(lazy_context(partial(self.body_context, Reader.of(request.user)), names))
        return context

    def body_context(self, reader):
        """The COP at a glance, which the page's cached fragment spares it from computing."""
        projects = ProjectPage.objects.descendant_of(self)
        axes = list(reader.pages(AxisPage.objects.child_of(self)).order_by("number"))
        ambitions = list(reader.pages(AmbitionPage.objects.descendant_of(self)).order_by("number"))
        queries.attach_rollups(ambitions, projects, queries.AMBITION_PATH_LENGTH, reader)
        queries.attach_rollups(axes, projects, queries.AXIS_PATH_LENGTH, reader)
        return {
            "axes": queries.attach_children(axes, ambitions, "live_ambitions"),
            "rollup": sum((axis.rollup for axis in axes), queries.Rollup()),
            "ambition_count": len(ambitions),
            "service_count": Service.objects.filter(reader.readable_q("project_links__content_object__"))
            .distinct()
            .count(),
            "latest_projects": list(
                reader.pages(projects)
                .select_related("pilot_service")
                .order_by("-last_published_at")[:LATEST_CHANGES]
            ),
        }


HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# WCAG 2.1, 1.4.3 (AA): text of normal size and its background.
MIN_CONTRAST = 4.5


def relative_luminance(colour):
    """WCAG's relative luminance of a `#rrggbb` colour."""
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    red, green, blue = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_with_white(colour):
    return 1.05 / (relative_luminance(colour) + 0.05)


def validate_text_colour(value):
    """A `#rrggbb` colour that stays readable as text on white, and under white text."""
    if not HEX_COLOUR.match(value):
        raise ValidationError("Indiquez une couleur au format hexadécimal #rrvvbb, par exemple #0b4f8a.")
    contrast = contrast_with_white(value)
    if contrast < MIN_CONTRAST:
        raise ValidationError(
            f"Cette couleur contraste trop peu avec le blanc ({contrast:.1f}:1) : il faut au moins "
            f"{MIN_CONTRAST:g}:1 pour que les textes restent lisibles (RGAA, critère 3.2). Choisissez une "
            "teinte plus foncée."
        )


@register_setting(icon="site")
class CityIdentity(BaseSiteSetting):
    """Who publishes the COP: shown by the pages, the PDFs, the e-mails and the admin.

    Every field may stay empty: the site then speaks of "la ville" and its COP, never of another
    city. The demo (axes/demo) fills in its own.
    """

    name = models.CharField(
        "nom de la ville",
        max_length=100,
        blank=True,
        help_text="Tel qu'il s'affiche dans l'en-tête et les documents, par exemple « Ville de Meudon ».",
    )
    short_name = models.CharField(
        "nom court",
        max_length=50,
        blank=True,
        help_text=(
            "Pour les titres des pages, l'objet des courriels et le nom des PDF, par exemple « Meudon » "
            "(« COP de Meudon »)."
        ),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="logo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Facultatif : affiché dans l'en-tête du site et dans l'administration.",
    )
    primary_colour = models.CharField(
        "couleur principale",
        max_length=7,
        blank=True,
        validators=[validate_text_colour],
        help_text="Bandeau d'en-tête et boutons, en blanc sur cette couleur (#rrvvbb). Vide : bleu #0b4f8a.",
    )
    accent_colour = models.CharField(
        "couleur d'accent",
        max_length=7,
        blank=True,
        validators=[validate_text_colour],
        help_text="Liens et titres, sur fond blanc (#rrvvbb). Vide : la couleur principale.",
    )
    contact_service = models.CharField(
        "service à contacter",
        max_length=100,
        blank=True,
        help_text="Le service qui répond aux agents, par exemple « Relation usagers ».",
    )
    contact_email = models.EmailField("adresse électronique de contact", blank=True)
    contact_phone = models.CharField("téléphone de contact", max_length=30, blank=True)
    accessibility_organisation = models.CharField(
        "organisme de la déclaration d'accessibilité",
        max_length=150,
        blank=True,
        help_text="Le responsable nommé dans /accessibilite/. Vide : le nom de la ville.",
    )

    # The logo comes with the settings, in the same query.
    select_related = ["logo"]

    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("short_name"), FieldPanel("logo")], "Ville"),
        MultiFieldPanel([FieldPanel("primary_colour"), FieldPanel("accent_colour")], "Couleurs"),
        MultiFieldPanel(
            [FieldPanel("contact_service"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            "Contact",
        ),
        FieldPanel("accessibility_organisation"),
    ]

    class Meta:
        verbose_name = "identité de la ville"
        verbose_name_plural = "identités de la ville"

    @classmethod
    def for_site(cls, site):
        """The site's identity, or an empty one (not saved): reading a page never writes."""
        found = cls.base_queryset().filter(site=site).first() if site is not None else None
        return found or cls(site=site)

    @classmethod
    def for_request(cls, request):
        """The identity of the request's site, read once per request (by the context processor too).

        Where Wagtail has not looked the site up yet (a view that is not a page), the identity is
        found by the request's host in the same query, as Wagtail finds the site: the host and
        port, then the host, then the default site.
        """
        attr_name = cls.get_cache_attr_name()
        if not hasattr(request, attr_name):
            site = getattr(request, "_wagtail_site", None)  # Site.find_for_request's own cache
            identity = cls.for_site(site) if site is not None else cls.for_host(request)
            identity._request = request
            setattr(request, attr_name, identity)
        return getattr(request, attr_name)

    @classmethod
    def for_host(cls, request):
        hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()
        best = models.Case(
            models.When(site__hostname=hostname, site__port=port, then=0),
            models.When(site__hostname=hostname, site__is_default_site=True, then=1),
            models.When(site__is_default_site=True, then=2),
            default=3,
        )
        matching = models.Q(site__hostname=hostname) | models.Q(site__is_default_site=True)
        return cls.base_queryset().filter(matching).order_by(best).first() or cls()

    @classmethod
    def for_default_site(cls):
        """Outside a request (the PDFs' worker, the digests): the identity of the default site."""
        return cls.base_queryset().filter(site__is_default_site=True).first() or cls()

    def fingerprint(self):
        """What a document that shows this identity depends on (the PDFs' file names)."""
        fields = self._meta.concrete_fields
        return [getattr(self, field.attname) for field in fields if field.attname not in {"id", "site_id"}]

    @property
    def cop_name(self):
        """ "COP de Meudon", or "COP" alone."""
        return f"COP de {self.short_name}" if self.short_name else "COP"

    @property
    def file_slug(self):
        """ "meudon": what names the downloaded files, empty without a short name."""
        return slugify(self.short_name)

    @property
    def statement_organisation(self):
        return self.accessibility_organisation or self.name or "La ville"

    @property
    def has_contact(self):
        return bool(self.contact_email or self.contact_phone)

    @property
    def colour_style(self):
        """The stylesheet's custom properties that the colours set, for a `style` attribute."""
        primary, accent = self.primary_colour, self.accent_colour or self.primary_colour
        return "".join(
            f"{name}: {value};" for name, value in (("--primary", primary), ("--accent", accent)) if value
        )
