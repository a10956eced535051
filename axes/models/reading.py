"""What the COP's page types share: a body computed for its reader, and a number for axes and ambitions."""

from functools import partial

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from utils.lazy import lazy_context

from ..admin_forms import CopPageForm
from ..cops import cop_of, page_url_path, terms_of
from ..readers import Reader


class ReaderBodyMixin:
    """A page of a COP whose body (`body_context`, built for the request's reader) is computed only
    when a template reads one of `body_names`: inside a cached fragment, never."""

    body_names = ()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        reader = Reader.of(request.user, cop_of(self))
        context.update(lazy_context(partial(self.body_context, reader), self.body_names))
        return context

    def get_url_parts(self, request=None):
        """A page of the current COP has Wagtail's URL; one of another COP, `/cops/<slug>/…`."""
        parts = super().get_url_parts(request)
        if parts is not None:
            return parts
        root_paths = self._get_site_root_paths(request)
        if not root_paths:
            return None
        site_id, _, root_url, _ = root_paths[0]
        return site_id, root_url, page_url_path(self)

    @property
    def terms(self):
        """The words of the page's COP."""
        return terms_of(self)

    @property
    def cop(self):
        return cop_of(self)

    @property
    def page_type_display_name(self):
        """ "Orientation", "Fiche action": the page's type in the admin's listings, in its COP's words."""
        level = getattr(self, "level", "")
        return getattr(self.terms, level).title if level else super().page_type_display_name

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

    level = ""
    base_form_class = CopPageForm
    unique_in_cop = ("number", "exact")

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
        """ "Axe 2", "Ambition n° 16", in the words of the page's COP."""
        return getattr(self.terms, self.level).named(self.number)
