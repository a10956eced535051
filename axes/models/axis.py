from functools import partial

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from history.pages import PageWithHistory
from utils.lazy import lazy_context

from ..readers import Reader
from .ambition import AmbitionPage
from .project import ProjectPage

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


class AxisPage(PageWithHistory, Page):
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

    @path("chapitre.pdf/", name="chapter_pdf")
    def chapter_pdf(self, request):
        """`<axis URL>chapitre.pdf` (printing/urls.py hands it here, since page URLs end with a slash)."""
        from printing.views import chapter_pdf  # printing imports the page models

        return chapter_pdf(request, self)

    @property
    def colour(self):
        return AXIS_COLOURS[(self.number - 1) % len(AXIS_COLOURS)]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            lazy_context(partial(self.body_context, Reader.of(request.user)), ["ambitions", "rollup"])
        )
        return context

    def body_context(self, reader):
        """The ambitions and their projects, which the page's cached fragment spares it from computing."""
        from axes import queries  # queries imports the models

        projects = ProjectPage.objects.descendant_of(self)
        ambitions = list(reader.pages(AmbitionPage.objects.child_of(self)).order_by("number"))
        queries.attach_children(ambitions, queries.live_projects(projects, reader), "live_projects")
        queries.attach_rollups(ambitions, projects, queries.AMBITION_PATH_LENGTH, reader)
        return {
            "ambitions": ambitions,
            "rollup": sum((ambition.rollup for ambition in ambitions), queries.Rollup()),
        }
