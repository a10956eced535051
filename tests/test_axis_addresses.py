"""An axis lives at /<its slug>/, after the site's own views: a slug that one of them answers
(/services/, /recherche/, /projets/<ref>/…) would hide the axis or its pages. The editor refuses it in
French; the import gives the axis a free one."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from wagtail.test.utils.form_data import nested_form_data, rich_text

import pytest

from axes.models import AxisPage

from .test_spreadsheets import csv_file, import_file, new_project_row

pytestmark = pytest.mark.django_db

TAKEN = ["services", "recherche", "indicateurs", "projets", "ambitions", "evolutions", "calendrier"]
TAKEN += ["campagnes", "admin", "connexion", "mon-service", "abonnements", "cops", "documents"]


def new_axis(home, slug, number=3):
    axis = AxisPage(number=number, title="Un axe", slug=slug)
    home.add_child(instance=axis)
    return axis


@pytest.mark.parametrize("slug", TAKEN)
def test_an_axis_may_not_take_an_address_of_the_site(home, slug):
    with pytest.raises(ValidationError) as refusal:
        new_axis(home, slug)
    assert refusal.value.message_dict["slug"] == [
        f"« {slug} » ne peut pas être le slug d'un axe : /{slug}/ est l'adresse d'une page du site, qui "
        f"cacherait l'axe. Choisissez-en un autre, par exemple « {slug}-3 »."
    ]


@pytest.mark.parametrize("slug", ["services-publics", "agir-pour-le-climat", "api", "historique"])
def test_other_slugs_are_free(home, agent_client, slug):
    axis = new_axis(home, slug)
    assert agent_client.get(f"/{slug}/").context["page"] == axis


def test_the_editor_refuses_the_slug_on_its_field_in_french(admin_client, home):
    url = reverse("wagtailadmin_pages:add", args=["axes", "axispage", home.pk])
    data = nested_form_data(
        {"title": "Services", "slug": "services", "number": "3", "intro": rich_text("Un axe.")}
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["slug"][0].startswith("« services » ne peut pas être le slug")
    assert not AxisPage.objects.filter(slug="services").exists()


def test_the_import_gives_an_axis_titled_like_an_address_a_free_slug(
    home, relation_usagers, education, agent_client
):
    row = new_project_row("31.1", axe="4", axe_titre="Services", ambition="31", ambition_titre="Accueil")
    plan = import_file(csv_file([row]))
    assert plan.is_valid, plan.problems

    axis = AxisPage.objects.get(number=4)
    assert axis.slug == "services-2"
    assert agent_client.get("/services-2/").context["page"] == axis
    assert agent_client.get("/services/").resolver_match.url_name == "service_list"
