from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from wagtail.models import PageManager

from ..addresses import address_taken
from ..tree import AMBITION_PATH_LENGTH, attach_children
from .ambition import AmbitionPage
from .project import ProjectPage
from .querysets import CopPageQuerySet
from .reading import NumberedPage
from .rollups import Rollup

ADDRESS_TAKEN = (
    "« {slug} » ne peut pas être le slug d'un axe : /{slug}/ est l'adresse d'une page du site, qui "
    "cacherait l'axe. Choisissez-en un autre, par exemple « {slug}-{number} »."
)
# One colour per axis, each dark enough to carry white text (contrast ≥ 4.5:1).
AXIS_COLOURS = [
    "#0b5394",
    "#6a1b9a",
    "#a52714",
    "#1b5e20",
    "#7a4500",
    "#37474f",
    "#00695c",
    "#ad1457",
    "#4e342e",
]


class AxisPage(NumberedPage):
    """A transverse axis of the COP: one chapter, holding numbered ambitions."""

    number = models.PositiveSmallIntegerField(
        "numéro",
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text="De 1 à 9, unique dans le COP.",
    )

    objects = PageManager.from_queryset(CopPageQuerySet)()

    parent_page_types = ["axes.HomePage"]
    subpage_types = ["axes.AmbitionPage"]
    # The explorer lists the ambitions by number (Wagtail's default is "updated").
    admin_default_ordering = "ambitionpage__number"
    level = "axis"
    body_names = ["ambitions", "rollup"]

    class Meta:
        verbose_name = "axe"
        verbose_name_plural = "axes"

    def clean(self):
        super().clean()
        if self.slug and address_taken(self.slug):
            raise ValidationError({"slug": ADDRESS_TAKEN.format(slug=self.slug, number=self.number or 1)})

    def get_admin_display_title(self):
        """ "Axe 2 · Titre", in every list of the admin."""
        return f"{self.label} · {super().get_admin_display_title()}"

    @property
    def colour(self):
        return AXIS_COLOURS[(self.number - 1) % len(AXIS_COLOURS)]

    def body_context(self, reader):
        """The ambitions and their projects, which the page's cached fragment spares it from computing."""
        projects = ProjectPage.objects.descendant_of(self)
        ambitions = list(AmbitionPage.objects.child_of(self).readable_by(reader).order_by("number"))
        attach_children(ambitions, projects.listed_for(reader), "live_projects")
        projects.attach_rollups(ambitions, AMBITION_PATH_LENGTH, reader)
        return {
            "ambitions": ambitions,
            "rollup": sum((ambition.rollup for ambition in ambitions), Rollup()),
        }
