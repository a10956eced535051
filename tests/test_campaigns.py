"""Yearly update campaigns: a moderator opens "Revue annuelle 2026", each service's référent confirms
its projects in one click or proposes changes, the admin's home shows each service's completion, and
closing the campaign records the COP at the review as an edition, which the comparison offers."""

import datetime
import re
import zoneinfo
from html import unescape
from types import SimpleNamespace

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import Page

import pytest
import time_machine

from axes.cops import cops_scope
from axes.models import HomePage, ProjectStatus
from editorial import roles
from followup.admin_views import CampaignPanel
from followup.campaigns import completion_by_service, overall
from followup.models import Answer, Campaign, CampaignAnswer
from history.models import Edition

from .browser import axe_violations, browser, sign_in  # noqa: F401 (fixtures)
from .clients import client_for
from .factories import ProjectPageFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def at(year, month, day, hour=10):
    """Freezes the clock at that time in Clamart."""
    return time_machine.travel(datetime.datetime(year, month, day, hour, tzinfo=PARIS), tick=False)


def member(username, group=None, services=(), **fields):
    user = UserFactory(username=username, first_name=username.capitalize(), **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    user.services.add(*services)
    return user


@pytest.fixture
def finances():
    return ServiceFactory(name="Finances", slug="finances")


@pytest.fixture
def projects(ambition, project, relation_usagers, education, finances):
    """16.1 and 16.2 piloted by Relation usagers (16.1 with Éducation as a partner), 16.3 by Éducation,
    16.4 by Finances; 16.9 a draft that no campaign asks about."""
    draft = ProjectPageFactory(
        parent=ambition, reference="16.9", title="Brouillon", pilot_service=relation_usagers
    )
    draft.unpublish()
    return {
        "16.1": project,
        "16.2": ProjectPageFactory(
            parent=ambition,
            reference="16.2",
            title="Ouvrir un guichet unique",
            pilot_service=relation_usagers,
        ),
        "16.3": ProjectPageFactory(
            parent=ambition, reference="16.3", title="Équiper les écoles", pilot_service=education
        ),
        "16.4": ProjectPageFactory(
            parent=ambition, reference="16.4", title="Budget participatif", pilot_service=finances
        ),
    }


@pytest.fixture
def people(relation_usagers, education):
    return {
        "referent": member("referent", roles.REFERENTS, [relation_usagers]),
        "education_referent": member("referent-education", roles.REFERENTS, [education]),
        "agent": member("agent", roles.AGENTS, [relation_usagers]),
        "editor": member("editeur", roles.EDITORS),
        "moderator": member("moderateur", roles.MODERATORS),
    }


@pytest.fixture
def campaign(home, people, projects):
    return Campaign.objects.create(
        cop=home,
        name="Revue annuelle 2026",
        deadline=datetime.date(2026, 6, 30),
        opened_by=people["moderator"],
    )


def campaign_url(campaign):
    return reverse("campaign_detail", args=[campaign.pk])


def confirm_url(campaign, project):
    return reverse("campaign_confirm", kwargs={"pk": campaign.pk, "reference": project.reference})


def text(response):
    """The page's words, as read: tags left out, entities decoded, non-breaking spaces as spaces."""
    words = unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", words.replace("\xa0", " ").replace("\u202f", " "))


def completions(campaign):
    return {service.slug: (done.answered, done.total) for service, done in completion_by_service(campaign)}


# --- The référent's page --------------------------------------------------------------------------


def test_a_referent_sees_their_services_projects_and_confirms_one_in_one_click(campaign, projects, people):
    referent = client_for(people["referent"])
    page = referent.get(campaign_url(campaign))
    assert page.status_code == 200
    content = page.content.decode()
    shown = text(page)
    assert "Revue annuelle 2026" in shown and "30 juin 2026" in shown
    assert "Créer l'application de la ville" in shown and "Ouvrir un guichet unique" in shown
    assert (
        "Équiper les écoles" not in shown and "Budget participatif" not in shown and "Brouillon" not in shown
    )
    assert shown.count("pas encore de réponse") == 2
    # A plain form that works without JavaScript, with its CSRF token, and the proposal form's link.
    form = re.search(
        rf'<form method="post" action="{re.escape(confirm_url(campaign, projects["16.1"]))}">(.*?)</form>',
        content,
        re.S,
    )
    assert form and 'name="csrfmiddlewaretoken"' in form.group(1)
    assert 'href="/projets/16.1/proposer/"' in content

    response = referent.post(confirm_url(campaign, projects["16.1"]), follow=True)
    assert response.redirect_chain == [(f"{campaign_url(campaign)}#projet-{projects['16.1'].pk}", 302)]
    assert "Merci : le projet 16.1 est confirmé à jour pour « Revue annuelle 2026 »." in text(response)
    answer = CampaignAnswer.objects.get(campaign=campaign)
    assert (answer.project_id, answer.answer, answer.user) == (
        projects["16.1"].pk,
        Answer.UP_TO_DATE,
        people["referent"],
    )
    assert "À jour le" in text(response)


def test_confirming_twice_changes_nothing(campaign, projects, people):
    referent = client_for(people["referent"])
    referent.post(confirm_url(campaign, projects["16.1"]))
    first = CampaignAnswer.objects.get()
    response = referent.post(confirm_url(campaign, projects["16.1"]), follow=True)
    assert "Le projet 16.1 était déjà confirmé à jour." in text(response)
    assert list(CampaignAnswer.objects.values_list("pk", "at")) == [(first.pk, first.at)]


def test_each_services_completion_counts_confirmations_and_proposals_and_no_other_service(
    campaign, projects, people
):
    assert completions(campaign) == {"relation-usagers": (0, 2), "education": (0, 1), "finances": (0, 1)}
    client_for(people["referent"]).post(confirm_url(campaign, projects["16.1"]))
    proposal = client_for(people["referent"]).post(
        reverse("propose_update", args=["16.2"]), {"status": ProjectStatus.REALISE, "note": "Ouvert en mai."}
    )
    assert proposal.status_code == 302
    answers = dict(CampaignAnswer.objects.values_list("project__reference", "answer"))
    assert answers == {"16.1": Answer.UP_TO_DATE, "16.2": Answer.CHANGES_PROPOSED}
    assert completions(campaign) == {"relation-usagers": (2, 2), "education": (0, 1), "finances": (0, 1)}
    assert overall(completion_by_service(campaign)).percent == 50
    page = text(client_for(people["referent"]).get(campaign_url(campaign)))
    assert "Modifications proposées" in page and "2 projets sur 2 ont une réponse (100 %)" in page


def test_a_partners_proposal_answers_too_but_only_while_a_campaign_is_open(campaign, projects, people, home):
    """Éducation is a partner of 16.1: its référent may propose changes, which answer for the project."""
    education = client_for(people["education_referent"])
    education.post(
        reverse("propose_update", args=["16.1"]), {"status": ProjectStatus.REALISE, "note": "Fini."}
    )
    assert CampaignAnswer.objects.get().answer == Answer.CHANGES_PROPOSED
    campaign.closed_at = campaign.opened_at
    campaign.save()
    client_for(people["education_referent"]).post(
        reverse("propose_update", args=["16.3"]), {"status": ProjectStatus.REALISE, "note": "Fini."}
    )
    assert CampaignAnswer.objects.count() == 1


def test_the_page_makes_as_many_queries_with_more_projects_and_answers(
    campaign, projects, people, ambition, relation_usagers
):
    referent = client_for(people["referent"])
    referent.get(campaign_url(campaign))
    with CaptureQueriesContext(connection) as few:
        referent.get(campaign_url(campaign))
    for number in range(10):
        built = ProjectPageFactory(
            parent=ambition, reference=f"16.{30 + number}", pilot_service=relation_usagers
        )
        if number % 2:
            CampaignAnswer.objects.create(
                campaign=campaign, project=built, answer=Answer.UP_TO_DATE, user=people["referent"]
            )
    with CaptureQueriesContext(connection) as many:
        response = referent.get(campaign_url(campaign))
    assert "5 projets sur 12 ont une réponse" in text(response)
    assert len(many) == len(few)


# --- Who may answer, and bad input ------------------------------------------------------------


def test_an_agent_sees_the_answers_but_cannot_confirm(campaign, projects, people):
    agent = client_for(people["agent"])
    page = agent.get(campaign_url(campaign))
    assert page.status_code == 200
    assert '<form method="post" action="/campagnes/' not in page.content.decode()
    assert "Seuls les référents de service confirment" in text(page)
    refused = agent.post(confirm_url(campaign, projects["16.1"]))
    assert refused.status_code == 403
    assert "Seuls les référents du service pilote du projet confirment qu'il est à jour." in text(refused)
    assert not CampaignAnswer.objects.exists()


def test_a_referent_cannot_confirm_another_services_project_even_as_its_partner(campaign, projects, people):
    education = client_for(people["education_referent"])
    assert education.post(confirm_url(campaign, projects["16.1"])).status_code == 403
    assert education.post(confirm_url(campaign, projects["16.4"])).status_code == 403
    assert not CampaignAnswer.objects.exists()


def test_bad_input_is_answered_in_french_never_with_a_500(campaign, projects, people):
    referent = client_for(people["referent"])
    missing = referent.get(reverse("campaign_detail", args=[campaign.pk + 1000]))
    assert missing.status_code == 404 and "Page introuvable" in text(missing)
    assert referent.get(confirm_url(campaign, projects["16.1"])).status_code == 405
    assert referent.post(f"/campagnes/{campaign.pk}/a-jour/99.99/").status_code == 404
    assert referent.post(f"/campagnes/{campaign.pk}/a-jour/16.9/").status_code == 404  # a draft
    assert referent.get("/campagnes/abc/").status_code == 404
    assert not CampaignAnswer.objects.exists()


def test_a_closed_campaign_refuses_answers_in_french(campaign, projects, people):
    with at(2026, 7, 2):
        client_for(people["moderator"]).post(reverse("cop_close_campaign", args=[campaign.pk]))
    referent = client_for(people["referent"])
    refused = referent.post(confirm_url(campaign, projects["16.1"]))
    assert refused.status_code == 403
    assert "La campagne « Revue annuelle 2026 » est close depuis le 2 juillet 2026" in text(refused)
    page = text(referent.get(campaign_url(campaign)))
    assert "Cette campagne est close depuis le 2 juillet 2026" in page
    assert not CampaignAnswer.objects.exists()


def test_another_cops_campaign_is_not_found_at_the_current_cops_address(campaign, people, relation_usagers):
    other = HomePage(title="COP 2014–2020", slug="2014-2020", archived=True)
    Page.get_first_root_node().add_child(instance=other)
    old = Campaign.objects.create(cop=other, name="Revue 2019", deadline=datetime.date(2019, 6, 30))
    referent = client_for(people["referent"])
    assert referent.get(campaign_url(old)).status_code == 404
    assert referent.get(f"/cops/2014-2020/campagnes/{old.pk}/").status_code == 200


# --- The moderators: opening, following, closing -------------------------------------------------


def open_form(client, **fields):
    return client.post(reverse("wagtailsnippets_followup_campaign:add"), fields)


def test_a_moderator_opens_a_campaign_once_per_cop_never_in_an_archived_cop(home, people, projects):
    moderator = client_for(people["moderator"])
    with at(2026, 3, 2):
        form = moderator.get(reverse("wagtailsnippets_followup_campaign:add"))
        assert "Revue annuelle 2026" in form.content.decode()
        opened = open_form(moderator, cop=home.pk, name="Revue annuelle 2026", deadline="2026-06-30")
        assert opened.status_code == 302, text(opened)[-3000:]
        campaign = Campaign.objects.get()
        assert (campaign.opened_by, campaign.is_open, campaign.deadline) == (
            people["moderator"],
            True,
            datetime.date(2026, 6, 30),
        )
        second = open_form(moderator, cop=home.pk, name="Revue bis", deadline="2026-07-30")
        assert "Une campagne est déjà ouverte dans ce COP" in text(second)
        past = open_form(moderator, cop=home.pk, name="Revue passée", deadline="2026-01-30")
        assert "La date limite est déjà passée" in text(past)
        archive = HomePage(
            title="COP 2014–2020", slug="2014-2020", archived=True, start_year=2014, end_year=2020
        )
        Page.get_first_root_node().add_child(instance=archive)
        archived = open_form(moderator, cop=archive.pk, name="Revue 2014", deadline="2026-06-30")
        assert "COP archivé (2014–2020) : on n'y ouvre pas de campagne." in text(archived)
    assert Campaign.objects.count() == 1


def test_the_moderators_list_offers_to_close_an_open_campaign_and_a_closed_one_is_not_edited(
    campaign, people, home
):
    moderator = client_for(people["moderator"])
    close_url = reverse("cop_close_campaign", args=[campaign.pk])
    listing_url = reverse("wagtailsnippets_followup_campaign:list")
    listing = moderator.get(listing_url)
    assert listing.status_code == 200 and close_url in listing.content.decode()
    edit_url = reverse("wagtailsnippets_followup_campaign:edit", args=[campaign.pk])
    assert close_url in moderator.get(edit_url).content.decode()
    with at(2026, 7, 2):
        moderator.post(close_url)
        assert (
            close_url not in moderator.get(reverse("wagtailsnippets_followup_campaign:list")).content.decode()
        )
        edited = moderator.post(edit_url, {"name": "Revue renommée", "deadline": "2026-12-31"})
    assert "Cette campagne est close : elle ne se modifie plus." in text(edited)
    campaign.refresh_from_db()
    assert campaign.name == "Revue annuelle 2026"


def test_an_agent_or_an_editor_cannot_open_a_campaign(home, people):
    for who in ("agent", "editor", "referent"):
        response = open_form(client_for(people[who]), cop=home.pk, name="Revue", deadline="2099-06-30")
        assert response.status_code in (302, 403)
    assert not Campaign.objects.exists()


def panel_html(user):
    request = SimpleNamespace(user=user)
    with cops_scope():
        return CampaignPanel().render_html({"request": request})


def test_the_admin_home_shows_each_services_completion_in_a_fixed_number_of_queries(
    campaign, projects, people, ambition, relation_usagers
):
    client_for(people["referent"]).post(confirm_url(campaign, projects["16.1"]))
    home_page = text(client_for(people["moderator"]).get(reverse("wagtailadmin_home")))
    assert "Revue annuelle 2026" in home_page
    assert "Relation usagers 1 2 50 %" in home_page
    assert "Éducation 0 1 0 %" in home_page
    assert "Tout le COP 1 4 25 %" in home_page
    assert "Clore la campagne" in home_page

    panel_html(people["moderator"])  # the moderator's permissions, read once per request
    with CaptureQueriesContext(connection) as few:
        panel_html(people["moderator"])
    for number in range(12):
        service = ServiceFactory(name=f"Service {number}")
        built = ProjectPageFactory(parent=ambition, reference=f"16.{20 + number}", pilot_service=service)
        CampaignAnswer.objects.create(campaign=campaign, project=built, answer=Answer.UP_TO_DATE)
    with CaptureQueriesContext(connection) as many:
        html = panel_html(people["moderator"])
    assert len(many) == len(few)
    assert "13 projets sur 16 ont une réponse (81 %)" in unescape(html).replace("\u00a0", " ")


def test_the_editors_see_the_panel_but_only_moderators_may_close(campaign, people):
    editor_home = text(client_for(people["editor"]).get(reverse("wagtailadmin_home")))
    assert "Revue annuelle 2026" in editor_home and "Clore la campagne" not in editor_home
    refused = client_for(people["editor"]).post(reverse("cop_close_campaign", args=[campaign.pk]))
    assert refused.status_code in (302, 403)
    campaign.refresh_from_db()
    assert campaign.is_open


def test_closing_records_an_edition_that_the_comparison_offers_and_closing_twice_is_refused(
    campaign, projects, people
):
    moderator = client_for(people["moderator"])
    client_for(people["referent"]).post(confirm_url(campaign, projects["16.1"]))
    with at(2026, 7, 2, 18):
        confirm = moderator.get(reverse("cop_close_campaign", args=[campaign.pk]))
        assert "1 projet sur 4 a une réponse (25 %)" in text(confirm)
        closed = moderator.post(reverse("cop_close_campaign", args=[campaign.pk]), follow=True)
        assert "La campagne « Revue annuelle 2026 » est close." in text(closed)
        again = moderator.post(reverse("cop_close_campaign", args=[campaign.pk]), follow=True)
        assert "est déjà close depuis le 2 juillet 2026 : elle ne se clôt qu'une fois." in text(again)
    campaign.refresh_from_db()
    assert (campaign.is_open, campaign.closed_by) == (False, people["moderator"])
    [edition] = Edition.objects.all()
    assert (edition.name, edition.date, campaign.edition) == (
        "Revue annuelle 2026",
        datetime.date(2026, 7, 2),
        edition,
    )
    assert "une réponse pour 1 projet sur 4" in edition.description.replace("\u00a0", " ")

    with at(2026, 9, 15):
        compare = client_for(people["agent"]).get(reverse("evolutions_compare"))
        assert "De « Revue annuelle 2026 » à aujourd'hui" in text(compare)
        assert "?du=2026-07-02&amp;au=2026-09-15" in compare.content.decode()


# --- The référents find the campaign -----------------------------------------------------------


def test_a_referent_finds_the_open_campaign_on_their_service_page(campaign, people, relation_usagers):
    service_page = client_for(people["referent"]).get(reverse("service_detail", args=["relation-usagers"]))
    assert f'href="{campaign_url(campaign)}"' in service_page.content.decode()
    agent_page = client_for(people["agent"]).get(reverse("service_detail", args=["relation-usagers"]))
    assert campaign_url(campaign) not in agent_page.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_in_chromium_the_page_passes_axe_and_a_referent_confirms_without_javascript(
    browser,  # noqa: F811
    live_server,
    client,
    campaign,
    projects,
    people,
):
    problems = []
    for javascript in (True, False):
        context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
        tab = sign_in(context.new_page(), client, people["referent"], live_server)
        tab.goto(campaign_url(campaign))
        if javascript:
            problems += axe_violations(tab)
        else:
            tab.get_by_role("button", name="À jour : Projet 16.2").click()
            message = tab.locator(".messages").inner_text().replace("\u00a0", " ")
            assert "Merci : le projet 16.2 est confirmé à jour" in message
        context.close()
    assert not problems, "\n".join(problems)
    assert CampaignAnswer.objects.get().project_id == projects["16.2"].pk
