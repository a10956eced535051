from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from axes.models import AmbitionPage, AxisPage
from axes.queries import attach_children


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
        axes = AxisPage.objects.child_of(self).live().order_by("number")
        ambitions = AmbitionPage.objects.descendant_of(self).live().order_by("number")
        context["axes"] = attach_children(list(axes), ambitions, "live_ambitions")
        return context
