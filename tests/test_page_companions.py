"""A page's history and an axis's chapter PDF are served by their features' own URLs, as protected as
the page itself: Wagtail's view restrictions apply to them exactly as to the page."""

from django.contrib.auth.models import Group

from wagtail.models import PageViewRestriction

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderators_only(project):
    restriction = PageViewRestriction.objects.create(
        page=project, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Réservé"))
    return project


@pytest.fixture
def password_protected(axis):
    return PageViewRestriction.objects.create(
        page=axis, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )


def test_an_agent_reads_the_history_of_a_page_they_may_read(agent_client, project):
    assert agent_client.get(f"{project.url}historique/").status_code == 200


def test_a_restricted_pages_history_answers_as_the_page_does(agent_client, moderators_only):
    page = agent_client.get(moderators_only.url)
    history = agent_client.get(f"{moderators_only.url}historique/")
    assert history.status_code == page.status_code == 302
    login = page["Location"].split("?")[0]
    assert history["Location"].split("?")[0] == login  # and back to the history once signed in


def test_a_password_protected_axis_asks_for_its_password_before_its_chapter(
    agent_client, axis, password_protected
):
    chapter = agent_client.get(f"{axis.url}chapitre.pdf")
    history = agent_client.get(f"{axis.url}historique/")
    for response in (chapter, history):
        assert response.status_code == 200
        assert "password" in response.content.decode()
        assert response["Content-Type"].startswith("text/html")


def test_a_draft_has_no_history_nor_chapter(agent_client, axis):
    axis.unpublish()
    assert agent_client.get(f"{axis.url_path.removeprefix('/cop')}historique/").status_code == 404
    assert agent_client.get(f"{axis.url_path.removeprefix('/cop')}chapitre.pdf").status_code == 404


def test_no_page_has_no_history(agent_client, axis):
    assert agent_client.get(f"{axis.url}pas-de-page/historique/").status_code == 404
