import datetime

from django.contrib.auth import get_user_model
from django.utils.text import slugify

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from axes.models import AmbitionPage, AxisPage, ProjectPage, ProjectStatus, Service
from history.models import Edition


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


class EditionFactory(DjangoModelFactory):
    class Meta:
        model = Edition

    name = factory.Sequence(lambda n: f"Édition n° {n + 1}")
    date = factory.Sequence(lambda n: datetime.date(2022, 1, 1) + datetime.timedelta(days=90 * n))
