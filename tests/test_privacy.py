"""Nobody reads the COP without signing in: every URL family of PRODUCT.md sends an anonymous
visitor to the login page (or refuses), and the answer carries none of the COP's content."""

import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import reverse

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.views.serve import generate_image_url

import pytest
from PIL import Image as PillowImage

pytestmark = pytest.mark.django_db

DOCUMENT_TEXT = b"Note interne : budget confidentiel de l'application de la ville."
LOGIN_URL = "/connexion/"


@pytest.fixture(autouse=True)
def media_in_a_temporary_directory(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def document():
    document = Document(title="Note sur l'application")
    document.file.save("note-application.txt", ContentFile(DOCUMENT_TEXT))
    return document


@pytest.fixture
def image():
    pixels = io.BytesIO()
    PillowImage.new("RGB", (40, 30), "#0a5c36").save(pixels, "PNG")
    return Image.objects.create(title="Schéma", file=ImageFile(pixels, name="schema-application.png"))


@pytest.fixture
def urls(project, axis, ambition, relation_usagers, document, image):
    """One URL per family of PRODUCT.md, on a small published COP."""
    return {
        "accueil": "/",
        "axe": axis.url,
        "ambition": ambition.url,
        "projet": project.url,
        "lien court d'ambition": "/ambitions/16/",
        "lien court de projet": "/projets/16.1/",
        "proposition": "/projets/16.1/proposer/",
        "services": "/services/",
        "service": "/services/relation-usagers/",
        "mon service": "/mon-service/",
        "partenariats": "/partenariats/",
        "recherche": "/recherche/?q=application",
        "suggestions": "/recherche/suggestions/?q=appli",
        "historique": f"{project.url}historique/",
        "évolutions": "/evolutions/",
        "flux": "/evolutions/flux/",
        "comparaison": "/evolutions/comparer/?du=2020-01-01&au=2030-12-31",
        "livret PDF": "/export/cop.pdf",
        "chapitre PDF": f"{axis.url}chapitre.pdf",
        "fiche de service PDF": "/services/relation-usagers/fiche.pdf",
        "affiche PDF": "/export/affiche.pdf",
        "export CSV": "/export/projets.csv",
        "export XLSX": "/export/projets.xlsx",
        "abonnements": "/abonnements/",
        "document": document.url,
        "image": generate_image_url(image, "fill-20x20"),
        "administration": "/admin/",
        "import": "/admin/importer/",
    }


@pytest.fixture
def secrets(project, ambition, axis):
    """What an anonymous visitor must never read."""
    return [
        project.title,
        project.summary,
        ambition.title,
        axis.title,
        "Relation usagers",
        "16.1",
        DOCUMENT_TEXT.decode(),
        "\x89PNG",
    ]


def response_text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def test_every_url_family_sends_an_anonymous_visitor_to_the_login_page_and_shows_nothing(
    client, urls, secrets
):
    problems = []
    for family, url in urls.items():
        response = client.get(url)
        to_login = response.status_code == 302 and response["Location"].startswith(LOGIN_URL)
        if not (to_login or response.status_code == 403):
            problems.append(f"{family} ({url}) : {response.status_code} {response.get('Location', '')}")
        leaked = [secret for secret in secrets if secret in response_text(response)]
        if leaked:
            problems.append(f"{family} ({url}) laisse lire {leaked}")
    assert not problems, "\n".join(problems)


def test_the_login_page_sends_the_visitor_back_where_they_were_going(client, urls):
    response = client.get(urls["document"])
    assert response["Location"] == f"{LOGIN_URL}?next={urls['document']}"


@pytest.mark.parametrize(
    "family", ["projet", "recherche", "suggestions", "flux", "export CSV", "document", "image", "historique"]
)
def test_the_same_urls_answer_a_signed_in_agent(agent_client, urls, family):
    """The anonymous test above would pass on URLs that do not exist: these do."""
    response = agent_client.get(urls[family])
    assert response.status_code == 200


def test_a_document_streams_through_wagtails_view_for_an_agent(agent_client, document):
    response = agent_client.get(document.url)
    assert response_text(response) == DOCUMENT_TEXT.decode()
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_site_never_serves_uploaded_files_from_their_media_url(agent_client, document, image):
    """The reverse proxy must not either (README, "Déploiement"): /documents/ is the only way."""
    for url in (document.file.url, image.file.url):
        assert url.startswith("/media/")
        assert agent_client.get(url).status_code == 404


def test_private_image_urls_are_kept_out_of_shared_caches(agent_client, urls):
    response = agent_client.get(urls["image"])
    cache_control = response["Cache-Control"]
    assert "private" in cache_control
    assert "public" not in cache_control


def test_a_document_with_a_forbidden_extension_is_refused(admin_client):
    upload = ContentFile(b"<script>alert(1)</script>", name="piege.html")
    response = admin_client.post(reverse("wagtaildocs:add"), {"title": "Piège", "file": upload})
    assert response.status_code == 200
    assert not Document.objects.filter(title="Piège").exists()
    assert "html" in response.content.decode()


def test_the_proxy_asks_the_site_whether_a_visitor_may_read_image_files(client, agent):
    """nginx's auth_request on /media/images/ (README, "Déploiement") asks this URL first."""
    url = reverse("session_check")
    assert client.get(url).status_code == 401
    client.force_login(agent)
    response = client.get(url)
    assert response.status_code == 204
    assert response.content == b""


def test_an_svg_image_is_refused(admin_client):
    """An SVG can carry script: the image library takes only bitmaps."""
    upload = ContentFile(
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', name="logo.svg"
    )
    response = admin_client.post(reverse("wagtailimages:add"), {"title": "Logo", "file": upload})
    assert response.status_code == 200
    assert not Image.objects.filter(title="Logo").exists()


def test_a_document_over_10_mib_is_refused(admin_client):
    """The default bound (COP_DOCUMENT_MAX_BYTES, README "Déploiement")."""
    upload = ContentFile(b"x" * (10 * 1024 * 1024 + 1), name="gros.txt")
    response = admin_client.post(reverse("wagtaildocs:add"), {"title": "Trop gros", "file": upload})
    assert response.status_code == 200
    assert not Document.objects.filter(title="Trop gros").exists()
