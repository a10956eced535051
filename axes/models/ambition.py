from django.core.validators import MinValueValidator
from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from axes.queries import live_projects

from .project import ProjectPage


class AmbitionPage(Page):
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
        context["axis"] = self.get_parent().specific
        context["projects"] = live_projects(ProjectPage.objects.child_of(self))
        return context
