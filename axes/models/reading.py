"""What the COP's page types share: a body computed for its reader, and a number for axes and ambitions."""

from functools import partial

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from utils.lazy import lazy_context

from ..readers import Reader


class ReaderBodyMixin:
    """A page whose body (`body_context`, built for the request's reader) is computed only when a
    template reads one of `body_names`: inside a cached fragment, never."""

    body_names = ()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(lazy_context(partial(self.body_context, Reader.of(request.user)), self.body_names))
        return context

    def body_context(self, reader):
        raise NotImplementedError

    def ancestor_above(self, levels):
        """The ancestor `levels` levels up, of the type that the tree puts there, in one query."""
        model = type(self)
        for _ in range(levels):
            model = model.allowed_parent_page_models()[0]
        return model.objects.ancestor_of(self).first()


class NumberedPage(ReaderBodyMixin, Page):
    """An axis or an ambition: a number (declared by each, with its own bounds), a title and an intro."""

    label_prefix = ""

    intro = RichTextField("introduction", blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("number"), FieldPanel("intro")]

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.FilterField("number"),
    ]
    # What the read API (api/) writes of an axis or an ambition, besides Wagtail's page fields.
    api_fields = ["number", "intro"]

    class Meta:
        abstract = True

    @property
    def label(self):
        return f"{self.label_prefix} {self.number}"
