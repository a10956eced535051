from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404

from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager
from wagtail.url_routing import RouteResult

from ..tree import AMBITION_PATH_LENGTH, AXIS_PATH_LENGTH, attach_children
from .ambition import AmbitionPage
from .axis import AxisPage
from .project import ProjectPage
from .querysets import CopPageQuerySet
from .reading import ReaderBodyMixin
from .rollups import Rollup
from .services import Service
from .terminology import TerminologyFields

LATEST_CHANGES = 5


class HomePage(ReaderBodyMixin, TerminologyFields, Page):
    """A COP, holding its axes: the current one at `/`, the others under `/cops/<slug>/` (axes/cops.py)."""

    intro = RichTextField("introduction", blank=True, features=["bold", "italic", "link"])
    start_year = models.PositiveSmallIntegerField(
        "première année", null=True, blank=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        "dernière année", null=True, blank=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    archived = models.BooleanField(
        "archivé",
        default=False,
        help_text=(
            "Un COP archivé se lit mais ne se modifie plus : ni modification, ni proposition, ni import. "
            "Il n'apparaît dans la recherche que si on le demande."
        ),
    )

    objects = PageManager.from_queryset(CopPageQuerySet)()

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("start_year"), FieldPanel("end_year")], "Mandat"),
        FieldPanel("archived"),
        FieldPanel("intro"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Contenu"),
            ObjectList(TerminologyFields.terminology_panels, heading="Vocabulaire"),
            ObjectList(Page.promote_panels, heading="Promotion"),
            ObjectList(Page.settings_panels, heading="Paramètres", classname="settings"),
        ]
    )
    # What the read API (api/) writes of the COP's root, besides Wagtail's page fields.
    api_fields = ["intro", "start_year", "end_year", "archived"]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["axes.AxisPage"]
    # The explorer lists the axes by number, as the COP does.
    admin_default_ordering = "axispage__number"
    body_names = ["axes", "rollup", "ambition_count", "service_count", "latest_projects"]

    class Meta:
        # The table of the app that held the COP root before the domain did (axes/migrations/0002).
        db_table = "home_homepage"
        verbose_name = "COP"
        verbose_name_plural = "COP"

    def clean(self):
        super().clean()
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "La dernière année ne peut pas précéder la première."})

    @property
    def terms(self):
        """The COP's own words, as its fields say them now."""
        return self.terminology

    @property
    def period(self):
        """ "2020–2026", or empty."""
        years = [str(year) for year in (self.start_year, self.end_year) if year]
        return "–".join(years)

    @property
    def archive_label(self):
        """ "COP archivé (2020–2026)"."""
        return f"COP archivé ({self.period})" if self.period else "COP archivé"

    @property
    def read_only_message(self):
        """What refuses a change (an edit, a proposal, an import) to an archived COP."""
        return (
            f"{self.archive_label} : ce COP ne se modifie plus. "
            "Seul un administrateur peut le rouvrir, depuis sa page."
        )

    @classmethod
    def page_type_at(cls, depth):
        """The page type that the tree allows `depth` levels under the COP (`Page` where it allows
        several), or None where it allows none."""
        model = cls
        for _ in range(depth):
            allowed = model.allowed_subpage_models()
            if not allowed:
                return None
            model = allowed[0] if len(allowed) == 1 else Page
        return model

    def route(self, request, path_components):
        """Finds a COP page by its URL path in one query, where Wagtail would make two per level:
        the tree allows one type at each depth, so the specific model is known up front."""
        if not path_components:
            return super().route(request, path_components)
        page = self.page_at(path_components)
        if page is None or not page.live:
            raise Http404
        return RouteResult(page)

    def page_at(self, path_components):
        """The COP page, live or not, at this path under the COP, or None."""
        model = self.page_type_at(len(path_components))
        if model is None:
            return None
        url_path = self.url_path + "".join(f"{component}/" for component in path_components)
        page = model.objects.filter(url_path=url_path).first()
        return page.specific if page else None

    def body_context(self, reader):
        """The COP at a glance, which the page's cached fragment spares it from computing."""
        projects = ProjectPage.objects.descendant_of(self)
        axes = list(AxisPage.objects.child_of(self).readable_by(reader).order_by("number"))
        ambitions = list(AmbitionPage.objects.descendant_of(self).readable_by(reader).order_by("number"))
        projects.attach_rollups(ambitions, AMBITION_PATH_LENGTH, reader)
        projects.attach_rollups(axes, AXIS_PATH_LENGTH, reader)
        return {
            "axes": attach_children(axes, ambitions, "live_ambitions"),
            "rollup": sum((axis.rollup for axis in axes), Rollup()),
            "ambition_count": len(ambitions),
            "service_count": Service.objects.filter(reader.readable_q("project_links__content_object__"))
            .distinct()
            .count(),
            "latest_projects": list(
                projects.readable_by(reader)
                .select_related("pilot_service")
                .order_by("-last_published_at")[:LATEST_CHANGES]
            ),
        }
