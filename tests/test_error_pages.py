"""Error pages speak French: 400, 403, 404, the CSRF failure, and a 500 that needs no database."""

from django.test import Client, RequestFactory
from django.views.defaults import server_error

import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_project_answers_a_french_404(agent_client):
    response = agent_client.get("/projets/99.9/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert "Not Found" not in html
    assert 'href="/recherche/"' in html


def test_the_500_page_is_french_and_asks_nothing_of_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Le COP est momentanément indisponible" in response.content.decode()


def test_a_form_posted_without_its_csrf_token_gets_a_french_page():
    response = Client(enforce_csrf_checks=True).post("/connexion/", {"username": "agent", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulaire expiré" in html
    assert "Rien n'a été enregistré" in html


def test_a_refusal_is_french(agent_client, project):
    response = agent_client.get("/admin/")
    assert response.status_code in (302, 403)
    if response.status_code == 403:
        assert "Accès refusé" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/projets/1.1%00/", "/projets/1.1%00/proposer/", "/projets/%C2%B2/proposer/"]
)
def test_a_reference_that_no_project_can_have_is_a_french_404(agent_client, url):
    response = agent_client.get(url)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
