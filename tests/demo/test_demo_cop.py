"""The demo COP: the seed's shape, realistic content, some history, and no duplicate on a rerun."""

import datetime
from io import StringIO

from django.core.management import call_command

from wagtail.models import Revision

import pytest

from axes.models import AmbitionPage, AxisPage, ProjectPage, ProjectStatus, Service

pytestmark = pytest.mark.django_db


def test_the_demo_has_5_axes_50_ambitions_and_250_projects_without_duplicates(demo_cop):
    assert AxisPage.objects.live().count() == 5
    assert AmbitionPage.objects.live().count() == 50
    assert ProjectPage.objects.live().count() == 250
    assert sorted(AmbitionPage.objects.values_list("number", flat=True)) == list(range(1, 51))


def test_ambition_16_brings_relation_usagers_and_education_together(demo_cop):
    ambition = AmbitionPage.objects.get(number=16)
    assert ambition.get_parent().specific.number == 2
    projects = ProjectPage.objects.child_of(ambition)
    titles = " ".join(projects.values_list("title", flat=True)).lower()
    assert "application" in titles
    assert "identité numérique" in titles
    assert projects.filter(pilot_service__slug="relation-usagers", services__slug="education").exists()


def test_about_30_services_each_with_projects(demo_cop):
    assert 28 <= Service.objects.count() <= 32
    assert not Service.objects.filter(piloted_projects__isnull=True).exists()


def test_every_status_is_represented(demo_cop):
    statuses = set(ProjectPage.objects.values_list("status", flat=True))
    assert statuses == set(ProjectStatus.values)


def test_dates_spread_over_2021_to_2027(demo_cop):
    dates = ProjectPage.objects.values_list("start_date", "due_date")
    assert all(
        datetime.date(2021, 1, 1) <= start <= due <= datetime.date(2027, 12, 31) for start, due in dates
    )
    assert {start.year for start, _ in dates} >= {2021, 2022, 2023, 2024, 2025}


def test_some_projects_have_an_earlier_published_version(demo_cop):
    with_history = [
        project
        for project in ProjectPage.objects.all()
        if Revision.page_revisions.filter(object_id=str(project.pk)).count() > 1
    ]
    assert len(with_history) >= 10
    earliest = (
        Revision.page_revisions.filter(object_id=str(with_history[0].pk)).order_by("created_at").first()
    )
    assert earliest.content["status"] == ProjectStatus.EN_PROJET


def test_the_pilot_is_always_among_the_services(demo_cop):
    for project in ProjectPage.objects.select_related("pilot_service").prefetch_related("services"):
        assert project.pilot_service in project.services.all()


def test_demo_accounts_exist_only_where_settings_allow_them(demo_cop, settings, django_user_model):
    assert not django_user_model.objects.filter(username="agent").exists()
    settings.COP_DEMO_ACCOUNTS = True
    call_command("load_demo_cop", "--if-empty", stdout=StringIO())
    assert set(django_user_model.objects.values_list("username", flat=True)) == {
        "agent",
        "referent",
        "editeur",
        "moderateur",
        "admin",
    }
    assert django_user_model.objects.get(username="admin").is_superuser
