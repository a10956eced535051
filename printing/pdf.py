"""Django templates rendered to PDF by WeasyPrint, in process: no browser, no HTTP request.

The only resources a printed template may load are the site's static files, read from disk
through the staticfiles finders; any other address is refused.
"""

import mimetypes
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from weasyprint import CSS, HTML
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
        path = finders.find(relative_path)
        if path is None:
            # Our own template names a static file that is not there: fail rather than print unstyled.
            raise FatalURLFetchingError(f"Fichier statique introuvable pour l'impression : {relative_path}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        with open(path, "rb") as file:
            body = file.read()
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def render_document(template_name, context, base_url, extra_css=""):
    """Lays out `template_name` as WeasyPrint's document: its `pages`, then `write_pdf()`.

    `base_url` (the site's root URL) makes the printed links absolute, so that they open the site;
    `extra_css` adds rules for this rendering only (a booklet part's first page number).
    """
    html = render_to_string(template_name, context)
    fetcher = StaticFilesFetcher(base_url)
    stylesheets = [CSS(string=extra_css, base_url=base_url, url_fetcher=fetcher)] if extra_css else []
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(stylesheets=stylesheets)


def pdf_bytes(document):
    """The PDF file of a laid-out document, tagged so that screen readers read it in order."""
    return document.write_pdf(pdf_tags=True)
