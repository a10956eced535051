"""Every kind of PDF under production's static storage (issue 13): after `collectstatic`, the print
stylesheet is named by its hash (`css/pdf.3c41ff547cbd.css`), a name that only that storage knows."""

import re

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

import pytest

from .test_deploy import SERVER, production_settings
from .test_printing import A3_POINTS, A4_POINTS, folded, page_size, pdf_cache, pdf_of  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def production_static(tmp_path_factory):
    """Production's static storage, and its files collected once into a directory of the tests."""
    storages = production_settings("STORAGES", **SERVER)["STORAGES"]
    static_root = tmp_path_factory.mktemp("static")
    # The site's own files only: the PDFs read nothing else, and compressing Wagtail's thousand
    # takes half a minute (the production smoke test collects them all).
    own_files_only = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    with override_settings(STORAGES=storages, STATIC_ROOT=static_root, STATICFILES_FINDERS=own_files_only):
        call_command("collectstatic", interactive=False, verbosity=0)
    return {"STORAGES": storages, "STATIC_ROOT": static_root}


@pytest.fixture
def under_production_static(settings, production_static):
    settings.STORAGES = production_static["STORAGES"]
    settings.STATIC_ROOT = production_static["STATIC_ROOT"]


def test_every_kind_of_pdf_is_styled_by_the_stylesheet_of_its_hashed_name(
    under_production_static, agent_client, axis, project
):
    assert re.fullmatch(r"/static/css/pdf\.[0-9a-f]{12}\.css", staticfiles_storage.url("css/pdf.css"))
    for url, first_styled_page, size in (
        (reverse("booklet_pdf"), 1, A4_POINTS),
        (f"{axis.url}chapitre.pdf", 0, A4_POINTS),
        (reverse("service_pdf", args=["relation-usagers"]), 0, A4_POINTS),
        (reverse("poster_pdf"), 0, A3_POINTS),
    ):
        reader = pdf_of(agent_client.get(url))
        page = reader.pages[first_styled_page]
        # Both come from the stylesheet: unstyled, every page is A4 with no footer.
        assert page_size(page) == size, url
        if size == A4_POINTS:
            page_number = f"Page {first_styled_page + 1} / {len(reader.pages)}"
            assert folded(page_number) in folded(page.extract_text()), url
