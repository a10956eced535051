from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Subquery

from wagtail.models import PageManager

from ..cops import cop_of, cop_reverse
from .project import ProjectPage
from .querysets import CopPageQuerySet
from .reading import NumberedPage


class AmbitionPage(NumberedPage):
    """A political ambition of the mandate, numbered across the whole COP."""

    number = models.PositiveSmallIntegerField(
        "numéro",
        validators=[MinValueValidator(1)],
        help_text="Unique dans tout le COP, quel que soit l'axe.",
    )

    objects = PageManager.from_queryset(CopPageQuerySet)()

    parent_page_types = ["axes.AxisPage"]
    subpage_types = ["axes.ProjectPage"]
    # The explorer lists the projects by reference, 16.2 before 16.10 (Wagtail's default is "updated").
    admin_default_ordering = "projectpage__reference_order"
    level = "ambition"
    body_names = ["axis", "breadcrumbs", "projects", "rollup", "previous", "next"]

    class Meta:
        verbose_name = "ambition"
        verbose_name_plural = "ambitions"

    @staticmethod
    def short_url_for(number, cop=None):
        """`/ambitions/<n>/`: the address of ambition n in `cop` (the current COP by default), across
        moves and renamings."""
        return cop_reverse(cop, "ambition_shortlink", number=number)

    @property
    def short_url(self):
        return self.short_url_for(self.number, cop_of(self))

    def get_admin_display_title(self):
        """ "16 · Titre": the number that editors speak of, in every list of the admin."""
        return f"{self.number} · {super().get_admin_display_title()}"

    def body_context(self, reader):
        """The axis, projects and neighbours, which the page's cached fragments spare it from computing."""
        projects = ProjectPage.objects.child_of(self)
        live_ambitions = AmbitionPage.objects.readable_by(reader)
        axis = self.ancestor_above(1)
        before = live_ambitions.filter(number__lt=self.number).order_by("-number").values("number")[:1]
        after = live_ambitions.filter(number__gt=self.number).order_by("number").values("number")[:1]
        both = live_ambitions.filter(Q(number=Subquery(before)) | Q(number=Subquery(after)))
        neighbours = {neighbour.number < self.number: neighbour for neighbour in both}
        return {
            "axis": axis,
            "breadcrumbs": [axis],
            "projects": projects.listed_for(reader),
            "rollup": projects.rollup_for(reader),
            "previous": neighbours.get(True),
            "next": neighbours.get(False),
        }
