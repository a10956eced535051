"""The reader rule holds on every reader surface at once: a crawler signed in as an agent walks them
all (pages, listings, search, history, journal, feed, comparison, CSV, XLSX, PDFs, digest) and
looks for words that only a draft or a restricted page holds."""

from django.contrib.auth.models import Group

from wagtail.models import PageViewRestriction

import pytest

from axes.readers import Reader
from editorial import roles

from .clients import client_for
from .factories import ProjectPageFactory, UserFactory
from .reader_surfaces import surface_texts, surfaces_showing

pytestmark = pytest.mark.django_db

SECRET = "Zorglub"


def publish(page, user):
    page.save_revision(user=user).publish(user=user, skip_permission_checks=True)
    page.refresh_from_db()


@pytest.fixture
def editor():
    user = UserFactory(username="editeur", first_name="Éric", last_name="Éditeur")
    user.groups.add(Group.objects.get(name=roles.EDITORS))
    return user


@pytest.fixture
def cop(axis, ambition, project, moderator, relation_usagers):
    """Axis 2, ambition 16 and projects 16.1 and 16.2, published by a moderator."""
    second = ProjectPageFactory(
        parent=ambition, reference="16.2", title="Ouvrir un guichet unique", pilot_service=relation_usagers
    )
    for page in (axis, ambition, project, second):
        publish(page, moderator)
    return {"axis": axis, "ambition": ambition, "project": project, "second": second}


@pytest.fixture
def direction():
    return Group.objects.create(name="Direction générale")


def restrict_to(page, group):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    return restriction


@pytest.mark.parametrize("cached", [False, True], ids=["rendered", "page-cache"])
def test_a_project_restricted_to_a_group_shows_on_no_surface_to_other_agents(
    cop, agent, moderator, direction, cached, request
):
    if cached:
        request.getfixturevalue("page_cache")
    secret = ProjectPageFactory(
        parent=cop["ambition"], reference="16.3", title=f"Projet {SECRET}", summary=f"Le plan {SECRET}."
    )
    publish(secret, moderator)
    restrict_to(secret, direction)
    member = UserFactory(username="directrice")
    member.groups.add(direction)

    # The member reads it first: the fragments cached for them must not serve the others.
    member_texts = surface_texts(client_for(member), member, search_words=[SECRET[:-1]])
    assert {cop["ambition"].url, cop["axis"].url, "/", "/export/projets.csv"} <= set(
        surfaces_showing(SECRET, member_texts)
    )
    agent_texts = surface_texts(client_for(agent), agent, search_words=[SECRET[:-1]])
    assert surfaces_showing(SECRET, agent_texts) == []
    # The rest of the COP is still there for the agent.
    assert "Créer l'application de la ville" in agent_texts[cop["ambition"].url]


def test_a_restricted_ambition_hides_its_projects_with_it(cop, agent, direction):
    restrict_to(cop["ambition"], direction)
    texts = surface_texts(client_for(agent), agent, search_words=["guichet"])
    assert surfaces_showing("guichet unique", texts) == []


def test_a_page_restricted_to_signed_in_agents_is_read_by_every_agent(cop, agent):
    PageViewRestriction.objects.create(page=cop["second"], restriction_type=PageViewRestriction.LOGIN)
    assert Reader.of(agent).sees(cop["second"])
    assert "guichet unique" in client_for(agent).get(cop["ambition"].url).content.decode()


def test_a_password_restricted_page_is_in_no_listing(cop, agent):
    PageViewRestriction.objects.create(
        page=cop["second"], restriction_type=PageViewRestriction.PASSWORD, password="clamart"
    )
    assert not Reader.of(agent).sees(cop["second"])
    assert "guichet unique" not in client_for(agent).get(cop["ambition"].url).content.decode()


def test_unapproved_drafts_show_on_no_surface(cop, agent, editor):
    """An editor's draft of a live project, a draft of its ambition, and a project never published."""
    project = cop["project"].get_latest_revision_as_object()
    project.title = f"{project.title} {SECRET}"
    project.summary = f"Résumé {SECRET}."
    project.body = f"<p>Le mot {SECRET}.</p>"
    project.save_revision(user=editor)
    ambition = cop["ambition"].get_latest_revision_as_object()
    ambition.title = f"Ambition {SECRET}"
    ambition.save_revision(user=editor)
    ProjectPageFactory(parent=cop["ambition"], reference="16.4", title=f"Brouillon {SECRET}", live=False)

    texts = surface_texts(client_for(agent), agent, search_words=[SECRET[:-1]])
    assert surfaces_showing(SECRET, texts) == []
    assert "Créer l'application de la ville" in texts[cop["project"].url]
