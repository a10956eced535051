from functools import partial

from django.http import Http404

from wagtail.admin.panels import FieldPanel
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
