import datetime

from django.contrib.auth import get_user_model
from django.utils.text import slugify

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from axes.cops import current_cop
from axes.models import AmbitionPage, AxisPage, Milestone, ProjectPage, ProjectStatus, Service
from history.models import Edition
from indicators.models import Direction, Indicator, IndicatorTarget, IndicatorValue


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"agent{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@clamart.example")
    password = factory.django.Password("mot-de-passe-de-test")


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.LazyAttribute(lambda service: slugify(service.name))


class AxisPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = AxisPage

    title = factory.Sequence(lambda n: f"Axe de test {n}")
    number = factory.Sequence(lambda n: n % 9 + 1)


class AmbitionPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = AmbitionPage

    title = factory.Sequence(lambda n: f"Ambition de test {n}")
    number = factory.Sequence(lambda n: n + 1)


class ProjectPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ProjectPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Projet de test {n}")
    reference = factory.Sequence(lambda n: f"99.{n}")
    summary = "Un projet de test."
    status = ProjectStatus.ENGAGE
    pilot_service = factory.SubFactory(ServiceFactory)

    @factory.post_generation
    def services(project, create, partners, **kwargs):
        """The pilot is always among the services; `services=[...]` adds partners."""
        project.services.add(project.pilot_service, *(partners or []))
        if create:
            project.save()


class MilestoneFactory(DjangoModelFactory):
    """A milestone as its project's publication writes it (a draft's are in its revisions only)."""

    class Meta:
        model = Milestone

    title = factory.Sequence(lambda n: f"Jalon de test {n}")
    planned_date = datetime.date(2030, 6, 30)


class EditionFactory(DjangoModelFactory):
    class Meta:
        model = Edition

    name = factory.Sequence(lambda n: f"Édition n° {n + 1}")
    date = factory.Sequence(lambda n: datetime.date(2022, 1, 1) + datetime.timedelta(days=90 * n))


class IndicatorFactory(DjangoModelFactory):
    """A published indicator of the current COP; `values=[(date, value), ...]`, `targets=[...]`."""

    class Meta:
        model = Indicator
        skip_postgeneration_save = True

    cop = factory.LazyFunction(current_cop)
    name = factory.Sequence(lambda n: f"Indicateur de test {n}")
    slug = factory.LazyAttribute(lambda indicator: slugify(indicator.name))
    definition = "Ce que mesure l'indicateur de test."
    unit = "%"
    direction = Direction.UP
    service = factory.SubFactory(ServiceFactory)
    baseline_value = 10
    baseline_date = datetime.date(2021, 1, 1)
    source = "Service de test"
    live = True

    @factory.post_generation
    def targets(indicator, create, targets, **kwargs):
        for date, value in targets or [(datetime.date(2030, 12, 31), 50)]:
            IndicatorTarget.objects.create(indicator=indicator, date=date, value=value)

    @factory.post_generation
    def values(indicator, create, values, **kwargs):
        for date, value in values or []:
            IndicatorValue.objects.create(indicator=indicator, date=date, value=value)

    @factory.post_generation
    def ambitions(indicator, create, ambitions, **kwargs):
        indicator.ambitions.set(ambitions or [])

    @factory.post_generation
    def projects(indicator, create, projects, **kwargs):
        indicator.projects.set(projects or [])
        if create:
            indicator.save()
