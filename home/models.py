import re

from django.core.exceptions import ValidationError
from django.db import models
from django.http.request import split_domain_port
from django.utils.text import slugify

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from utils.typography import elide

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
        """ "COP de Meudon", "COP d’Issy", or "COP" alone."""
        return f"COP {elide('de', self.short_name)}" if self.short_name else "COP"

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
