from django.http import Http404

from wagtail.admin.panels import FieldPanel
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

LATEST_CHANGES = 5


class CopManager(PageManager.from_queryset(CopPageQuerySet)):
    def cop(self):
        """The COP: one per site."""
        return self.get()


class HomePage(ReaderBodyMixin, Page):
    """The COP itself: one per site, holding the axes."""

    intro = RichTextField("introduction", blank=True, features=["bold", "italic", "link"])

    objects = CopManager()

    content_panels = Page.content_panels + [FieldPanel("intro")]
    # What the read API (api/) writes of the COP's root, besides Wagtail's page fields.
    api_fields = ["intro"]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["axes.AxisPage"]
    # The explorer lists the axes by number, as the COP does.
    admin_default_ordering = "axispage__number"
    max_count = 1
    body_names = ["axes", "rollup", "ambition_count", "service_count", "latest_projects"]

    class Meta:
        # The table of the app that held the COP root before the domain did (axes/migrations/0002).
        db_table = "home_homepage"
        verbose_name = "page d'accueil du COP"
        verbose_name_plural = "pages d'accueil du COP"

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
