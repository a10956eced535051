from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from axes import queries
from axes.models import AmbitionPage, AxisPage, ProjectPage, Service

LATEST_CHANGES = 5


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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        projects = ProjectPage.objects.descendant_of(self)
        axes = list(AxisPage.objects.child_of(self).live().order_by("number"))
        ambitions = list(AmbitionPage.objects.descendant_of(self).live().order_by("number"))
        queries.attach_rollups(ambitions, projects, queries.AMBITION_PATH_LENGTH)
        queries.attach_rollups(axes, projects, queries.AXIS_PATH_LENGTH)
        context["axes"] = queries.attach_children(axes, ambitions, "live_ambitions")
        context["rollup"] = queries.cop_rollup(projects)
        context["ambition_count"] = len(ambitions)
        context["service_count"] = Service.objects.filter(project_links__isnull=False).distinct().count()
        context["latest_projects"] = (
            projects.live().select_related("pilot_service").order_by("-last_published_at")[:LATEST_CHANGES]
        )
        return context
