"""Django templates rendered to PDF by WeasyPrint, in process: no browser, no HTTP request.

The only resources a printed template may load are the site's static files, read from disk as
the site serves them; any other address is refused.
"""

import mimetypes
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import HashedFilesMixin, staticfiles_storage
from django.template.loader import render_to_string

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse


class StaticFilesFetcher(URLFetcher):
    """Serves `<base_url>/static/...` from disk and refuses every other URL."""

    def __init__(self, base_url):
        super().__init__()
        self.static_prefix = urljoin(base_url, settings.STATIC_URL)

    def fetch(self, url, headers=None):
        relative_path = urlsplit(url).path.removeprefix(urlsplit(self.static_prefix).path)
        if not url.startswith(self.static_prefix) or ".." in relative_path.split("/"):
            # WeasyPrint logs the refusal and goes on without the resource.
            raise ValueError(f"Adresse refusée à l'impression (seuls les fichiers statiques du site) : {url}")
        try:
            body = read_static_file(relative_path)
        except FileNotFoundError:
            # Our own template names a static file that is not there: fail rather than print unstyled.
            raise FatalURLFetchingError(
                f"Fichier statique introuvable pour l'impression : {relative_path}"
            ) from None
        content_type = mimetypes.guess_type(relative_path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def read_static_file(name):
    """The file that the site serves at `STATIC_URL` + `name`.

    A storage that names files by their hash (production's, after `collectstatic`) is the only one
    to know `css/pdf.3c41ff547cbd.css`: it serves the collected copy. Otherwise the names are the
    sources' and the finders read them, as the development server does (`STATIC_ROOT` may be stale).
    """
    if isinstance(staticfiles_storage, HashedFilesMixin):
        with staticfiles_storage.open(name) as file:
            return file.read()
    path = finders.find(name)
    if path is None:
        raise FileNotFoundError(name)
    with open(path, "rb") as file:
        return file.read()


def render_document(template_name, context, base_url):
    """Lays out `template_name` as WeasyPrint's document: its `pages`, then `write_pdf()`."""
    return lay_out(render_to_string(template_name, context), base_url)


def lay_out(html, base_url):
    """`base_url` (the site's root URL) makes the printed links absolute, so that they open the site."""
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesFetcher(base_url)).render()


def pdf_bytes(document):
    """The PDF file of a laid-out document, tagged so that screen readers read it in order."""
    return document.write_pdf(pdf_tags=True)
