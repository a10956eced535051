"""Several COPs on one install: which one is current, where each one's pages live, how each one
speaks.

The current COP is the root page of the default Wagtail site: its pages keep their URLs (`/`,
`/<axe>/…`, `/services/`). Every other COP lives under `/cops/<slug>/`, with the same sub-URLs
(the `cops` URL namespace). A `Cops` registry reads every COP in one query; a request, a
command or a task reads it once (`cops_scope`), however many pages ask for their COP's words.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Exists, F, OuterRef
from django.urls import reverse

from wagtail.models import Page, Site

from .models.terminology import DEFAULT

COP_PATH_LENGTH = 2 * Page.steplen
ARCHIVE_PREFIX = "cops"


class Cops:
    """Every COP of the install, by tree path and by slug, and which one is current."""

    def __init__(self):
        from .models import HomePage

        is_site_root = Site.objects.filter(is_default_site=True, root_page=OuterRef("pk"))
        self.all = list(
            HomePage.objects.annotate(is_current=Exists(is_site_root)).order_by(
                F("start_year").desc(nulls_last=True), "title"
            )
        )
        self.by_path = {cop.path: cop for cop in self.all}
        self.by_slug = {cop.slug: cop for cop in self.all}
        self.current = next((cop for cop in self.all if cop.is_current), None)

    def of(self, page):
        """The COP that holds `page` (itself, for a COP), or None outside every COP."""
        return self.by_path.get(page.path[:COP_PATH_LENGTH])

    def terms_at(self, path):
        cop = self.by_path.get(path[:COP_PATH_LENGTH])
        return cop.terminology if cop is not None else DEFAULT


_scoped = ContextVar("cops", default=None)


@contextmanager
def cops_scope():
    """Reads the COPs at most once inside the block (a request, a command, a task)."""
    token = _scoped.set([])
    try:
        yield
    finally:
        _scoped.reset(token)


def cops():
    """The COPs, read once per scope; read afresh each time outside one."""
    scoped = _scoped.get()
    if scoped is None:
        return Cops()
    if not scoped:
        scoped.append(Cops())
    return scoped[0]


def forget_cops():
    """After a change to the COPs (a new one, another current one), in the same scope."""
    scoped = _scoped.get()
    if scoped:
        scoped.clear()


def current_cop():
    return cops().current


def cop_of(page):
    return cops().of(page)


def terms_of(page):
    """The words of `page`'s COP: "Orientation 2", "l'objectif"."""
    return cops().terms_at(page.path)


def is_current(cop):
    current = current_cop()
    return cop is None or current is None or cop.pk == current.pk


def cop_reverse(cop, name, **kwargs):
    """The URL `name` of `cop`: as it is for the current COP, under `/cops/<slug>/` for another."""
    if is_current(cop):
        return reverse(name, kwargs=kwargs)
    return reverse(f"{ARCHIVE_PREFIX}:{name}", kwargs={"cop_slug": cop.slug, **kwargs})


def page_url_path(page):
    """Where a page of a COP other than the current one lives: `/cops/<slug>/<its path>`."""
    cop_slug, _, rest = page.url_path.strip("/").partition("/")
    path = f"{rest}/" if rest else ""
    return reverse(f"{ARCHIVE_PREFIX}:page", kwargs={"cop_slug": cop_slug, "path": path})
