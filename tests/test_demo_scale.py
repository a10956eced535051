"""The scaled demo COP (`load_demo_cop --scale N`): numbering, no duplicate, pages as real as the demo's."""

from collections import Counter
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.models import ReferenceIndex, Revision

import pytest

from axes.demo import data
from axes.demo.builder import cop_2020, scaled_cop
from axes.models import AmbitionPage, AxisPage, ProjectPage

from .demo_loading import demo_undone_afterwards

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def scaled_demo(django_db_setup, django_db_blocker):
    """The demo at scale 2, loaded twice: the second run must create nothing."""
    with demo_undone_afterwards(django_db_blocker):
        with django_db_blocker.unblock():
            first, second = StringIO(), StringIO()
            call_command("load_demo_cop", "--scale", "2", stdout=first)
            call_command("load_demo_cop", "--scale", "2", stdout=second)
        yield first.getvalue(), second.getvalue()


def test_each_lot_repeats_the_50_ambitions_numbered_50_further():
    lots = list(scaled_cop(3))
    numbers = [ambition["number"] for lot in lots for _, ambition in lot]
    assert sorted(numbers) == list(range(1, 151))
    demo = {a["number"]: (axis["number"], a) for axis in data.AXES for a in axis["ambitions"]}
    for lot, ambitions in enumerate(lots):
        for axis_number, ambition in ambitions:
            original_axis, original = demo[ambition["number"] - 50 * lot]
            assert axis_number == original_axis
            assert [project["reference"] for project in ambition["projects"]] == [
                f"{ambition['number']}.{index}" for index in range(1, len(original["projects"]) + 1)
            ]


def test_the_first_lot_is_the_demo_and_later_lots_say_which_lot_they_are():
    first, third = list(scaled_cop(3))[0::2]
    assert [ambition["title"] for _, ambition in first] == [
        ambition["title"] for axis in data.AXES for ambition in axis["ambitions"]
    ]
    _, ambition = third[15]
    assert ambition["number"] == 116
    assert ambition["title"].endswith(" (lot 3)")
    assert ambition["slug"].endswith("-lot-3")
    assert all(project["title"].endswith(" (lot 3)") for project in ambition["projects"])


def test_titles_slugs_and_references_stay_unique_where_they_must():
    lots = list(scaled_cop(4))
    references = [project["reference"] for lot in lots for _, a in lot for project in a["projects"]]
    assert len(references) == len(set(references)) == 1000
    slugs_by_axis = Counter((axis, ambition["slug"]) for lot in lots for axis, ambition in lot)
    titles_by_axis = Counter((axis, ambition["title"]) for lot in lots for axis, ambition in lot)
    assert max(slugs_by_axis.values()) == max(titles_by_axis.values()) == 1
    for lot in lots:
        for _, ambition in lot:
            assert len({project["slug"] for project in ambition["projects"]}) == len(ambition["projects"])


def test_scale_2_builds_100_ambitions_and_500_projects_once(scaled_demo):
    first_run, second_run = scaled_demo
    cop = cop_2020()
    assert AxisPage.objects.live().child_of(cop).count() == 5
    numbers = AmbitionPage.objects.live().descendant_of(cop).values_list("number", flat=True)
    assert sorted(numbers) == list(range(1, 101))
    references = list(ProjectPage.objects.live().descendant_of(cop).values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 500
    assert "250 / 500 projets" in first_run
    assert "500 / 500 projets" in first_run
    assert "Démo du COP chargée : 0\xa0page créée." in second_run


def test_a_copied_ambition_sits_in_the_axis_of_its_original(scaled_demo):
    ambitions = AmbitionPage.objects.descendant_of(cop_2020())
    ambition, original = ambitions.get(number=66), ambitions.get(number=16)
    assert ambition.get_parent().pk == original.get_parent().pk
    assert ambition.title.endswith(" (lot 2)")
    projects = ProjectPage.objects.child_of(ambition).order_by("path")
    assert list(projects.values_list("reference", flat=True)) == [f"66.{index}" for index in range(1, 6)]


def test_copied_projects_are_published_with_a_revision_indexed_and_referenced(scaled_demo):
    project = ProjectPage.objects.descendant_of(cop_2020()).get(reference="66.1")
    assert project.live and not project.has_unpublished_changes
    assert project.live_revision_id == project.latest_revision_id
    assert Revision.page_revisions.filter(object_id=str(project.pk)).exists()
    assert project.pk in {result.pk for result in ProjectPage.objects.live().search(project.title)}
    assert ReferenceIndex.get_references_to(project.pilot_service).filter(object_id=str(project.pk)).exists()


def test_the_scale_is_checked():
    with pytest.raises(CommandError):
        call_command("load_demo_cop", "--scale", "0", stdout=StringIO())
