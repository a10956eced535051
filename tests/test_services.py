"""Services are a controlled list of tags: projects are found by service, at once."""

from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import pytest

from axes.models import ProjectPage, Service

from .factories import ProjectPageFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_the_projects_of_a_service_come_back_from_a_query_on_the_tag(ambition, project, education):
    ProjectPageFactory(parent=ambition, reference="16.2")
    assert list(ProjectPage.objects.live().filter(services=education)) == [project]
    assert list(ProjectPage.objects.filter(services__slug="relation-usagers")) == [project]


def test_a_service_added_to_a_published_project_shows_in_the_next_request(admin_client, agent, project):
    sports = ServiceFactory(name="Sports", slug="sports")
    url = reverse("wagtailadmin_pages:edit", args=(project.pk,))
    data = nested_form_data(
        {
            "title": project.title,
            "slug": project.slug,
            "reference": project.reference,
            "summary": project.summary,
            "body": rich_text(""),
            "status": project.status,
            "progress": "40",
            "pilot_service": str(project.pilot_service_id),
            "services": ",".join(str(service.pk) for service in [*project.services.all(), sports]),
            "comments": inline_formset([]),
            "related_links": inline_formset([]),
            "milestones": inline_formset([]),
            "action-publish": "publish",
        }
    )
    assert admin_client.post(url, data).status_code == 302

    assert list(ProjectPage.objects.live().filter(services=sports)) == [project]
    admin_client.force_login(agent)
    assert "Sports" in admin_client.get(project.url).content.decode()


def test_services_are_managed_as_snippets_in_the_admin(admin_client, education):
    response = admin_client.get(reverse("wagtailsnippets_axes_service:list"))
    assert response.status_code == 200
    assert "Éducation" in response.content.decode()


def test_a_service_carries_its_direction_and_contact(education):
    education.direction = "Direction de l'éducation et de l'enfance"
    education.email = "education@clamart.example"
    education.save()
    assert Service.objects.get(slug="education").direction.startswith("Direction")
