"""The city's identity in site settings (issue 14): a site filled in for another city shows that
city everywhere, a fresh install shows no city, and the colours stay readable."""

import io
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Site

import pypdf
import pytest

from caching.models import PublicationGeneration
from digests.digest import Digest
from home.models import CityIdentity

pytestmark = pytest.mark.django_db

MONTROUGE = {
    "name": "Ville de Montrouge",
    "short_name": "Montrouge",
    "primary_colour": "#6a1b4d",
    "contact_service": "Accueil citoyen",
    "contact_email": "accueil@montrouge.example",
    "accessibility_organisation": "Mairie de Montrouge",
}


@pytest.fixture
def montrouge():
    identity = CityIdentity.for_site(Site.objects.get(is_default_site=True))
    for key, value in MONTROUGE.items():
        setattr(identity, key, value)
    identity.full_clean()
    identity.save()
    return identity


@pytest.fixture
def pdf_cache(settings, tmp_path):
    settings.COP_PDF_CACHE_DIR = tmp_path / "pdf"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_another_city_shows_in_the_header_the_titles_and_the_footer(montrouge, agent_client, axis, project):
    for url in ("/", axis.url, project.url, reverse("service_list"), reverse("accessibility")):
        html = page(agent_client, url)
        assert '<span class="site-header__city">Ville de Montrouge</span>' in html
        assert "– COP de Montrouge</title>" in html
        assert "Ville de Montrouge – cahier d'objectifs partagés" in html
        assert "--primary: #6a1b4d;" in html
        assert "Clamart" not in html


def test_the_accessibility_statement_names_the_citys_organisation_and_contact(montrouge, agent_client):
    html = page(agent_client, reverse("accessibility"))
    assert "Mairie de Montrouge s'engage à rendre" in html
    assert "contacter le service Accueil citoyen à l'adresse" in html
    assert 'href="mailto:accueil@montrouge.example"' in html


def test_the_sign_in_page_names_the_city(montrouge, client):
    html = page(client, reverse("login"))
    assert "réservé aux agents de la ville de Montrouge" in html
    assert "– COP de Montrouge</title>" in html


def test_a_fresh_install_names_no_city(agent_client, axis):
    assert not CityIdentity.objects.exists()
    html = page(agent_client, axis.url)
    assert "site-header__city" not in html
    assert "– COP</title>" in html
    assert "Cahier d'objectifs partagés, à l'usage des agents de la ville." in html
    statement = page(agent_client, reverse("accessibility"))
    assert "La ville s'engage à rendre" in statement
    assert "contacter un administrateur du COP pour" in statement
    # Reading a page never writes the settings' row.
    assert not CityIdentity.objects.exists()


def test_a_pdf_names_the_city_in_its_text_and_its_file_name(
    montrouge, pdf_cache, agent_client, axis, project
):
    response = agent_client.get(reverse("booklet_pdf"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="cop-montrouge-complet.pdf"'
    pdf = pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "VILLE DE MONTROUGE" in text.upper()
    assert "Clamart" not in text
    assert pdf.metadata.title.endswith("– COP de Montrouge")
    chapter = agent_client.get(f"{axis.url}chapitre.pdf")
    assert chapter["Content-Disposition"] == 'inline; filename="cop-montrouge-axe-2.pdf"'
    first_page = pypdf.PdfReader(io.BytesIO(b"".join(chapter.streaming_content))).pages[0].extract_text()
    assert "Cahier d'objectifs partagés · Ville de Montrouge" in first_page.replace("\xa0", " ")


def test_a_new_identity_makes_a_new_pdf(montrouge, pdf_cache, agent_client, project):
    from printing import documents

    before = documents.booklet().fingerprint()
    montrouge.name = "Ville de Malakoff"
    montrouge.save()
    assert documents.booklet().fingerprint() != before


def test_a_digest_and_the_feed_name_the_city(montrouge, agent, agent_client):
    digest = Digest(agent, [], timezone.now() - timedelta(days=3))
    assert digest.subject.startswith("COP de Montrouge – 0 évolution depuis le ")
    feed = page(agent_client, reverse("evolutions_feed"))
    assert "<title>Évolutions du COP de Montrouge</title>" in feed
    assert "Clamart" not in feed


def test_without_a_city_the_digest_and_the_feed_speak_of_the_cop(agent, agent_client):
    assert Digest(agent, [], timezone.now()).subject.startswith("COP – 0 évolution")
    assert "<title>Évolutions du COP</title>" in page(agent_client, reverse("evolutions_feed"))


def test_sharing_a_page_by_email_names_the_city(montrouge, agent_client, project):
    html = page(agent_client, project.url)
    assert "Une%20page%20du%20cahier%20d%27objectifs%20partag%C3%A9s%20de%20Montrouge" in html


def test_the_admin_shows_the_citys_name(montrouge, admin_client):
    html = page(admin_client, reverse("wagtailadmin_home"))
    assert "Cahier d'objectifs partagés – Ville de Montrouge" in html
    assert "- COP de Montrouge</title>" in html


def test_the_identity_is_edited_in_the_admins_settings(admin_client):
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["home", "cityidentity", site.pk])
    assert "Identité de la ville" in page(admin_client, url)
    response = admin_client.post(url, {**MONTROUGE, "accent_colour": "", "contact_phone": "01 46 38 00 00"})
    assert response.status_code == 302
    assert CityIdentity.for_site(site).name == "Ville de Montrouge"


def test_a_colour_too_pale_for_white_text_is_refused_in_french(admin_client):
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["home", "cityidentity", site.pk])
    response = admin_client.post(url, {**MONTROUGE, "primary_colour": "#ffbf47", "accent_colour": "rouge"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "contraste trop peu avec le blanc (1.6:1)" in html
    assert "au format hexadécimal #rrvvbb" in html
    assert not CityIdentity.objects.exists()


@pytest.mark.parametrize(
    ("colour", "readable"),
    [("#0b4f8a", True), ("#767676", True), ("#777777", False), ("#ffffff", False), ("#000000", True)],
)
def test_the_contrast_check_follows_wcag(colour, readable):
    identity = CityIdentity(site=Site.objects.get(is_default_site=True), primary_colour=colour)
    if readable:
        identity.full_clean()
    else:
        with pytest.raises(ValidationError, match="contraste trop peu avec le blanc"):
            identity.full_clean()


def test_saving_the_identity_shows_on_the_next_page_view(montrouge, agent_client, page_cache, axis):
    assert "Ville de Montrouge" in page(agent_client, axis.url)
    assert "Ville de Montrouge" in page(agent_client, axis.url)  # served whole from the cache
    generation = PublicationGeneration.objects.get().token
    montrouge.name = "Ville de Malakoff"
    montrouge.save()
    assert PublicationGeneration.objects.get().token != generation
    html = page(agent_client, axis.url)
    assert "Ville de Malakoff" in html and "Ville de Montrouge" not in html


def test_the_demo_sets_clamarts_identity():
    from axes.demo.builder import DemoCopBuilder

    DemoCopBuilder(write=lambda message: None).set_city_identity()
    site = Site.objects.get(is_default_site=True)
    identity = CityIdentity.for_site(site)
    assert (identity.name, identity.short_name, identity.cop_name) == (
        "Ville de Clamart",
        "Clamart",
        "COP de Clamart",
    )
    assert identity.accessibility_organisation == "Ville de Clamart"
    assert site.site_name == "COP de Clamart"
    identity.full_clean()  # the demo's colour passes the contrast check
