"""Editors write indicators in the admin: each value keeps who entered it, pages stay in the COP."""

from django.urls import reverse

from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from axes.models import HomePage
from indicators.models import Indicator

from .factories import AmbitionPageFactory, AxisPageFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


def indicator_form(home, service, ambitions, **overrides):
    data = nested_form_data(
        {
            "cop": str(home.pk),
            "name": "Part des démarches en ligne",
            "slug": "demarches-en-ligne",
            "definition": "Démarches faites en ligne sur toutes les démarches.",
            "unit": "%",
            "direction": "hausse",
            "service": str(service.pk),
            "source": "Portail citoyen",
            "update_months": "12",
            "baseline_value": "20",
            "baseline_date": "2021-12-31",
            "targets": inline_formset([{"date": "2028-12-31", "value": "60"}]),
            "values": inline_formset([{"date": "2024-12-31", "value": "35.5"}]),
            "action-publish": "publish",
            **overrides,
        }
    )
    # A multiple choice goes as one value per choice, which nested_form_data would number.
    return {**data, "ambitions": [str(ambition.pk) for ambition in ambitions]}


def test_an_administrator_publishes_an_indicator_and_its_value_keeps_who_entered_it(
    admin_client, home, ambition, relation_usagers
):
    url = reverse("wagtailsnippets_indicators_indicator:add")
    response = admin_client.post(url, indicator_form(home, relation_usagers, [ambition]))
    assert response.status_code == 302, response.context["form"].errors

    indicator = Indicator.objects.get(slug="demarches-en-ligne")
    assert indicator.live and list(indicator.ambitions.all()) == [ambition]
    [value] = indicator.values.all()
    assert value.entered_by.username == "admin" and value.entered_at is not None


def test_an_indicator_measures_pages_of_its_own_cop_only(admin_client, home, ambition, relation_usagers):
    other = HomePage(title="COP 2014–2020", slug="2014-2020", archived=True)
    Page.get_first_root_node().add_child(instance=other)
    elsewhere = AmbitionPageFactory(parent=AxisPageFactory(parent=other, number=1), number=3)

    url = reverse("wagtailsnippets_indicators_indicator:add")
    response = admin_client.post(url, indicator_form(home, relation_usagers, [ambition, elsewhere]))

    assert response.status_code == 200
    assert response.context["form"].errors["ambitions"] == [
        f"La page n° {elsewhere.pk} n'appartient pas au COP de l'indicateur : choisissez-la dans la liste."
    ]
    assert not Indicator.objects.exists()


def test_the_editor_offers_the_pages_of_the_indicators_cop_by_number(admin_client, home, ambition, project):
    other = HomePage(title="COP 2014–2020", slug="2014-2020", archived=True)
    Page.get_first_root_node().add_child(instance=other)
    AmbitionPageFactory(parent=AxisPageFactory(parent=other, number=1), number=3, title="Ailleurs")

    form = admin_client.get(reverse("wagtailsnippets_indicators_indicator:add")).context["form"]

    assert [label for _, label in form.fields["ambitions"].choices] == [ambition.get_admin_display_title()]
    assert [label for _, label in form.fields["projects"].choices] == [project.get_admin_display_title()]
    assert project.get_admin_display_title().startswith(f"{project.reference} · ")


def test_two_values_on_one_date_are_refused_in_french(admin_client, home, ambition, relation_usagers):
    values = inline_formset([{"date": "2024-12-31", "value": "35"}, {"date": "2024-12-31", "value": "36"}])
    url = reverse("wagtailsnippets_indicators_indicator:add")
    response = admin_client.post(url, indicator_form(home, relation_usagers, [ambition], values=values))

    assert response.status_code == 200
    assert "Deux valeurs portent la même date (31/12/2024)" in str(
        response.context["form"].non_field_errors()
    )
    assert not Indicator.objects.exists()


def test_an_archived_cops_indicator_is_not_changed_in_the_admin(
    admin_client, home, ambition, relation_usagers
):
    home.archived = True
    home.save()
    url = reverse("wagtailsnippets_indicators_indicator:add")
    response = admin_client.post(url, indicator_form(home, relation_usagers, [ambition]))

    assert response.status_code == 200
    assert response.context["form"].errors["cop"] == [home.read_only_message]
    assert not Indicator.objects.exists()


@pytest.fixture
def archived_indicator(home, relation_usagers):
    """An indicator of an archived COP, beside the current one (`home`)."""
    archive = HomePage(title="COP 2014–2020", slug="2014-2020", archived=True)
    Page.get_first_root_node().add_child(instance=archive)
    return IndicatorFactory(cop=archive, service=relation_usagers, name="Indicateur archivé")


def test_an_archived_cops_indicator_is_not_moved_to_another_cop(admin_client, home, archived_indicator):
    url = reverse("wagtailsnippets_indicators_indicator:edit", args=[archived_indicator.pk])
    data = indicator_form(home, archived_indicator.service, [], name="Indicateur sorti des archives")
    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors["cop"] == [archived_indicator.cop.read_only_message]
    assert Indicator.objects.get(pk=archived_indicator.pk).cop == archived_indicator.cop


def test_an_archived_cops_indicator_is_not_deleted(admin_client, archived_indicator):
    url = reverse("wagtailsnippets_indicators_indicator:delete", args=[archived_indicator.pk])
    response = admin_client.post(url, follow=True)

    assert archived_indicator.cop.read_only_message in response.content.decode()
    assert Indicator.objects.filter(pk=archived_indicator.pk).exists()
