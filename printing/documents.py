"""The COP's PDFs, each cached as a file named by a fingerprint of the live content it shows.

A fingerprint hashes the rows that the PDF is made of (each live page's id, place in the tree and
live revision; each readable indicator's live revision; the services' names), the site's address and
the print layout itself. Publishing, unpublishing or moving a page that a PDF shows, publishing one
of its indicators, renaming a service or deploying a new layout changes the name: until the worker
has written the file of the new name (tasks.py), agents get the last complete file of that PDF
(`PrintedVersion`), and a file replaced by a newer one is removed.
"""

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property, partial
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Q

from wagtail.models import Page

from axes import tree
from axes.cops import cop_of
from axes.models import AxisPage, ProjectPage, Service
from axes.readers import EVERYONE, Reader
from home.models import CityIdentity
from indicators.models import Indicator

from . import content
from .booklet import render_booklet
from .models import PrintedVersion
from .pdf import pdf_bytes, render_document

# The files kept on disk; a download is named after the city too (`download_name`).
FILE_PREFIX = "cop-"
BOOKLET_KEY = "complet"
POSTER_KEY = "affiche"
CHAPTER_KEY_PREFIX = "axe-"
SERVICE_KEY_PREFIX = "service-"
FINGERPRINT_LENGTH = 16
# The publication date tells apart two databases (a restored backup) that reuse the same ids.
PAGE_FIELDS = ("id", "path", "url_path", "live_revision_id", "last_published_at")
INDICATOR_FIELDS = ("id", "live_revision_id", "last_published_at")
LAYOUT_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "printing"
LAYOUT_STYLESHEET = "css/pdf.css"


@cache
def layout_version():
    """A hash of the print templates and stylesheet: a new layout is a new file, once per process."""
    digest = hashlib.sha256()
    for path in [*sorted(LAYOUT_TEMPLATES.glob("*.html")), Path(finders.find(LAYOUT_STYLESHEET))]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def fingerprint_of(*parts):
    digest = hashlib.sha256(json.dumps([layout_version(), *parts], default=str).encode())
    return digest.hexdigest()[:FINGERPRINT_LENGTH]


def live_rows(pages, reader):
    return list(reader.pages(pages).order_by("path").values_list(*PAGE_FIELDS))


def indicator_rows(reader, **filters):
    """The readable indicators that a PDF shows (those of the `filters`): one query."""
    indicators = Indicator.objects.readable_by(reader).filter(**filters)
    return list(indicators.order_by("pk").values_list(*INDICATOR_FIELDS))


def service_rows():
    return list(
        Service.objects.order_by("pk").values_list("pk", "name", "slug", "direction", "email", "description")
    )


def cache_dir():
    path = Path(settings.COP_PDF_CACHE_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class PrintedDocument:
    """One PDF of the COP: what it is called, how it is laid out, and what its content is made of."""

    key: str
    title: str
    site_url: str
    reader: Reader
    build_context: Callable[[Reader], dict] = field(repr=False)
    content_rows: Callable[[Reader], list] = field(repr=False)
    lay_out: Callable[[dict], object] = field(repr=False)

    @cached_property
    def city(self):
        return CityIdentity.for_default_site()

    @property
    def download_name(self):
        """ "cop-meudon-complet.pdf", or "cop-complet.pdf" while the city has no short name."""
        city = f"{self.city.file_slug}-" if self.city.file_slug else ""
        return f"{FILE_PREFIX}{city}{self.key}.pdf"

    @property
    def stem(self):
        """The files' name before the fingerprint: readers who see other pages keep their own file."""
        variant = "" if self.reader.restrictions_key == EVERYONE else f"-{self.reader.restrictions_key}"
        return f"{FILE_PREFIX}{self.key}-{self.reader.scope}{variant}"

    def fingerprint(self):
        city = self.city.fingerprint()
        return fingerprint_of(self.key, self.site_url, city, self.content_rows(self.reader))

    def file_name(self, fingerprint):
        return f"{self.stem}-{fingerprint}.pdf"

    def path(self, fingerprint):
        return cache_dir() / self.file_name(fingerprint)

    def is_written(self, fingerprint):
        return self.path(fingerprint).exists()

    def last_written(self):
        """The fingerprint of the last version of this PDF, for this reader, that this database wrote."""
        return PrintedVersion.objects.filter(stem=self.stem).values_list("fingerprint", flat=True).first()

    def record_written(self, fingerprint):
        PrintedVersion.objects.update_or_create(stem=self.stem, defaults={"fingerprint": fingerprint})

    def version_to_serve(self, fingerprint):
        """The version that agents get at once: the current one `fingerprint` if its file is written,
        else the last one written while it is there, else the current one (rendered when opened)."""
        if self.is_written(fingerprint):
            return fingerprint
        last = self.last_written()
        return last if last and self.is_written(last) else fingerprint

    def open_written(self, fingerprint):
        """The file of that version, open for reading, or None if it is not (or no longer) there."""
        try:
            return self.path(fingerprint).open("rb")
        except FileNotFoundError:
            return None

    def render_context(self):
        return self.build_context(self.reader)

    def render(self):
        """WeasyPrint's laid-out document: `pages`, then `write_pdf()`."""
        return self.lay_out(self.render_context())

    def open(self, fingerprint=None):
        """The PDF of the current content, open for reading; rendered now if no file has it yet.

        An open file stays readable when another process removes it as outdated meanwhile.
        """
        fingerprint = fingerprint or self.fingerprint()
        file = self.open_written(fingerprint)
        if file is None:
            path = self.path(fingerprint)
            file = write_atomically(path, pdf_bytes(self.render()))
            self.record_written(fingerprint)
            remove_other_versions(path, self.stem)
        return file

    def cached_path(self, fingerprint=None):
        """The current file, written first if need be (the background builds, `build_pdfs`)."""
        fingerprint = fingerprint or self.fingerprint()
        self.open(fingerprint).close()
        # Also for a file found written: agents get it during the next build.
        self.record_written(fingerprint)
        return self.path(fingerprint)


def write_atomically(path, data):
    """Writes `data` to `path`, and returns it open for reading from the start.

    Readers see the whole file or none: two workers rendering the same PDF both end up right.
    """
    # Returned open to the caller, who closes it (FileResponse does).
    file = tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", suffix=".tmp", delete=False)  # noqa: SIM115
    file.write(data)
    file.flush()
    # Readable by the site whoever wrote it (build_pdfs may run as another user of its group).
    os.chmod(file.name, 0o644)
    os.replace(file.name, path)
    file.seek(0)
    return file


def versions_pattern(stem, suffix):
    """File names of every version of `stem`: `<stem>-<fingerprint><suffix>`."""
    return re.compile(rf"^{re.escape(stem)}-[0-9a-f]{{{FINGERPRINT_LENGTH}}}{re.escape(suffix)}$")


def remove_other_versions(path, stem):
    pattern = versions_pattern(stem, path.suffix)
    for other in path.parent.iterdir():
        if other != path and pattern.match(other.name):
            other.unlink(missing_ok=True)


def template_layout(template_name):
    return lambda context: render_document(template_name, context, base_url=context["site_url"])


def booklet(reader=None):
    reader = reader or Reader.of()
    home = content.cop_home(reader)
    return PrintedDocument(
        key=BOOKLET_KEY,
        title="Le COP complet",
        site_url=content.site_root_url(home),
        reader=reader,
        build_context=content.booklet_context,
        lay_out=render_booklet,
        content_rows=lambda reader: [
            live_rows(Page.objects.descendant_of(home, inclusive=True), reader),
            indicator_rows(reader),
            service_rows(),
        ],
    )


def chapter(axis, reader=None):
    reader = reader or Reader.of(None, cop_of(axis))
    home = content.cop_home(reader)
    pages = Page.objects.filter(Q(path__startswith=axis.path) | Q(pk=home.pk))
    return PrintedDocument(
        key=f"{CHAPTER_KEY_PREFIX}{axis.number}",
        title=f"{axis.label} : {axis.title}",
        site_url=content.site_root_url(home),
        reader=reader,
        build_context=partial(content.chapter_context, axis),
        content_rows=lambda reader: [
            live_rows(pages, reader),
            indicator_rows(
                reader, pk__in=Indicator.objects.filter(ambitions__path__startswith=axis.path).values("pk")
            ),
            service_rows(),
        ],
        lay_out=template_layout("printing/chapter.html"),
    )


def service_pages(service, reader):
    """The readable projects of `service` and the pages above them, up to the COP."""
    projects = reader.pages(ProjectPage.objects.filter(services=service))
    project_paths = list(projects.values_list("path", flat=True))
    ancestor_paths = {
        path[:length]
        for path in project_paths
        for length in (2 * Page.steplen, tree.AXIS_PATH_LENGTH, tree.AMBITION_PATH_LENGTH)
    }
    return Page.objects.filter(path__in=[*project_paths, *ancestor_paths])


def service_extract(service, reader=None):
    reader = reader or Reader.of()
    return PrintedDocument(
        key=f"{SERVICE_KEY_PREFIX}{service.slug}",
        title=f"Fiche du service {service.name}",
        site_url=content.site_root_url(content.cop_home(reader)),
        reader=reader,
        build_context=partial(content.service_context, service),
        content_rows=lambda reader: [
            live_rows(service_pages(service, reader), reader),
            indicator_rows(reader, service=service),
            service_rows(),
        ],
        lay_out=template_layout("printing/service.html"),
    )


def poster(reader=None):
    reader = reader or Reader.of()
    home = content.cop_home(reader)
    axes_and_ambitions = Page.objects.descendant_of(home, inclusive=True).filter(depth__lte=home.depth + 2)
    return PrintedDocument(
        key=POSTER_KEY,
        title="Affiche du COP",
        site_url=content.site_root_url(home),
        reader=reader,
        build_context=content.poster_context,
        # The poster shows the axes and ambitions only: projects come and go without changing it.
        content_rows=lambda reader: [live_rows(axes_and_ambitions, reader)],
        lay_out=template_layout("printing/poster.html"),
    )


def find(key, reader):
    """The PDF of that `key` as `reader` reads it (a build queued by tasks.py), or None if it is gone."""
    if key == BOOKLET_KEY:
        return booklet(reader)
    if key == POSTER_KEY:
        return poster(reader)
    if key.startswith(CHAPTER_KEY_PREFIX):
        number = int(key.removeprefix(CHAPTER_KEY_PREFIX))
        axis = AxisPage.objects.child_of(content.cop_home(reader)).filter(number=number).first()
        return chapter(axis, reader) if axis else None
    if key.startswith(SERVICE_KEY_PREFIX):
        service = Service.objects.filter(slug=key.removeprefix(SERVICE_KEY_PREFIX)).first()
        return service_extract(service, reader) if service else None
    return None


def every_document():
    """Every PDF of the current COP that agents may download (as any signed-in agent reads them): the
    booklet, the poster, each chapter, each service's extract. The other COPs' are built when opened."""
    reader = Reader.of()
    axes = reader.pages(AxisPage.objects.child_of(content.cop_home(reader))).order_by("number")
    chapters = [chapter(axis, reader) for axis in axes]
    services = [service_extract(service, reader) for service in Service.objects.order_by("name")]
    return [booklet(reader), poster(reader), *chapters, *services]
