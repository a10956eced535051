from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from axes.queries import attach_children, live_projects

from .ambition import AmbitionPage
from .project import ProjectPage


class AxisPage(Page):
    """A transverse axis of the COP: one chapter, holding numbered ambitions."""

    number = models.PositiveSmallIntegerField(
        "numéro",
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text="De 1 à 9, unique dans le COP.",
        error_messages={"unique": "Un autre axe du COP porte déjà ce numéro."},
    )
    intro = RichTextField("introduction", blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("number"), FieldPanel("intro")]

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.FilterField("number"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["axes.AmbitionPage"]

    class Meta:
        verbose_name = "axe"
        verbose_name_plural = "axes"

    @property
    def label(self):
        return f"Axe {self.number}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        ambitions = AmbitionPage.objects.child_of(self).live().order_by("number")
        projects = live_projects(ProjectPage.objects.descendant_of(self))
        context["ambitions"] = attach_children(list(ambitions), projects, "live_projects")
        return context
