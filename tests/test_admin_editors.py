"""The editors' admin: references in every list, children by number, services from the list, readable
comparisons, the city's colours (issue 16)."""

import datetime
import re
from html import unescape

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import strip_tags

from wagtail.models import Site
from wagtail.test.utils.form_data import querydict_from_html

import pytest

from axes.models import ProjectPage, ProjectStatus
from editorial import roles
from home.models import CityIdentity

from .clients import client_for
from .factories import AmbitionPageFactory, AxisPageFactory, ProjectPageFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = UserFactory(username="editeur", first_name="Eva")
    user.groups.add(Group.objects.get(name=roles.EDITORS))
    return client_for(user)


@pytest.fixture
def projects(ambition, project, education):
    """16.1 (the fixture's), 16.2, 16.10 and 16.21, created out of order, and the ambition n° 3
    project whose title reads like a reference ("16-25")."""
    youth = AmbitionPageFactory(parent=ambition.get_parent(), number=3, title="Accompagner les jeunes")
    ProjectPageFactory(parent=youth, reference="3.2", title="Bourse aux projets des 16-25 ans")
    for reference, title in [
        ("16.10", "Guichet numérique des associations"),
        ("16.21", "Tablettes dans les accueils"),
        ("16.2", "Identité numérique pour chaque foyer"),
    ]:
        ProjectPageFactory(parent=ambition, reference=reference, title=title, pilot_service=education)
    return {page.reference: page for page in ProjectPage.objects.all()}


def text_of(response):
    return " ".join(unescape(strip_tags(response.content.decode())).split())


def listed(response):
    return [page.specific.reference for page in response.context["object_list"]]


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def edit_form(client, page, **changes):
    data = querydict_from_html(client.get(edit_url(page)).content.decode(), form_id="page-edit-form")
    for name, value in changes.items():
        data[name] = value
    return data


# --- References, in the search and the explorer ---------------------------------------------


def test_the_admin_search_finds_project_16_2_first(editor, projects):
    response = editor.get(reverse("cop_admin_page_search"), {"q": "16.2"})
    assert listed(response)[0] == "16.2"
    assert "16.2 · Identité numérique pour chaque foyer" in text_of(response)


def test_the_admin_search_header_counts_pages_in_french(editor, projects):
    header = text_of(editor.get(reverse("cop_admin_page_search"), {"q": "numérique"}))
    assert re.search(r"1-\d+ sur \d+ pages", header), header
    assert "None" not in header


def test_the_sidebar_search_and_the_search_areas_lead_to_the_cops_search(editor, projects):
    home = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("cop_admin_page_search") in home
    images = editor.get(reverse("wagtailimages:index"), {"q": "16.2"}).content.decode()
    assert reverse("wagtailadmin_pages:search") not in images


def test_an_ambition_number_finds_the_ambition_first(editor, projects, ambition):
    response = editor.get(reverse("cop_admin_page_search"), {"q": "16"})
    assert response.context["object_list"][0].pk == ambition.pk


def test_the_explorer_lists_an_ambitions_projects_by_reference(editor, projects, ambition):
    response = editor.get(reverse("wagtailadmin_explore", args=[ambition.pk]))
    assert listed(response) == ["16.1", "16.2", "16.10", "16.21"]
    assert "16.10 · Guichet numérique des associations" in text_of(response)


def test_the_explorer_lists_an_axis_ambitions_by_number(editor, axis, ambition):
    later = AmbitionPageFactory(parent=axis, number=12, title="Ouvrir les données")
    later.save_revision().publish()  # the most recently updated, which Wagtail would list first
    response = editor.get(reverse("wagtailadmin_explore", args=[axis.pk]))
    assert [page.specific.number for page in response.context["object_list"]] == [12, 16]
    assert "12 · Ouvrir les données" in text_of(response)


def test_the_explorer_lists_the_cops_axes_by_number(editor, home, axis):
    later = AxisPageFactory(parent=home, number=axis.number + 1, title="Agir pour la transition écologique")
    later.save_revision().publish()  # the most recently updated, which Wagtail would list first
    response = editor.get(reverse("wagtailadmin_explore", args=[home.pk]))
    assert [page.specific.number for page in response.context["object_list"]] == [axis.number, later.number]


def test_editors_still_sort_the_explorer_by_a_column(editor, projects, ambition):
    response = editor.get(reverse("wagtailadmin_explore", args=[ambition.pk]), {"ordering": "-title"})
    assert listed(response)[0] == "16.21"  # "Tablettes…", last by title


def test_the_page_editor_and_its_breadcrumbs_carry_the_reference(editor, projects, axis):
    page = text_of(editor.get(edit_url(projects["16.2"])))
    assert "16.2 · Identité numérique pour chaque foyer" in page
    assert "16 · Simplifier l'accès numérique aux services de la ville" in page
    assert f"Axe 2 · {axis.title}" in page


# --- Services ---------------------------------------------------------------------------------


def test_an_unknown_service_is_refused_in_french(editor, project):
    response = editor.post(edit_url(project), edit_form(editor, project, services="Service inconnu"))
    assert response.status_code == 200
    assert "« Service inconnu » n'est pas dans la liste des services" in text_of(response)
    missing = editor.post(edit_url(project), edit_form(editor, project, services="987654"))
    assert "Le service n° 987654 n'est pas dans la liste des services." in text_of(missing)


def test_the_pilot_counts_among_the_services_once_saved(editor, project, education):
    sports = ServiceFactory(name="Sports", slug="sports")
    data = edit_form(editor, project, pilot_service=str(sports.pk), services=str(education.pk))
    response = editor.post(edit_url(project), data)
    assert response.status_code == 302
    draft = ProjectPage.objects.get(pk=project.pk).get_latest_revision_as_object()
    assert draft.pilot_service == sports
    assert {service.slug for service in draft.services.all()} == {"sports", "education"}


def test_services_listed_in_another_order_are_no_change(editor, project):
    form = type(project).get_edit_handler().get_form_class()(instance=project, for_user=project.owner)
    field = form.fields["services"]
    services = list(project.services.all())
    assert not field.has_changed(services, [str(service.pk) for service in reversed(services)])
    assert field.has_changed(services, [str(services[0].pk)])


def test_the_services_are_checkboxes_named_plainly_under_a_filter(editor, project):
    html = editor.get(edit_url(project)).content.decode()
    assert "data-cop-services-filter" in html
    chosen = {str(service.pk) for service in project.services.all()}
    assert set(re.search(r'name="services" value="([\d,]+)"', html)[1].split(",")) == chosen
    assert len(re.findall(r'<input type="checkbox" value="\d+"[^>]* checked>', html)) == len(chosen)
    assert "mots-clés" not in html
    assert "&quot;Éducation&quot;" not in html and '"Éducation"' not in html


def test_the_pilot_chooser_searches_the_services(editor, relation_usagers, education):
    for number in range(30):
        ServiceFactory(name=f"Direction n° {number}")
    url = reverse("wagtailsnippetchoosers_axes_service:choose_results")
    response = editor.get(url, {"q": "educ"})
    assert [str(service) for service in response.context["results"]] == ["Éducation"]
    chooser = editor.get(reverse("wagtailsnippetchoosers_axes_service:choose")).json()["html"]
    assert 'name="q"' in chooser


# --- Comparing two versions -------------------------------------------------------------------


def test_the_comparison_reads_each_change_with_labels(editor, project, relation_usagers, education):
    project.status, project.progress = ProjectStatus.SUSPENDU, 30
    before = project.save_revision()
    project.status, project.progress = ProjectStatus.ENGAGE, 45
    project.due_date = datetime.date(2026, 4, 1)
    project.services.set([relation_usagers])
    after = project.save_revision()
    url = reverse("wagtailadmin_pages:revisions_compare", args=[project.pk, before.pk, after.pk])
    text = text_of(editor.get(url))
    assert "Suspendu → Engagé" in text
    assert "30 → 45" in text
    assert "non renseigné → 1er avril 2026" in text
    assert "Relation usagers, Éducation" in text  # Éducation struck out, by name, not by slug


# --- The city's colours -------------------------------------------------------------------------


def test_the_admin_carries_the_city_colour(editor):
    site = Site.objects.get(is_default_site=True)
    CityIdentity.objects.update_or_create(site=site, defaults={"primary_colour": "#1b5e20"})
    html = editor.get(reverse("wagtailadmin_home")).content.decode()
    # #1b5e20 is hsl(124.5 55.4% 23.7%).
    assert "--w-color-primary-hue: 124.5;" in html
    assert "--w-color-primary-saturation: 55.4%;" in html
    assert "--w-color-secondary-lightness: 23.7%;" in html


def test_without_a_colour_the_admin_is_the_sites_blue(editor):
    html = editor.get(reverse("wagtailadmin_home")).content.decode()
    # #0b4f8a is the site's blue, hsl(207.9 85.2% 29.2%), rather than Wagtail's purple (254.3).
    assert "--w-color-primary-hue: 207.9;" in html
