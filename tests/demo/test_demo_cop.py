"""The demo's 2020–2026 COP: the seed's shape, realistic content, some history, and no duplicate on a
rerun."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Revision

import pytest

from axes.models import AmbitionPage, AxisPage, ProjectPage, ProjectStatus, Service

pytestmark = pytest.mark.django_db


def test_the_demo_has_5_axes_50_ambitions_and_250_projects_without_duplicates(demo_cop):
    assert AxisPage.objects.descendant_of(demo_cop).live().count() == 5
    assert AmbitionPage.objects.descendant_of(demo_cop).live().count() == 50
    assert ProjectPage.objects.descendant_of(demo_cop).live().count() == 250
    assert sorted(AmbitionPage.objects.descendant_of(demo_cop).values_list("number", flat=True)) == list(
        range(1, 51)
    )


def test_ambition_16_brings_relation_usagers_and_education_together(demo_cop):
    ambition = AmbitionPage.objects.descendant_of(demo_cop).get(number=16)
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
    statuses = set(ProjectPage.objects.descendant_of(demo_cop).values_list("status", flat=True))
    assert statuses == set(ProjectStatus.values)


def test_dates_spread_over_the_years_before_and_after_the_day_it_is_loaded(demo_cop):
    today = timezone.localdate()
    dates = ProjectPage.objects.descendant_of(demo_cop).values_list("start_date", "due_date")
    assert all(start <= due for start, due in dates)
    years = {start.year for start, _ in dates}
    assert years >= set(range(today.year - 4, today.year + 1))
    assert max(due for _, due in dates) <= today + datetime.timedelta(days=4 * 366)


def test_statuses_agree_with_the_dates_and_only_a_few_projects_are_late_each_for_a_stated_reason(demo_cop):
    today = timezone.localdate()
    projects = ProjectPage.objects.descendant_of(demo_cop).live()
    late = projects.past_due(today)
    assert 0.05 * projects.count() <= late.count() <= 0.10 * projects.count()
    for project in late:
        assert "<p>Échéance dépassée : " in project.body, project.reference
    on_time = projects.exclude(pk__in=late.values("pk"))
    assert not on_time.filter(body__contains="Échéance dépassée"), "no reason where nothing is late"

    done = projects.filter(status=ProjectStatus.REALISE)
    assert not done.filter(due_date__gt=today + datetime.timedelta(days=31)), "done, due in the past or near"
    assert not done.exclude(progress=100).exclude(progress=None)
    planned = projects.filter(status=ProjectStatus.EN_PROJET)
    assert not planned.filter(start_date__lt=today - datetime.timedelta(days=92)), "starts soon or has just"
    assert not planned.exclude(progress=0).exclude(progress=None)
    assert not projects.filter(status=ProjectStatus.ENGAGE, progress__in=[0, 100])
    assert not projects.filter(status=ProjectStatus.ABANDONNE).exclude(progress=None)


def test_some_projects_have_an_earlier_published_version(demo_cop):
    with_history = [
        project
        for project in ProjectPage.objects.descendant_of(demo_cop)
        if Revision.page_revisions.filter(object_id=str(project.pk)).count() > 1
    ]
    assert len(with_history) >= 10
    earliest = (
        Revision.page_revisions.filter(object_id=str(with_history[0].pk)).order_by("created_at").first()
    )
    assert earliest.content["status"] == ProjectStatus.EN_PROJET


def test_the_pilot_is_always_among_the_services(demo_cop):
    for project in (
        ProjectPage.objects.descendant_of(demo_cop)
        .select_related("pilot_service")
        .prefetch_related("services")
    ):
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
