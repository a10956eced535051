"""Every rule of the content model shows a clear French error on its field in the Wagtail editor."""

from django.urls import reverse
from django.utils.text import slugify

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import pytest

from axes.models import AmbitionPage, AxisPage, ProjectPage, Service

from .factories import AmbitionPageFactory, AxisPageFactory, ProjectPageFactory

pytestmark = pytest.mark.django_db


def add_page(client, model, parent, **fields):
    """Submits the editor's "add page" form, as an editor would, and returns the response."""
    url = reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk))
    data = {"slug": slugify(fields["title"]), "comments": inline_formset([]), **fields}
    if "services" in data:
        data["services"] = picked_services(data["services"])
    if "intro" in data or model in (AxisPage, AmbitionPage):
        data.setdefault("intro", rich_text(""))
    if model is ProjectPage:
        data.setdefault("body", rich_text(""))
        data.setdefault("related_links", inline_formset([]))
        data.setdefault("milestones", inline_formset([]))
    return client.post(url, nested_form_data(data))


def project_fields(pilot, **overrides):
    return {
        "title": "Installer des arceaux vélo devant les écoles",
        "reference": "16.9",
        "summary": "Des arceaux vélo devant chaque groupe scolaire.",
        "status": "engage",
        "progress": "50",
        "start_date": "2024-01-01",
        "due_date": "2025-06-30",
        "pilot_service": str(pilot.pk),
        "services": pilot.name,
        **overrides,
    }


def picked_services(names):
    """The services field as the editor's picker submits it: the ticked services' ids, comma-separated;
    a name the list does not hold goes as typed, as a hand-made request would send it."""
    ids = dict(Service.objects.values_list("name", "pk"))
    return ",".join(str(ids.get(name, name)) for name in names.split(", "))


def field_errors(response, field):
    assert response.status_code == 200, "the editor should re-display the form"
    return response.context["form"].errors.get(field, [])


def test_a_valid_project_is_created(admin_client, ambition, relation_usagers, education):
    fields = project_fields(relation_usagers, services="Relation usagers, Éducation")
    response = add_page(admin_client, ProjectPage, ambition, **fields)
    assert response.status_code == 302
    project = ProjectPage.objects.get(reference="16.9")
    assert set(project.services.values_list("slug", flat=True)) == {"relation-usagers", "education"}


def test_axis_numbers_are_unique_in_the_cop(admin_client, home, axis):
    response = add_page(admin_client, AxisPage, home, title="Un autre axe", number="2")
    assert field_errors(response, "number") == ["Un autre axe du COP porte déjà ce numéro."]
    assert AxisPage.objects.count() == 1


@pytest.mark.parametrize("number", ["0", "10"])
def test_axis_numbers_go_from_1_to_9(admin_client, home, number):
    response = add_page(admin_client, AxisPage, home, title="Un axe", number=number)
    assert field_errors(response, "number")[0].startswith("Assurez-vous que cette valeur est")


def test_ambition_numbers_are_unique_across_all_axes(admin_client, home, ambition):
    other_axis = AxisPageFactory(parent=home, number=3)
    response = add_page(admin_client, AmbitionPage, other_axis, title="Une ambition", number="16")
    assert field_errors(response, "number") == ["Une autre ambition du COP porte déjà ce numéro."]


def test_project_references_are_unique_across_the_cop(admin_client, axis, project, relation_usagers):
    other_ambition = AmbitionPageFactory(parent=axis, number=17)
    fields = project_fields(relation_usagers, reference="16.1")
    response = add_page(admin_client, ProjectPage, other_ambition, **fields)
    assert field_errors(response, "reference") == ["Un autre projet du COP porte déjà cette référence."]


def test_a_reference_is_made_of_numbers_and_letters(admin_client, ambition, relation_usagers):
    response = add_page(
        admin_client, ProjectPage, ambition, **project_fields(relation_usagers, reference="16 2")
    )
    assert "par exemple 16.2" in field_errors(response, "reference")[0]


@pytest.mark.parametrize("progress", ["-5", "101"])
def test_progress_stays_between_0_and_100(admin_client, ambition, relation_usagers, progress):
    response = add_page(
        admin_client, ProjectPage, ambition, **project_fields(relation_usagers, progress=progress)
    )
    assert field_errors(response, "progress")[0].startswith("Assurez-vous que cette valeur est")
    assert not ProjectPage.objects.exists()


def test_the_due_date_cannot_precede_the_start(admin_client, ambition, relation_usagers):
    fields = project_fields(relation_usagers, start_date="2026-01-01", due_date="2025-12-31")
    response = add_page(admin_client, ProjectPage, ambition, **fields)
    assert field_errors(response, "due_date") == ["L'échéance ne peut pas précéder la date de début."]


def test_the_pilot_service_counts_among_the_services(admin_client, ambition, relation_usagers, education):
    fields = project_fields(relation_usagers, services="Éducation")
    assert add_page(admin_client, ProjectPage, ambition, **fields).status_code == 302
    project = ProjectPage.objects.get(reference="16.9")
    assert set(project.services.values_list("slug", flat=True)) == {"relation-usagers", "education"}


def test_the_summary_is_at_most_400_characters(admin_client, ambition, relation_usagers):
    response = add_page(
        admin_client, ProjectPage, ambition, **project_fields(relation_usagers, summary="a" * 401)
    )
    assert "400" in field_errors(response, "summary")[0]


def test_editors_cannot_invent_a_service_by_typing_it(admin_client, ambition, relation_usagers):
    fields = project_fields(relation_usagers, services="Relation usagers, Service imaginaire")
    response = add_page(admin_client, ProjectPage, ambition, **fields)
    assert field_errors(response, "services") == [
        "« Service imaginaire » n'est pas dans la liste des services : choisissez un service existant "
        "(un administrateur ajoute les nouveaux sous « Services »)."
    ]
    assert not Service.objects.filter(name="Service imaginaire").exists()
    assert not ProjectPage.objects.filter(reference="16.9").exists()


def test_factories_keep_the_pilot_among_services(ambition):
    project = ProjectPageFactory(parent=ambition)
    assert project.pilot_service in project.services.all()
