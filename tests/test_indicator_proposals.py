"""A référent proposes a new value of their service's indicator (issue 18); the moderators approve or
reject it in the admin; readers see it only once approved, and its history says who entered it, when."""

import datetime
import json
from decimal import Decimal
from html import escape

from django.contrib.auth.models import Group
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry, Revision, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

import pytest

from axes.cops import cops_scope
from axes.readers import Reader
from editorial import roles
from editorial.dashboard import EditorialDashboardPanel
from editorial.proposals import INDICATOR_LOCKED, VALUE_ALREADY_IN_REVIEW, VALUE_PROPOSAL_LOG_ACTION
from indicators.models import Indicator, IndicatorValue
from spreadsheets.exporter import export_values_file

from .clients import client_for
from .factories import IndicatorFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

END_2024, END_2025 = datetime.date(2024, 12, 31), datetime.date(2025, 12, 31)
IN_PROGRESS = WorkflowState.STATUS_IN_PROGRESS


def member(username, group=None, services=()):
    user = UserFactory(username=username, first_name=username.capitalize(), last_name="Test")
    if group:
        user.groups.add(Group.objects.get(name=group))
    user.services.add(*services)
    return user


@pytest.fixture
def people(relation_usagers):
    sports = ServiceFactory(name="Sports", slug="sports")
    return {
        "referent": member("referent", roles.REFERENTS, [relation_usagers]),
        "other_referent": member("referent-sports", roles.REFERENTS, [sports]),
        "agent": member("agent", roles.AGENTS, [relation_usagers]),
        "editor": member("editeur", roles.EDITORS),
        "moderator": member("moderateur", roles.MODERATORS),
    }


@pytest.fixture
def indicator(ambition, relation_usagers):
    """Relation usagers' indicator, with one published value."""
    return IndicatorFactory(
        name="Taux de dématérialisation des démarches",
        slug="taux-de-dematerialisation",
        service=relation_usagers,
        ambitions=[ambition],
        values=[(END_2024, 30)],
    )


def proposal_url(indicator):
    return reverse("propose_indicator_value", args=[indicator.slug])


def propose(client, indicator, **fields):
    data = {"date": "2025-12-31", "value": "42,5", "note": "Chiffre du rapport annuel 2025.", **fields}
    return client.post(proposal_url(indicator), data)


def published(indicator):
    return {value.date: value.value for value in Indicator.objects.get(pk=indicator.pk).values.all()}


def read_by_agents(indicator):
    readable = Indicator.objects.readable_by(Reader.of(None)).with_series().get(pk=indicator.pk)
    return {value.date: value.value for value in readable.values.all()}


def in_review(indicator):
    return indicator.workflow_states.filter(status=IN_PROGRESS).first()


def decide(indicator, moderator, action, comment=""):
    """The moderator approves or rejects in the snippet's editor, as Wagtail's workflow buttons do."""
    task_state = in_review(indicator).current_task_state
    url = reverse(
        Indicator.snippet_viewset.get_url_name("workflow_action"), args=[indicator.pk, action, task_state.pk]
    )
    return client_for(moderator).post(url, {"comment": comment})


def revision_values(revision):
    return {value["date"]: value for value in revision.content["values"]}


# --- Who may propose -------------------------------------------------------------------------------


def test_the_referent_of_the_indicators_service_gets_the_form_with_the_latest_value(people, indicator):
    response = client_for(people["referent"]).get(proposal_url(indicator))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Proposer une nouvelle valeur" in html
    assert "Dernière valeur publiée : 30\xa0% au 31\xa0décembre 2024." in html
    assert proposal_url(indicator) == "/indicateurs/taux-de-dematerialisation/proposer/"


@pytest.mark.parametrize("who", ["other_referent", "agent", "editor"])
def test_anyone_but_a_referent_of_its_service_gets_a_french_403(people, indicator, who):
    client = client_for(people[who])
    for response in (client.get(proposal_url(indicator)), propose(client, indicator)):
        assert response.status_code == 403
        assert "Seuls les référents du service responsable de cet indicateur" in response.content.decode()
    assert in_review(indicator) is None
    assert Revision.objects.count() == 0


def test_an_archived_cop_refuses_proposals_in_french(people, indicator, home):
    home.archived, home.start_year, home.end_year = True, 2020, 2026
    home.save_revision().publish()
    response = propose(client_for(people["referent"]), indicator)
    assert response.status_code == 403
    assert "COP archivé (2020–2026) : ce COP ne se modifie plus." in response.content.decode()
    assert in_review(indicator) is None


def test_an_unknown_or_unpublished_indicator_is_a_404(people, indicator, relation_usagers):
    draft = IndicatorFactory(slug="brouillon", service=relation_usagers, live=False)
    client = client_for(people["referent"])
    assert client.get(proposal_url(draft)).status_code == 404
    assert client.get(reverse("propose_indicator_value", args=["inconnu"])).status_code == 404


def test_the_tag_tells_the_indicator_page_who_may_propose(people, indicator):
    template = Template("{% load editorial_tags %}{% can_propose_value indicator as may %}{{ may }}")
    for who, expected in [("referent", "True"), ("other_referent", "False"), ("agent", "False")]:
        request = RequestFactory().get("/")
        request.user = people[who]
        assert template.render(Context({"request": request, "indicator": indicator})) == expected


# --- The proposal: a revision in moderation, invisible to readers ------------------------------------


def test_a_proposal_is_a_revision_submitted_to_the_moderators_and_readers_see_nothing_yet(people, indicator):
    referent = people["referent"]
    response = propose(client_for(referent), indicator, value="1 234,5")
    assert response["Location"] == "/indicateurs/taux-de-dematerialisation/"

    state = in_review(indicator)
    assert state.requested_by == referent
    revision = state.current_task_state.revision
    assert revision.user == referent
    proposed = revision_values(revision)["2025-12-31"]
    assert (proposed["value"], proposed["entered_by"]) == ("1234.5000", referent.pk)
    assert proposed["entered_at"] is not None
    entry = ModelLogEntry.objects.get(action=VALUE_PROPOSAL_LOG_ACTION, revision=revision)
    assert entry.data["note"] == "Chiffre du rapport annuel 2025."
    assert entry.user == referent

    assert published(indicator) == read_by_agents(indicator) == {END_2024: 30}
    assert "1234" not in export_values_file("csv").decode("utf-8-sig")


def test_the_referent_is_thanked_on_the_indicators_page(people, indicator):
    client = client_for(people["referent"])
    html = client.get(propose(client, indicator)["Location"]).content.decode()
    assert "votre valeur a été transmise aux modérateurs" in html


def test_the_proposal_is_logged_in_french_in_the_snippets_history(people, indicator):
    propose(client_for(people["referent"]), indicator)
    history_url = reverse(Indicator.snippet_viewset.get_url_name("history"), args=[indicator.pk])
    html = client_for(people["moderator"]).get(history_url).content.decode()
    assert "Valeur proposée par un référent de service : 42,5 au 31\xa0décembre 2025" in html
    assert "Chiffre du rapport annuel 2025." in html


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"value": "12 %"}, "value", "Nombre illisible (écrivez par exemple 12,5, 12.5 ou 1 234,5)."),
        ({"value": "1,23456"}, "value", "4 décimales au plus (ici 5)."),
        ({"value": ""}, "value", "Champ requis."),
        ({"date": "31/02/2025"}, "date", "Saisissez une date valide."),
        ({"note": ""}, "note", "Champ requis."),
    ],
)
def test_proposal_errors_are_in_french(people, indicator, fields, field, error):
    response = propose(client_for(people["referent"]), indicator, **fields)
    assert response.status_code == 200
    assert error in response.context["form"].errors[field]
    assert in_review(indicator) is None


def test_a_second_proposal_waits_for_the_first(people, indicator):
    client = client_for(people["referent"])
    propose(client, indicator)
    revisions = Revision.objects.count()
    response = propose(client, indicator, date="2026-06-30", value="50")
    assert escape(VALUE_ALREADY_IN_REVIEW) in response.content.decode()
    assert Revision.objects.count() == revisions


def test_a_locked_indicator_takes_no_proposal(people, indicator):
    Indicator.objects.filter(pk=indicator.pk).update(
        locked=True, locked_by=people["moderator"], locked_at=timezone.now()
    )
    response = propose(client_for(people["referent"]), indicator)
    assert escape(INDICATOR_LOCKED) in response.content.decode()
    assert in_review(indicator) is None


# --- Moderation -------------------------------------------------------------------------------------


def test_an_approved_value_is_published_with_who_entered_it_and_when(people, indicator):
    referent = people["referent"]
    before = timezone.now()
    propose(client_for(referent), indicator)
    decide(indicator, people["moderator"], "approve")

    assert published(indicator) == read_by_agents(indicator) == {END_2024: 30, END_2025: Decimal("42.5")}
    value = IndicatorValue.objects.get(indicator=indicator, date=END_2025)
    assert value.entered_by == referent and value.entered_at >= before
    assert in_review(indicator) is None
    assert "taux-de-dematerialisation;2025-12-31;42,5" in export_values_file("csv").decode("utf-8-sig")


def test_the_value_history_records_the_proposal_and_its_publication(people, indicator):
    referent, moderator = people["referent"], people["moderator"]
    propose(client_for(referent), indicator)
    decide(indicator, moderator, "approve")
    live = Indicator.objects.get(pk=indicator.pk)
    publication = live.live_revision
    assert publication.user == referent
    assert revision_values(publication)["2025-12-31"]["entered_by"] == referent.pk
    published_entry = ModelLogEntry.objects.get(action="wagtail.publish", revision=publication)
    assert published_entry.user == moderator


def test_a_proposal_replaces_the_value_at_its_date(people, indicator):
    propose(client_for(people["referent"]), indicator, date="2024-12-31", value="31,5")
    decide(indicator, people["moderator"], "approve")
    assert published(indicator) == {END_2024: Decimal("31.5")}
    assert IndicatorValue.objects.get(indicator=indicator).entered_by == people["referent"]


def test_a_rejected_value_is_never_published_and_the_next_proposal_starts_afresh(people, indicator):
    client = client_for(people["referent"])
    propose(client, indicator, value="99")
    decide(indicator, people["moderator"], "reject", comment="Ce n'est pas le chiffre du rapport.")
    assert published(indicator) == read_by_agents(indicator) == {END_2024: 30}
    assert client.get(proposal_url(indicator)).context["blocker"] is None

    propose(client, indicator, date="2026-06-30", value="45")
    revision = in_review(indicator).current_task_state.revision
    # What the moderators refused does not come back with the next proposal.
    assert set(revision_values(revision)) == {"2024-12-31", "2026-06-30"}
    decide(indicator, people["moderator"], "approve")
    assert published(indicator) == {END_2024: 30, datetime.date(2026, 6, 30): 45}


def test_a_proposal_keeps_an_editors_unpublished_changes(people, indicator):
    draft = Indicator.objects.get(pk=indicator.pk)
    draft.source = "Rapport annuel de la Relation usagers"
    draft.save_revision(user=people["editor"])
    propose(client_for(people["referent"]), indicator)
    revision = in_review(indicator).current_task_state.revision
    assert revision.content["source"] == "Rapport annuel de la Relation usagers"
    assert "2025-12-31" in revision_values(revision)
    entry = ModelLogEntry.objects.get(action=VALUE_PROPOSAL_LOG_ACTION)
    assert entry.data["includes_unpublished_changes"] is True


# --- The editors' dashboard --------------------------------------------------------------------------


def dashboard_html():
    with cops_scope():
        return EditorialDashboardPanel().render_html({})


def test_the_dashboard_lists_the_indicators_in_moderation_with_the_referents_note(people, indicator):
    propose(client_for(people["referent"]), indicator, note="Chiffre du rapport annuel 2025.")
    html = dashboard_html()
    assert "Indicateurs en attente de validation (1)" in html
    edit_url = reverse(Indicator.snippet_viewset.get_url_name("edit"), args=[indicator.pk])
    assert f'<a href="{edit_url}">Taux de dématérialisation des démarches</a>' in html
    assert "valeur proposée de Referent Test" in html
    assert "Note du référent : « Chiffre du rapport annuel 2025. »" in html


def test_the_dashboard_keeps_its_query_count_as_indicators_wait(people, indicator, relation_usagers):
    referent = people["referent"]
    propose(client_for(referent), indicator)
    with CaptureQueriesContext(connection) as few:
        dashboard_html()
    for number in range(12):
        other = IndicatorFactory(slug=f"indicateur-{number}", service=relation_usagers)
        propose(client_for(referent), other)
    with CaptureQueriesContext(connection) as many:
        html = dashboard_html()
    assert len(many) == len(few)
    assert "Indicateurs en attente de validation (13)" in html
    assert "Les 10 premiers sur 13." in html


@pytest.mark.parametrize("autosave_after", [False, True])
def test_a_proposal_approved_in_the_indicators_editor_is_published_with_no_draft_left(
    people, indicator, autosave_after
):
    """The moderator approves from the editor's own workflow button: the form they were shown goes
    live, and nothing waits as a draft afterwards (nor does the editor's autosave act again)."""
    propose(client_for(people["referent"]), indicator)
    moderator = client_for(people["moderator"])
    url = reverse(Indicator.snippet_viewset.get_url_name("edit"), args=[indicator.pk])
    data = querydict_from_html(moderator.get(url).content.decode(), form_id="w-editor-form")
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    data["workflow-action-extra-data"] = json.dumps({"comment": "Validé."})
    moderator.post(url, data)
    if autosave_after:
        moderator.post(url, data, HTTP_ACCEPT="application/json")

    assert published(indicator) == {END_2024: 30, END_2025: Decimal("42.5")}
    indicator = Indicator.objects.get(pk=indicator.pk)
    assert not indicator.has_unpublished_changes
    assert indicator.live_revision_id == indicator.latest_revision_id
    assert in_review(indicator) is None
