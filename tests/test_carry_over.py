"""A new mandate takes up projects of the archived COP ("Reprendre dans le nouveau COP"), and
`/evolutions/comparer/` tells what was carried over, what is new and what was not carried over
(issue 17)."""

from html import unescape

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import strip_tags

from wagtail.models import Page

import pytest

from axes.models import HomePage, ProjectPage, ProjectStatus
from editorial import roles

from .clients import client_for
from .factories import AmbitionPageFactory, AxisPageFactory, ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def text_of(response):
    return " ".join(unescape(strip_tags(response.content.decode())).split())


@pytest.fixture
def new_cop(home):
    """The current COP, in the words of the new mandate: Orientation / Objectif / Action."""
    home.title = "COP 2026–2032"
    home.start_year, home.end_year = 2026, 2032
    home.axis_singular, home.axis_plural, home.axis_feminine = "orientation", "orientations", True
    home.ambition_singular, home.ambition_plural, home.ambition_feminine = "objectif", "objectifs", False
    home.project_singular, home.project_plural, home.project_feminine = "action", "actions", True
    home.project_numbering = ""
    home.save()
    return home


@pytest.fixture
def objective(new_cop, relation_usagers):
    orientation = AxisPageFactory(parent=new_cop, number=1, title="Une ville numérique et sobre")
    objective = AmbitionPageFactory(parent=orientation, number=3, title="Des démarches simples")
    AmbitionPageFactory(parent=orientation, number=4, title="Une administration ouverte")
    return objective


@pytest.fixture
def old_cop(new_cop):
    """The 2020–2026 COP, archived, beside the current one under Wagtail's root."""
    cop = HomePage(title="COP 2020–2026", slug="cop-2020-2026", start_year=2020, end_year=2026, archived=True)
    Page.get_first_root_node().add_child(instance=cop)
    return cop


@pytest.fixture
def old_projects(old_cop, relation_usagers, education):
    axis = AxisPageFactory(parent=old_cop, number=2, title="Accompagner la transition numérique")
    ambition = AmbitionPageFactory(parent=axis, number=16, title="Simplifier l'accès numérique")
    app = ProjectPageFactory(
        parent=ambition,
        reference="16.1",
        title="Créer l'application de la ville",
        summary="Une application pour faire ses démarches en ligne.",
        body="<p>Une application pour iOS et Android.</p>",
        status=ProjectStatus.ENGAGE,
        progress=40,
        pilot_service=relation_usagers,
        services=[education],
    )
    identity = ProjectPageFactory(parent=ambition, reference="16.2", title="Une identité numérique")
    kiosks = ProjectPageFactory(parent=ambition, reference="16.3", title="Des bornes dans les accueils")
    return {"16.1": app, "16.2": identity, "16.3": kiosks}


@pytest.fixture
def editor():
    user = UserFactory(username="editeur", first_name="Eva")
    user.groups.add(Group.objects.get(name=roles.EDITORS))
    return client_for(user)


def carry_over_url(page):
    return reverse("cop_carry_over", args=[page.pk])


def carry_over(client, page, ambition, reference):
    return client.post(carry_over_url(page), {"ambition": ambition.pk, "reference": reference})


# --- The admin action -----------------------------------------------------------------------------


def test_the_form_offers_the_new_cops_objectives_in_its_words(editor, old_projects, objective):
    response = editor.get(carry_over_url(old_projects["16.1"]))
    assert response.status_code == 200
    text = text_of(response)
    assert "Objectif du nouveau COP" in text
    assert "Objectif n° 3 · Des démarches simples" in text
    assert "Objectif n° 4 · Une administration ouverte" in text
    assert "Simplifier l'accès numérique" not in text  # the old COP's ambition is not offered
    assert response.context["form"]["reference"].value() == "16.1"


def test_an_editor_carries_a_project_over_as_a_draft_that_continues_it(editor, old_projects, objective):
    old = old_projects["16.1"]
    response = carry_over(editor, old, objective, "3.1")

    new = ProjectPage.objects.get(continues=old)
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[new.pk])
    assert new.get_parent().pk == objective.pk
    assert not new.live and new.has_unpublished_changes and new.first_published_at is None
    assert new.latest_revision is not None
    assert (new.reference, new.title, new.summary) == ("3.1", old.title, old.summary)
    assert (new.body, new.status, new.progress) == (old.body, old.status, old.progress)
    assert (new.start_date, new.due_date, new.pilot_service_id) == (
        old.start_date,
        old.due_date,
        old.pilot_service_id,
    )
    assert set(new.services.values_list("slug", flat=True)) == {"relation-usagers", "education"}
    assert (
        old.related_links.count() == 0 and ProjectPage.objects.get(pk=old.pk).live
    )  # the old one is untouched
    message = text_of(editor.get(response.url))
    # Each version named in its own COP's words.
    assert (
        "Reprise enregistrée en brouillon : Projet 16.1 devient Action 3.1 dans « COP 2026–2032 »." in message
    )


def test_the_two_versions_link_to_each_other_once_the_draft_is_published(
    editor, agent_client, old_projects, objective
):
    old = old_projects["16.1"]
    carry_over(editor, old, objective, "3.1")
    new = ProjectPage.objects.get(continues=old)
    assert "Repris dans" not in text_of(agent_client.get(old.url))  # a draft is no reader's

    new.get_latest_revision().publish()
    new.refresh_from_db()

    new_page = text_of(agent_client.get(new.url))
    assert "Suite de Projet 16.1 · Créer l'application de la ville (COP 2020–2026)" in new_page
    old_page = text_of(agent_client.get(old.url))
    assert "Repris dans Action 3.1 · Créer l'application de la ville (COP 2026–2032)" in old_page


def test_a_reference_taken_in_the_new_cop_is_refused_in_french(
    editor, old_projects, objective, relation_usagers
):
    ProjectPageFactory(parent=objective, reference="3.1", pilot_service=relation_usagers)
    response = carry_over(editor, old_projects["16.1"], objective, "3.1")
    assert response.status_code == 200
    assert response.context["form"].errors["reference"] == [
        "Une autre action du COP en cours porte déjà la référence 3.1 : choisissez-en une autre."
    ]
    assert not ProjectPage.objects.filter(continues=old_projects["16.1"]).exists()


def test_the_same_reference_as_in_the_old_cop_is_welcome(editor, old_projects, objective):
    carry_over(editor, old_projects["16.2"], objective, "16.2")
    assert ProjectPage.objects.get(continues=old_projects["16.2"]).reference == "16.2"


def test_a_project_already_carried_over_is_refused_with_a_link_to_its_continuation(
    editor, old_projects, objective
):
    old = old_projects["16.1"]
    carry_over(editor, old, objective, "3.1")
    new = ProjectPage.objects.get(continues=old)

    response = carry_over(editor, old, objective, "3.2")
    assert response.status_code == 302
    assert ProjectPage.objects.filter(continues=old).count() == 1
    html = editor.get(response.url, follow=True).content.decode()
    assert "Projet 16.1 a déjà sa reprise dans le COP en cours : Action 3.1 · Créer" in unescape(html)
    assert reverse("wagtailadmin_pages:edit", args=[new.pk]) in html


def test_nothing_is_carried_over_into_an_archived_cop(editor, old_projects, objective, new_cop):
    new_cop.archived = True
    new_cop.save()
    response = carry_over(editor, old_projects["16.1"], objective, "3.1")
    assert response.status_code == 302
    assert not ProjectPage.objects.filter(continues=old_projects["16.1"]).exists()
    text = text_of(editor.get(response.url, follow=True))
    assert "Le COP en cours, « COP 2026–2032 », est archivé : rien ne peut y être repris." in text


def test_a_project_of_the_current_cop_is_not_carried_over(editor, objective, relation_usagers):
    current = ProjectPageFactory(parent=objective, reference="3.1", pilot_service=relation_usagers)
    response = carry_over(editor, current, objective, "3.9")
    assert response.status_code == 302
    assert not ProjectPage.objects.filter(continues=current).exists()


def test_an_agent_cannot_carry_a_project_over(agent_client, old_projects, objective):
    response = carry_over(agent_client, old_projects["16.1"], objective, "3.1")
    assert response.status_code in (302, 403)
    assert not ProjectPage.objects.filter(continues=old_projects["16.1"]).exists()


def test_the_explorer_of_the_old_cop_offers_the_action(admin_client, old_projects, objective):
    old = old_projects["16.1"]
    listing = admin_client.get(reverse("wagtailadmin_explore", args=[old.get_parent().pk]))
    assert carry_over_url(old).encode() in listing.content
    assert "Reprendre dans le nouveau COP" in listing.content.decode()


def test_the_explorer_of_the_current_cop_does_not(admin_client, objective, relation_usagers):
    current = ProjectPageFactory(parent=objective, reference="3.1", pilot_service=relation_usagers)
    listing = admin_client.get(reverse("wagtailadmin_explore", args=[objective.pk]))
    assert listing.status_code == 200
    assert carry_over_url(current).encode() not in listing.content


# --- The comparison -------------------------------------------------------------------------------


@pytest.fixture
def carried_over(old_projects, objective, relation_usagers):
    """16.1 and 16.2 carried over (16.2's continuation still a draft), 16.3 not; 3.9 is new."""
    ProjectPageFactory(
        parent=objective, reference="3.1", title="L'application", continues=old_projects["16.1"]
    )
    ProjectPageFactory(
        parent=objective, reference="3.2", title="L'identité", continues=old_projects["16.2"], live=False
    )
    ProjectPageFactory(
        parent=objective, reference="3.9", title="Un guichet unique", pilot_service=relation_usagers
    )


def test_the_comparison_counts_carried_new_and_dropped_projects(agent_client, carried_over):
    response = agent_client.get(reverse("evolutions_compare"), {"cop": "cop-2020-2026"})
    compared = response.context["cops_comparison"]
    assert [(p.reference, p.continues.reference) for p in compared.carried] == [("3.1", "16.1")]
    assert [p.reference for p in compared.new] == ["3.9"]
    assert [p.reference for p in compared.dropped] == ["16.2", "16.3"]  # 16.2's continuation is a draft
    # Each COP's projects in its own words: the old one's projects, the new one's actions.
    assert [(" ".join(what.split()), how_many) for what, how_many in compared.counts] == [
        ("Projets de « COP 2020–2026 »", 3),
        ("Actions de « COP 2026–2032 »", 2),
        ("Actions reprises", 1),
        ("Actions nouvelles", 1),
        ("Projets non repris", 2),
    ]
    text = text_of(response)
    assert "Actions reprises (1)" in text
    assert "Actions nouvelles (1)" in text
    assert "Projets non repris (2)" in text
    assert response.context["comparison"] is None


def test_the_comparison_offers_the_other_cops_and_keeps_the_dates(agent_client, carried_over):
    response = agent_client.get(reverse("evolutions_compare"))
    text = text_of(response)
    assert "Comparer avec un COP précédent" in text
    assert "COP 2020–2026 (2020–2026)" in text
    assert not response.context["form"].is_bound

    dates = agent_client.get(reverse("evolutions_compare"), {"du": "2022-01-01", "au": "2022-02-01"})
    assert dates.context["comparison"] is not None
    assert dates.context["cops_comparison"] is None


def test_an_unknown_cop_is_refused_in_french(agent_client, carried_over):
    response = agent_client.get(reverse("evolutions_compare"), {"cop": "cop-1900"})
    assert response.status_code == 200
    assert response.context["cops_comparison"] is None
    assert "Ce COP n'existe pas : choisissez-en un dans la liste." in text_of(response)
