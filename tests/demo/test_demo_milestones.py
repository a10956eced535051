"""The demo's milestones (jalons): most projects of both COPs have a few, dated between their start and
due date, taken or not as the project's status says, a few late; published with the project."""

from django.utils import timezone

from wagtail.models import Revision

import pytest

from axes.models import Milestone, ProjectPage, ProjectStatus

pytestmark = pytest.mark.django_db

UNDER_WAY = {ProjectStatus.ENGAGE, ProjectStatus.SUSPENDU}


def projects_of(cop):
    return ProjectPage.objects.descendant_of(cop).live().prefetch_related("milestones")


def test_most_projects_of_both_cops_have_two_to_four_milestones_between_their_start_and_due_date(
    demo_as_loaded,
):
    for cop in demo_as_loaded:
        projects = list(projects_of(cop))
        with_milestones = [project for project in projects if project.milestones.all()]
        assert len(with_milestones) >= 0.75 * len(projects), cop.title
        for project in with_milestones:
            milestones = list(project.milestones.all())
            assert 2 <= len(milestones) <= 4, project.reference
            titles = [milestone.title for milestone in milestones]
            assert len(set(titles)) == len(titles), "loaded twice, not duplicated"
            planned = [milestone.planned_date for milestone in milestones]
            assert planned == sorted(planned), project.reference
            assert project.start_date <= planned[0] and planned[-1] <= project.due_date, project.reference


def test_done_projects_took_every_step_planned_ones_none_and_nothing_is_done_in_the_future(demo_as_loaded):
    today = timezone.localdate()
    for cop in demo_as_loaded:
        milestones = Milestone.objects.filter(project__in=projects_of(cop))
        assert not milestones.filter(project__status=ProjectStatus.REALISE, done_date=None)
        planned = milestones.filter(project__status=ProjectStatus.EN_PROJET)
        assert planned.exists()
        assert not planned.exclude(done_date=None)
        assert not planned.filter(planned_date__lt=today), "a planned project's steps are ahead"
        assert not milestones.filter(done_date__gt=today)
        assert milestones.filter(project__status=ProjectStatus.ENGAGE).exclude(done_date=None).exists()


def test_a_few_projects_under_way_have_a_late_milestone(demo_as_loaded):
    today = timezone.localdate()
    for cop in demo_as_loaded:
        projects = projects_of(cop)
        late = Milestone.objects.late(today).filter(project__in=projects)
        late_projects = set(late.values_list("project", flat=True))
        assert 2 <= len(late_projects) <= 0.2 * projects.count(), cop.title
        assert set(late.values_list("project__status", flat=True)) <= UNDER_WAY
        # Every project past its due date has missed a step, if it has any.
        for project in projects.past_due(today).filter(milestones__isnull=False).distinct():
            assert project.pk in late_projects, project.reference


def test_the_milestones_are_those_of_the_published_version_and_the_first_version_had_none_done(
    demo_as_loaded,
):
    for cop in demo_as_loaded:
        projects = projects_of(cop).select_related("live_revision")
        for project in projects:
            published = [
                (row["title"], row["planned_date"], row["done_date"])
                for row in project.live_revision.content["milestones"]
            ]
            rows = [
                (
                    milestone.title,
                    milestone.planned_date.isoformat(),
                    milestone.done_date and str(milestone.done_date),
                )
                for milestone in project.milestones.all()
            ]
            assert published == rows, project.reference
        first_versions = {}
        for revision in Revision.page_revisions.filter(
            object_id__in=[str(project.pk) for project in projects]
        ).order_by("-created_at"):
            first_versions[revision.object_id] = revision
        with_history = [
            project
            for project in projects
            if first_versions[str(project.pk)].pk != project.live_revision_id and project.milestones.all()
        ]
        assert len(with_history) >= 2, cop.title
        for project in with_history:
            first = first_versions[str(project.pk)].content["milestones"]
            assert [row["done_date"] for row in first] == [None] * len(first), project.reference
