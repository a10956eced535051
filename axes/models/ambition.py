from functools import partial

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Subquery

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from history.pages import PageWithHistory
from utils.lazy import lazy_context

from ..readers import Reader
from .project import ProjectPage


class AmbitionPage(PageWithHistory, Page):
    """A political ambition of the mandate, numbered across the whole COP."""

    number = models.PositiveSmallIntegerField(
        "numéro",
        unique=True,
        validators=[MinValueValidator(1)],
        help_text="Unique dans tout le COP, quel que soit l'axe.",
        error_messages={"unique": "Une autre ambition du COP porte déjà ce numéro."},
    )
    intro = RichTextField("introduction", blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("number"), FieldPanel("intro")]

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.FilterField("number"),
    ]

    parent_page_types = ["axes.AxisPage"]
    subpage_types = ["axes.ProjectPage"]

    class Meta:
        verbose_name = "ambition"
        verbose_name_plural = "ambitions"

    @property
    def label(self):
        return f"Ambition n° {self.number}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        names = ["axis", "breadcrumbs", "projects", "rollup", "previous", "next"]
        context.update(lazy_context(partial(self.body_context, Reader.of(request.user)), names))
        return context

    def body_context(self, reader):
        """The axis, projects and neighbours, which the page's cached fragments spare it from computing."""
        from axes import queries  # queries imports the models

        from .axis import AxisPage

        projects = ProjectPage.objects.child_of(self)
        live_ambitions = reader.pages(AmbitionPage.objects.all())
        axis = AxisPage.objects.ancestor_of(self).first()
        before = live_ambitions.filter(number__lt=self.number).order_by("-number").values("number")[:1]
        after = live_ambitions.filter(number__gt=self.number).order_by("number").values("number")[:1]
        both = live_ambitions.filter(Q(number=Subquery(before)) | Q(number=Subquery(after)))
        neighbours = {neighbour.number < self.number: neighbour for neighbour in both}
        return {
            "axis": axis,
            "breadcrumbs": [axis],
            "projects": queries.live_projects(projects, reader),
            "rollup": queries.cop_rollup(projects, reader),
            "previous": neighbours.get(True),
            "next": neighbours.get(False),
        }
