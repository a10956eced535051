"""Every reader surface of the COP as one agent gets it, as text: the crawler of the trail invariants.

`surface_texts(client, user)` fetches every reader URL of PRODUCT.md for the pages and services
that exist (drafts included: their URLs must answer nothing), reads PDFs, CSV and XLSX as text,
adds the agent's digest of everything ever published, and reads the read API (`/api/v2/`) with a
token, every listing page by page and every page's and service's detail. A word that an unapproved
draft holds must be in none of them.
"""

import datetime
import html
import io

from django.utils import timezone

from wagtail.models import Page

import openpyxl
from pypdf import PdfReader

from api.models import ApiToken
from axes.models import AmbitionPage, AxisPage, ProjectPage, Service
from digests.digest import build_digest, digest_message
from digests.models import Frequency, Scope, Subscription
from followup.models import Campaign
from indicators.models import Indicator

FIXED_URLS = [
    "/",
    "/services/",
    "/mon-service/",
    "/partenariats/",
    "/evolutions/",
    "/evolutions/flux/",
    "/export/cop.pdf",
    "/export/affiche.pdf",
    "/export/projets.csv",
    "/export/projets.xlsx",
    "/export/indicateurs.csv",
    "/export/indicateurs.xlsx",
    "/indicateurs/",
    "/calendrier/",
]


def reader_urls(search_words):
    today = timezone.localdate().isoformat()
    urls = [*FIXED_URLS, f"/evolutions/comparer/?du=2000-01-01&au={today}"]
    for word in search_words:
        urls += [f"/recherche/?q={word}", f"/recherche/suggestions/?q={word}"]
    for page in Page.objects.filter(depth__gte=2).specific().order_by("path"):
        url = page.get_url()
        if url:
            urls += [url, f"{url}historique/"]
        if isinstance(page, AxisPage) and url:
            urls.append(f"{url}chapitre.pdf")
    urls += [f"/ambitions/{number}/" for number in AmbitionPage.objects.values_list("number", flat=True)]
    urls += [
        f"/projets/{reference}/" for reference in ProjectPage.objects.values_list("reference", flat=True)
    ]
    for slug in Service.objects.values_list("slug", flat=True):
        urls += [f"/services/{slug}/", f"/services/{slug}/fiche.pdf", f"/calendrier/?service={slug}"]
    # Every indicator's page, drafts' included (they must answer a 404), and every campaign's.
    urls += [f"/indicateurs/{slug}/" for slug in Indicator.objects.values_list("slug", flat=True)]
    urls += [f"/campagnes/{pk}/" for pk in Campaign.objects.values_list("pk", flat=True)]
    return urls


API_LISTINGS = [
    "/api/v2/pages/?fields=*",
    "/api/v2/pages/?type=axes.AxisPage&fields=*",
    "/api/v2/pages/?type=axes.AmbitionPage&fields=*",
    "/api/v2/pages/?type=axes.ProjectPage&fields=*",
    "/api/v2/services/?fields=*",
    "/api/v2/indicators/?fields=*",
]


def api_urls(search_words):
    """The API's listings, searches and details (drafts' included: they must answer a 404)."""
    urls = [*API_LISTINGS, *(f"/api/v2/pages/?search={word}&fields=*" for word in search_words)]
    urls += [f"/api/v2/pages/{pk}/" for pk in Page.objects.filter(depth__gte=2).values_list("pk", flat=True)]
    urls += [f"/api/v2/services/{pk}/" for pk in Service.objects.values_list("pk", flat=True)]
    urls += [f"/api/v2/indicators/{pk}/" for pk in Indicator.objects.values_list("pk", flat=True)]
    return urls


def api_texts(client, search_words):
    """{url: text} of the API as a client application with a token reads it, every listing page by page."""
    token = ApiToken(name="Robot des invariants")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token.set_new_key()}"}
    token.save()
    texts = {}
    try:
        for url in api_urls(search_words):
            offset, total = 0, 1
            while offset < total:
                page_url = f"{url}&limit=100&offset={offset}" if "?" in url else url
                response = client.get(page_url, **headers)
                assert response.status_code < 500, (page_url, response.status_code)
                texts[page_url] = (
                    text_of(response) if response.status_code == 200 else f"[{response.status_code}]"
                )
                total = response.json().get("meta", {}).get("total_count", 0) if "?" in url else 0
                offset += 100
    finally:
        token.delete()
    return texts


def text_of(response):
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if "spreadsheetml" in content_type:
        sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
        return "\n".join(" ".join(str(cell) for cell in row if cell is not None) for row in sheet.values)
    return html.unescape(body.decode("utf-8", errors="replace"))


def digest_texts(user):
    """The digest `user` would get of every publication since 2000, as text and HTML."""
    subscription = Subscription.objects.create(
        user=user,
        scope=Scope.COP,
        frequency=Frequency.WEEKLY,
        covered_until=timezone.make_aware(datetime.datetime(2000, 1, 1)),
    )
    try:
        message = digest_message(build_digest([subscription], timezone.now()))
        return {"digest (texte)": message.body, "digest (HTML)": message.alternatives[0][0]}
    finally:
        subscription.delete()


def surface_texts(client, user, search_words=()):
    """{surface: text} of every reader surface as `client` (signed in as `user`) gets it.

    Redirects are followed; a surface that refuses (403, 404) is there with its status only. The
    search page repeats what was typed: search for the start of a secret word (the search widens
    to prefixes), so that only a result can show the whole word.
    """
    texts = {}
    for url in reader_urls(search_words):
        response = client.get(url, follow=True)
        assert response.status_code < 500, (url, response.status_code)
        texts[url] = text_of(response) if response.status_code == 200 else f"[{response.status_code}]"
    texts.update(digest_texts(user))
    texts.update(api_texts(client, search_words))
    return texts


def surfaces_showing(word, texts):
    """The surfaces whose text holds `word`, accents and case as written."""
    return sorted(surface for surface, text in texts.items() if word in text)
