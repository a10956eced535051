"""The demo's two COPs as `load_demo_cop` leaves them: the 2026–2032 COP current at `/`, in its own
words, about half of its actions carried over from the archived 2020–2026 COP, one click away."""

import html

from wagtail.models import Site

import pytest

from axes.models import AmbitionPage, AxisPage, ProjectPage

pytestmark = pytest.mark.django_db


def text_of(response):
    """The page as the agent reads it: entities decoded, non-breaking spaces as spaces."""
    assert response.status_code == 200
    return html.unescape(response.content.decode()).replace("\xa0", " ").replace("\u202f", " ")


def test_the_new_cop_is_current_and_speaks_of_orientations_objectifs_and_actions(
    demo_as_loaded, agent_client
):
    old_cop, new_cop = demo_as_loaded
    assert Site.objects.get(is_default_site=True).root_page_id == new_cop.pk
    assert (new_cop.start_year, new_cop.end_year, new_cop.archived) == (2026, 2032, False)
    assert (old_cop.start_year, old_cop.end_year, old_cop.archived) == (2020, 2026, True)
    assert old_cop.get_parent().pk == new_cop.get_parent().pk and old_cop.depth == new_cop.depth == 2
    assert new_cop.live and old_cop.live

    assert AxisPage.objects.child_of(new_cop).live().count() == 4
    assert AmbitionPage.objects.descendant_of(new_cop).live().count() == 20
    home = text_of(agent_client.get("/"))
    assert "Orientation 1" in home
    assert "Rechercher une action, un objectif ou un service" in home
    assert "Axe 1" not in home
    objective = AmbitionPage.objects.descendant_of(new_cop).get(number=3)
    assert "Objectif n° 3" in text_of(agent_client.get(objective.url))


def test_about_half_of_the_80_actions_carry_over_a_project_of_the_2020_cop(demo_as_loaded):
    old_cop, new_cop = demo_as_loaded
    actions = ProjectPage.objects.descendant_of(new_cop).live().prefetch_related("services")
    assert 75 <= actions.count() <= 85
    carried = [action for action in actions if action.continues_id]
    assert 0.4 * actions.count() <= len(carried) <= 0.6 * actions.count()
    old_projects = ProjectPage.objects.descendant_of(old_cop)
    assert {action.continues_id for action in carried} <= set(old_projects.values_list("pk", flat=True))
    for action in carried:
        old = action.continues
        assert (action.title, action.summary, action.pilot_service_id) == (
            old.title,
            old.summary,
            old.pilot_service_id,
        )
        assert set(action.services.all()) == set(old.services.all()), action.reference


def test_a_reference_repeats_across_the_two_cops_but_not_within_one(demo_as_loaded):
    old_cop, new_cop = demo_as_loaded
    for cop in (old_cop, new_cop):
        references = list(ProjectPage.objects.descendant_of(cop).values_list("reference", flat=True))
        assert len(references) == len(set(references))
    assert ProjectPage.objects.filter(reference="1.1").count() == 2


def test_the_archived_cop_answers_under_its_slug_in_its_own_words(demo_as_loaded, agent_client):
    old_cop, _ = demo_as_loaded
    page = text_of(agent_client.get("/cops/2020-2026/"))
    assert "Axe 1" in page
    assert "Orientation 1" not in page
    assert "COP archivé (2020–2026)" in page
    axis = AxisPage.objects.child_of(old_cop).get(number=1)
    assert axis.url_path.startswith("/2020-2026/")
    assert "Axe 1" in text_of(agent_client.get(f"/cops/2020-2026/{axis.slug}/"))


def test_a_carried_over_action_shows_where_it_came_from(demo_as_loaded, agent_client):
    _, new_cop = demo_as_loaded
    action = ProjectPage.objects.descendant_of(new_cop).get(reference="16.1")
    assert action.continues.reference == "16.1"
    page = text_of(agent_client.get(action.url))
    assert "Suite de" in page
    assert action.continues.title in page
