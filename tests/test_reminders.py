"""The référents' weekly reminder (`send_reminders`): one mail listing what their services owe in the
current COP, each item once, each linking straight to its proposal form; nothing when nothing is due,
nothing twice in a week, and never another service's items or a draft."""

import datetime
import re
import zoneinfo
from io import StringIO

from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command

import pytest
import time_machine

from axes.models import HomePage, ProjectStatus
from editorial import roles
from followup.models import Answer, Campaign, CampaignAnswer, ReminderSent

from .clients import client_for
from .factories import IndicatorFactory, MilestoneFactory, ProjectPageFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MONDAY = (2026, 3, 9)
LINK = re.compile(r"http://testserver/\S*")


def at(year, month, day, hour=7):
    """Freezes the clock at that time in Clamart (Monday 9 March 2026 at 7:00 by default)."""
    return time_machine.travel(datetime.datetime(year, month, day, hour, tzinfo=PARIS), tick=False)


def publish(page, on):
    with at(*on):
        page.save_revision().publish()


def referent(username, *services, **fields):
    user = UserFactory(username=username, first_name=username.capitalize(), **fields)
    user.groups.add(Group.objects.get(name=roles.REFERENTS))
    user.services.add(*services)
    return user


def send_reminders(*options):
    """Runs the command as cron would; returns the mails it sent and what it printed."""
    mail.outbox.clear()
    out = StringIO()
    call_command("send_reminders", *options, stdout=out)
    return list(mail.outbox), out.getvalue()


def plain(text):
    """Non-breaking spaces as spaces: what a reader sees."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def html_part(message):
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def mail_to(messages, user):
    [message] = [message for message in messages if message.to == [user.email]]
    return message


@pytest.fixture
def finances():
    return ServiceFactory(name="Finances", slug="finances")


@pytest.fixture
def owed(ambition, project, relation_usagers, education, finances):
    """What Relation usagers owes on Monday 9 March 2026, and what it does not, beside Finances's debt.

    16.1 (with Éducation as a partner) and 16.4 are past due, 16.4 not updated since June 2025 either;
    16.2 has two late milestones; 16.3 was last published in June 2025. 16.5 is done, 16.6 a draft:
    neither is owed. Of its two indicators, one has its yearly value due since 31 January."""
    due = {"status": ProjectStatus.ENGAGE, "pilot_service": relation_usagers}
    pages = {
        "16.1": project,
        "16.2": ProjectPageFactory(parent=ambition, reference="16.2", title="Guichet unique", **due),
        "16.3": ProjectPageFactory(parent=ambition, reference="16.3", title="Charte d'accueil", **due),
        "16.4": ProjectPageFactory(parent=ambition, reference="16.4", title="Rendez-vous en ligne", **due),
        "16.5": ProjectPageFactory(parent=ambition, reference="16.5", title="Borne", **due),
        "16.6": ProjectPageFactory(parent=ambition, reference="16.6", title="Projet en brouillon", **due),
        "40.1": ProjectPageFactory(
            parent=ambition,
            reference="40.1",
            title="Budget vert",
            status=ProjectStatus.ENGAGE,
            pilot_service=finances,
        ),
    }
    settings = {
        "16.1": ({"due_date": datetime.date(2026, 1, 31)}, (2026, 2, 2)),
        "16.2": ({"due_date": datetime.date(2027, 6, 30)}, (2026, 2, 2)),
        "16.3": ({"due_date": datetime.date(2027, 6, 30)}, (2025, 6, 2)),
        "16.4": ({"due_date": datetime.date(2025, 12, 31)}, (2025, 6, 2)),
        "16.5": ({"due_date": datetime.date(2025, 12, 31), "status": ProjectStatus.REALISE}, (2026, 2, 2)),
        "16.6": ({"due_date": datetime.date(2025, 12, 31)}, (2026, 2, 2)),
        "40.1": ({"due_date": datetime.date(2025, 12, 31)}, (2026, 2, 2)),
    }
    for reference, (fields, published_on) in settings.items():
        page = pages[reference]
        for name, value in fields.items():
            setattr(page, name, value)
        publish(page, published_on)
    pages["16.6"].unpublish()
    MilestoneFactory(project=pages["16.2"], title="Appel d'offres", planned_date=datetime.date(2026, 2, 16))
    MilestoneFactory(
        project=pages["16.2"], title="Choix du prestataire", planned_date=datetime.date(2026, 3, 2)
    )
    MilestoneFactory(
        project=pages["16.2"],
        title="Étude",
        planned_date=datetime.date(2026, 1, 12),
        done_date=datetime.date(2026, 1, 10),
    )
    MilestoneFactory(project=pages["16.5"], title="Pose", planned_date=datetime.date(2026, 1, 12))
    yearly = {"update_months": 12, "baseline_date": datetime.date(2024, 1, 31)}
    IndicatorFactory(
        name="Démarches en ligne",
        service=relation_usagers,
        values=[(datetime.date(2025, 1, 31), 40)],
        **yearly,
    )
    IndicatorFactory(
        name="Usagers satisfaits",
        service=relation_usagers,
        values=[(datetime.date(2026, 2, 28), 80)],
        **yearly,
    )
    IndicatorFactory(
        name="Dette par habitant", service=finances, values=[(datetime.date(2024, 12, 31), 900)], **yearly
    )
    return pages


@pytest.fixture
def sophie(relation_usagers, education):
    """A référent of Relation usagers and of Éducation."""
    return referent("sophie", relation_usagers, education)


# --- The story: one mail, what the service owes, each item once, straight to the forms ------------


def test_a_referent_gets_one_mail_listing_exactly_what_their_services_owe(owed, sophie):
    with at(*MONDAY):
        sent, output = send_reminders()
    message = mail_to(sent, sophie)
    assert message.subject == "COP\u00a0: 5\u00a0points à mettre à jour pour vos services"
    text = plain(message.body)
    sections = re.findall(r"^(\S.*) \((\d+)\)\. Chaque lien", text, re.M)
    assert sections == [
        ("Projets dont l'échéance est dépassée", "2"),
        ("Jalons en retard", "1"),
        ("Projets sans mise à jour depuis 6 mois", "1"),
        ("Indicateurs dont une valeur est attendue", "1"),
    ]
    assert "- Projet 16.4 : Rendez-vous en ligne : échéance le 31 décembre 2025, engagé" in text
    assert (
        "- Projet 16.2 : Guichet unique : « Appel d'offres », prévu le 16 février 2026 ; "
        "« Choix du prestataire », prévu le 2 mars 2026\n"
    ) in text
    assert "- Projet 16.3 : Charte d'accueil : publié pour la dernière fois le 2 juin 2025" in text
    assert "- Démarches en ligne : nouvelle valeur attendue depuis le 31 janvier 2026" in text
    links = LINK.findall(text)
    indicator = "http://testserver/indicateurs/demarches-en-ligne/proposer/"
    assert links[:-1] == [
        "http://testserver/projets/16.4/proposer/",  # past due and stale: listed as past due only
        "http://testserver/projets/16.1/proposer/",  # past due, though Éducation shares it: once
        "http://testserver/projets/16.2/proposer/#jalons",  # its two late milestones in one item
        "http://testserver/projets/16.3/proposer/",
        indicator,
    ]
    assert links[-1] == "http://testserver/"
    html = html_part(message)
    assert all(f'href="{link}"' in html for link in links)
    for absent in ("16.5", "16.6", "40.1", "Étude", "Usagers satisfaits", "Dette par habitant"):
        assert absent not in text and absent not in html
    assert ReminderSent.objects.filter(user=sophie).count() == 1
    assert "1 rappel envoyé" in output


def test_another_service_gets_only_its_own_and_a_partner_service_nothing(owed, sophie, finances, education):
    budget = referent("bruno", finances)
    partner = referent("eve", education)
    with at(*MONDAY):
        sent, output = send_reminders()
    assert sorted(message.to[0] for message in sent) == sorted([sophie.email, budget.email])
    finances_mail = mail_to(sent, budget)
    assert finances_mail.subject == "COP\u00a0: 2\u00a0points à mettre à jour pour votre service"
    assert LINK.findall(finances_mail.body)[:-1] == [
        "http://testserver/projets/40.1/proposer/",
        "http://testserver/indicateurs/dette-par-habitant/proposer/",
    ]
    assert not ReminderSent.objects.filter(user=partner).exists()
    assert "1 référent sans rien d'attendu" in output


def test_nothing_due_sends_nothing(home, relation_usagers, project):
    calm = referent("calme", relation_usagers)
    publish(project, (2026, 3, 2))
    with at(*MONDAY):
        sent, output = send_reminders()
    assert sent == [] and not ReminderSent.objects.filter(user=calm).exists()
    assert "0 rappel envoyé" in output


def test_agents_and_referents_without_address_or_active_account_get_nothing(owed, relation_usagers):
    agent = UserFactory(username="agent-simple")
    agent.services.add(relation_usagers)
    referent("sans-adresse", relation_usagers, email="")
    referent("parti", relation_usagers, is_active=False)
    with at(*MONDAY):
        sent, output = send_reminders()
    assert sent == []
    assert "0 référent de service" in output


def test_the_reminder_speaks_in_the_cops_words(owed, sophie, home):
    HomePage.objects.filter(pk=home.pk).update(
        project_singular="fiche action", project_plural="fiches action", project_feminine=True
    )
    with at(*MONDAY):
        [message], _ = send_reminders()
    text = plain(message.body)
    assert "Fiches action dont l'échéance est dépassée (2)" in text
    assert "- Fiche action 16.3 : Charte d'accueil : publiée pour la dernière fois le 2 juin 2025" in text


# --- Once a week -----------------------------------------------------------------------------------


def test_a_second_run_the_same_week_sends_nothing_until_next_monday_or_forced(owed, sophie):
    with at(*MONDAY):
        first, _ = send_reminders()
    with at(2026, 3, 13, 18):
        again, output = send_reminders()
    assert len(first) == 1 and again == []
    assert "1 déjà rappelé cette semaine" in output
    with at(2026, 3, 16):
        next_week, _ = send_reminders()
    with at(2026, 3, 16, 8):
        forced, _ = send_reminders("--force")
    assert [message.to for message in next_week + forced] == [[sophie.email]] * 2
    assert ReminderSent.objects.filter(user=sophie).count() == 3


def test_a_dry_run_says_who_would_get_what_and_sends_nothing(owed, sophie):
    with at(*MONDAY):
        sent, output = send_reminders("--dry-run")
    assert sent == [] and not ReminderSent.objects.exists()
    assert f"{sophie.email} (Relation usagers, Éducation)" in output
    assert "- Projet 16.2 : Guichet unique (« Appel d'offres », prévu le 16 février 2026" in plain(output)
    assert "1 rappel à envoyer" in output


# --- What is not owed ---------------------------------------------------------------------------


def test_what_awaits_the_moderators_is_not_asked_again(owed, sophie):
    with at(2026, 3, 5):
        proposal = client_for(sophie).post(
            "/projets/16.1/proposer/", {"status": ProjectStatus.REALISE, "note": "Livré en février."}
        )
    assert proposal.status_code == 302
    with at(*MONDAY):
        [message], _ = send_reminders()
    assert "/projets/16.1/proposer/" not in message.body
    assert message.subject.startswith("COP\u00a0: 4\u00a0points")


def test_a_draft_of_a_live_project_is_not_what_the_reminder_reads(owed, sophie, finances):
    """The live 40.1 is Finances's: a draft handing it to Relation usagers changes nothing yet."""
    draft = owed["40.1"].get_latest_revision_as_object()
    draft.pilot_service = sophie.services.get(slug="relation-usagers")
    draft.save_revision()
    with at(*MONDAY):
        [message], _ = send_reminders()
    assert "40.1" not in message.body


# --- The campaign, as its deadline nears ------------------------------------------------------------


def test_the_campaigns_unanswered_projects_come_in_the_reminder_once_its_deadline_is_near(
    owed, sophie, home, settings
):
    settings.COP_CAMPAIGN_REMINDER_DAYS = 14
    campaign = Campaign.objects.create(
        cop=home, name="Revue annuelle 2026", deadline=datetime.date(2026, 3, 31)
    )
    CampaignAnswer.objects.create(campaign=campaign, project=owed["16.3"], answer=Answer.UP_TO_DATE)
    with at(*MONDAY):
        [early], _ = send_reminders()
    assert "Revue annuelle 2026" not in early.body
    with at(2026, 3, 17):
        [near], _ = send_reminders()
    assert "Revue annuelle 2026 : projets à confirmer avant le 31 mars 2026 (4)" in plain(near.body)
    campaign_links = [link for link in LINK.findall(near.body) if "/campagnes/" in link]
    assert campaign_links == [
        f"http://testserver/campagnes/{campaign.pk}/#projet-{owed[reference].pk}"
        for reference in ("16.1", "16.2", "16.4", "16.5")
    ]
    assert near.subject.startswith("COP\u00a0: 9\u00a0points")
