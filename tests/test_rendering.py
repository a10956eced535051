"""Every page type renders for a signed-in agent; an anonymous visitor is sent to the login page."""

from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def cop_pages(home, axis, ambition, project):
    return {"home": home, "axis": axis, "ambition": ambition, "project": project}


@pytest.mark.parametrize("name", ["home", "axis", "ambition", "project"])
def test_every_page_type_renders_for_an_agent(agent_client, cop_pages, name):
    response = agent_client.get(cop_pages[name].url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert 'href="#contenu"' in html


@pytest.mark.parametrize("name", ["home", "axis", "ambition", "project"])
def test_an_anonymous_visitor_is_sent_to_the_french_login_page(client, cop_pages, name):
    url = cop_pages[name].url
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    login_page = client.get(response["Location"])
    assert "Connexion" in login_page.content.decode()
    assert "Mot de passe" in login_page.content.decode()


def test_after_signing_in_the_agent_lands_where_they_were_going(client, agent, project):
    response = client.post(
        f"{reverse('login')}?next={project.url}",
        {"username": "agent", "password": "mot-de-passe-de-test", "next": project.url},
    )
    assert response.status_code == 302
    assert response["Location"] == project.url


def test_a_wrong_password_gets_a_french_error(client, agent):
    response = client.post(reverse("login"), {"username": "agent", "password": "faux"})
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()


def test_search_and_documents_are_private_too(client):
    for url in (reverse("search"), "/documents/1/fichier.pdf"):
        assert client.get(url).status_code == 302


def test_cop_public_opens_the_pages_to_anonymous_visitors(client, settings, project):
    settings.COP_PUBLIC = True
    assert client.get(project.url).status_code == 200


def test_the_project_page_shows_its_status_services_and_dates(agent_client, project):
    html = agent_client.get(project.url).content.decode()
    assert "Engagé" in html
    assert "Relation usagers" in html
    assert "Éducation" in html
    assert "40&nbsp;%" in html


def test_french_dates_on_the_project_page(agent_client, project):
    project.start_date = "2024-03-01"
    project.save_revision().publish()
    html = agent_client.get(project.url).content.decode()
    assert "1er\xa0mars 2024" in html


def test_the_axis_page_lists_its_ambitions_and_projects(agent_client, axis, project):
    html = agent_client.get(axis.url).content.decode()
    assert "Ambition n° 16" in html
    assert "16.1" in html
    assert "Créer l&#x27;application de la ville" in html


def test_breadcrumbs_lead_back_to_the_cop(agent_client, project):
    html = agent_client.get(project.url).content.decode()
    assert 'aria-label="Fil d\'Ariane"' in html
    assert "Axe 2" in html
    assert 'aria-current="page"' in html


def test_a_draft_project_is_not_served(agent_client, ambition):
    from .factories import ProjectPageFactory

    draft = ProjectPageFactory(parent=ambition, reference="16.5", live=False)
    assert agent_client.get(draft.url or f"{ambition.url}{draft.slug}/").status_code == 404
    assert draft.title not in agent_client.get(ambition.url).content.decode()


def test_the_axis_page_runs_a_fixed_number_of_queries(
    agent_client, axis, ambition, django_assert_max_num_queries
):
    from .factories import AmbitionPageFactory, ProjectPageFactory

    for number in (17, 18, 19):
        other = AmbitionPageFactory(parent=axis, number=number)
        for index in range(1, 4):
            ProjectPageFactory(parent=other, reference=f"{number}.{index}")
    with django_assert_max_num_queries(20):
        assert agent_client.get(axis.url).status_code == 200


def test_an_agent_without_admin_access_is_told_so_instead_of_looping(agent_client):
    response = agent_client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert len(response.redirect_chain) < 5
    assert "ce compte n'a pas accès à la page demandée" in response.content.decode()
