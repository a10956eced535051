"""Agents follow the COP by e-mail: digests of what was published, unsubscribing, sharing a page."""

import datetime
import html
import re
import threading
import time
import zoneinfo
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth.models import Group
from django.core import mail, signing
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
import time_machine

from axes.models import ProjectStatus
from digests.digest import due_user_ids, send_due_digest
from digests.models import Frequency, Scope, Subscription, month_before
from digests.tokens import unsubscribe_token
from editorial import roles

from .browser import (  # noqa: F401 (fixtures)
    AGENT_SERVICE,
    agent_page,
    agent_user,
    axe_violations,
    browser,
    browser_page,
    demo_chapter,
    heading_problems,
)
from .clients import client_for
from .factories import AmbitionPageFactory, AxisPageFactory, ProjectPageFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UNSUBSCRIBE_LINK = re.compile(r"http://testserver(/abonnements/desabonnement/[^/\s\"]+/)")


def at(year, month, day, hour=10, minute=0):
    """Freezes the clock at that time in Clamart."""
    return time_machine.travel(datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS), tick=False)


def publish(page, user, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision(user=user).publish(user=user, skip_permission_checks=True)
    page.refresh_from_db()


def subscribe(user, frequency=Frequency.WEEKLY, axis=None, service=None):
    scope = Scope.AXIS if axis else Scope.SERVICE if service else Scope.COP
    return Subscription.objects.create(
        user=user, scope=scope, axis=axis, service=service, frequency=frequency
    )


def send_digests():
    """Runs the command as cron would; returns the digests it mailed, and what it printed."""
    mail.outbox.clear()
    out = []
    call_command("send_digests", stdout=Writer(out))
    return list(mail.outbox), "".join(out)


class Writer:
    def __init__(self, lines):
        self.lines = lines

    def write(self, text):
        self.lines.append(text)

    def flush(self):
        pass


def html_part(message):
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


@pytest.fixture
def finances():
    return ServiceFactory(name="Finances", slug="finances")


@pytest.fixture
def cop(axis, ambition, project, moderator, finances, home):
    """Axis 2 (project 16.1: Relation usagers with Éducation) and axis 4 (project 40.1: Finances),
    all published on 1 October 2024, before anyone subscribed."""
    other_axis = AxisPageFactory(parent=home, number=4, title="Conduire une transition écologique équilibrée")
    other_ambition = AmbitionPageFactory(parent=other_axis, number=40, title="Maîtriser les dépenses")
    budget = ProjectPageFactory(
        parent=other_ambition, reference="40.1", title="Budget vert", pilot_service=finances
    )
    with at(2024, 10, 1):
        for page in (axis, ambition, project, other_axis, other_ambition, budget):
            publish(page, moderator)
    return {"axis": axis, "project": project, "other_axis": other_axis, "budget": budget}


def agent(username, **fields):
    return UserFactory(username=username, first_name=username.capitalize(), **fields)


# The story: a new agent follows Éducation, a moderator validates a change, one digest tells it


def test_a_new_agent_subscribed_to_education_gets_one_digest_of_the_change_a_moderator_validated(
    cop, education, moderator
):
    camille = agent("camille")
    editor = agent("editeur")
    editor.groups.add(Group.objects.get(name=roles.EDITORS))
    project = cop["project"]
    with at(2024, 11, 4, 9):
        response = client_for(camille).post(
            reverse("digests:subscribe"),
            {
                "portee": "service",
                "cible": "education",
                "frequence": "hebdomadaire",
                "suivant": "/services/education/",
            },
        )
        assert response["Location"] == "/services/education/"
    with at(2024, 11, 6, 15):
        draft = project.get_latest_revision_as_object()
        draft.status = ProjectStatus.REALISE
        draft.progress = 100
        draft.save_revision(user=editor)
        task_state = draft.get_workflow().start(draft, editor).current_task_state
        approve = reverse("wagtailadmin_pages:workflow_action", args=[project.pk, "approve", task_state.pk])
        client_for(moderator).post(approve, {"comment": "Validé en comité de direction."})
    project.refresh_from_db()
    assert project.status == ProjectStatus.REALISE

    with at(2024, 11, 11, 6):
        [digest], output = send_digests()
    assert digest.to == [camille.email]
    assert digest.subject == "COP – 1 évolution depuis le 4 novembre"
    history = f"http://testserver{project.url}historique/"
    for part in (digest.body, html_part(digest)):
        assert "Bonjour Camille" in part
        assert "Projet 16.1 : Créer l'application de la ville" in html.unescape(part)
        assert "statut : Engagé → Réalisé ; avancement : 40 % → 100 %" in part
        assert "6\xa0novembre 2024 à 15:00" in part
        assert "Dominique Modératrice" in part
        assert "Validé en comité de direction." in part
        assert history in part
    assert "1 résumé envoyé" in output

    with at(2024, 11, 11, 6, 5):
        assert send_digests()[0] == []
    with at(2024, 11, 18, 6):
        assert send_digests()[0] == []


# Who gets what


def test_each_agent_gets_the_changes_of_what_they_follow_and_nothing_else(
    cop, education, finances, moderator
):
    followers = {
        "education": agent("eleonore"),
        "axis-2": agent("axel"),
        "axis-4": agent("quentin"),
        "cop": agent("corinne"),
        "finances": agent("fanny"),
    }
    with at(2024, 11, 4):
        subscribe(followers["education"], service=education)
        subscribe(followers["axis-2"], axis=cop["axis"])
        subscribe(followers["axis-4"], axis=cop["other_axis"])
        subscribe(followers["cop"])
        subscribe(followers["finances"], service=finances)
    with at(2024, 11, 6):
        publish(cop["project"], moderator, title="Créer l'application de la ville, pour tous")
    with at(2024, 11, 11, 6):
        digests, output = send_digests()
    recipients = {message.to[0] for message in digests}
    assert recipients == {followers[name].email for name in ("education", "axis-2", "cop")}
    for message in digests:
        assert "Projet 16.1" in message.body
        assert "Budget vert" not in message.body
    assert "3 résumés envoyés" in output
    assert "2 agents sans évolution" in output
    # Those without news are covered too: next week they get nothing from before.
    with at(2024, 11, 12):
        publish(cop["budget"], moderator, summary="Un budget plus vert.")
    with at(2024, 11, 18, 6):
        digests, _ = send_digests()
    assert {message.to[0] for message in digests} == {
        followers[name].email for name in ("axis-4", "cop", "finances")
    }


def test_a_change_that_two_subscriptions_cover_is_told_once(cop, education, moderator):
    eleonore = agent("eleonore")
    with at(2024, 11, 4):
        subscribe(eleonore, service=education)
        subscribe(eleonore, axis=cop["axis"], frequency=Frequency.WEEKLY)
        subscribe(eleonore)
    with at(2024, 11, 6):
        publish(cop["project"], moderator, progress=70)
    with at(2024, 11, 11, 6):
        [digest], _ = send_digests()
    assert digest.subject == "COP – 1 évolution depuis le 4 novembre"
    assert digest.body.count("avancement : 40 % → 70 %") == 1
    # One unsubscribe link per subscription in the body, and all three behind the one-click header.
    assert len(set(UNSUBSCRIBE_LINK.findall(digest.body))) == 3
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_digest_lists_each_page_once_with_its_versions_in_order(cop, moderator):
    corinne = agent("corinne")
    with at(2024, 11, 4):
        subscribe(corinne)
    with at(2024, 11, 5):
        publish(cop["project"], moderator, progress=50)
    with at(2024, 11, 6):
        publish(cop["budget"], moderator, status=ProjectStatus.SUSPENDU)
    with at(2024, 11, 7):
        publish(cop["project"], moderator, progress=60)
    with at(2024, 11, 11, 6):
        [digest], _ = send_digests()
    assert digest.subject == "COP – 3 évolutions depuis le 4 novembre"
    body = digest.body
    assert body.count("Projet 16.1 : ") == 1
    assert body.index("Projet 16.1") < body.index("Projet 40.1")  # the COP's order: axis 2, then 4
    assert body.index("40 % → 50 %") < body.index("50 % → 60 %")
    assert "statut : Engagé → Suspendu" in body


def test_drafts_and_pending_submissions_are_never_told(cop, moderator):
    corinne = agent("corinne")
    with at(2024, 11, 4):
        subscription = subscribe(corinne)
    with at(2024, 11, 6):
        project = cop["project"]
        project.title = "Un titre encore en brouillon"
        project.save_revision(user=moderator)
        budget = cop["budget"].get_latest_revision_as_object()
        budget.summary = "Soumis, pas encore validé."
        budget.save_revision(user=moderator)
        budget.get_workflow().start(budget, moderator)
    with at(2024, 11, 11, 6):
        assert send_digests()[0] == []
    subscription.refresh_from_db()
    assert subscription.covered_until > datetime.datetime(2024, 11, 11, tzinfo=PARIS)


def test_a_withdrawal_is_told_without_a_link_to_the_withdrawn_page(cop, moderator):
    corinne = agent("corinne")
    with at(2024, 11, 4):
        subscribe(corinne)
    budget_url = cop["budget"].url
    with at(2024, 11, 6):
        cop["budget"].unpublish(user=moderator)
    with at(2024, 11, 11, 6):
        [digest], _ = send_digests()
    assert "retiré par Dominique Modératrice : retiré du COP" in digest.body
    assert "Page retirée du COP." in digest.body
    assert budget_url not in digest.body


def test_a_new_subscription_starts_now_without_the_backlog(cop, moderator):
    with at(2024, 11, 2):
        publish(cop["project"], moderator, progress=45)
    corinne = agent("corinne")
    with at(2024, 11, 4):
        subscribe(corinne)
    with at(2024, 11, 11, 6):
        assert send_digests()[0] == []


# When


def test_a_weekly_digest_comes_a_week_after_the_last_and_a_monthly_one_a_calendar_month_after(cop, moderator):
    weekly, monthly = agent("hebdo"), agent("mensuel")
    with at(2024, 11, 4, 9):
        subscribe(weekly)
        subscribe(monthly, frequency=Frequency.MONTHLY)
    with at(2024, 11, 6):
        publish(cop["project"], moderator, progress=55)
    with at(2024, 11, 10, 23):
        assert send_digests()[0] == []  # six days: nobody is due
    with at(2024, 11, 11, 6):
        [digest], _ = send_digests()
    assert digest.to == [weekly.email]
    with at(2024, 11, 20):
        publish(cop["budget"], moderator, progress=10)
    with at(2024, 12, 3, 6):
        [digest], _ = send_digests()
    assert digest.to == [weekly.email]
    assert "Budget vert" in digest.body and "Projet 16.1" not in digest.body
    with at(2024, 12, 4, 6):
        [digest], _ = send_digests()
    assert digest.to == [monthly.email]
    assert digest.subject == "COP – 2 évolutions depuis le 4 novembre"


def test_a_calendar_month_ends_on_the_last_day_of_a_shorter_month():
    assert month_before(datetime.date(2024, 3, 31)) == datetime.date(2024, 2, 29)
    assert month_before(datetime.date(2025, 1, 15)) == datetime.date(2024, 12, 15)
    assert month_before(datetime.date(2024, 12, 4)) == datetime.date(2024, 11, 4)


def test_the_subject_names_the_year_of_a_digest_that_starts_in_another_year(cop, moderator):
    corinne = agent("corinne")
    with at(2024, 12, 28):
        subscribe(corinne)
    with at(2024, 12, 30):
        publish(cop["project"], moderator, progress=90)
    with at(2025, 1, 6, 6):
        [digest], _ = send_digests()
    assert digest.subject == "COP – 1 évolution depuis le 28 décembre 2024"


def test_a_run_that_reaches_an_agent_after_another_run_sends_nothing(cop, moderator):
    corinne = agent("corinne")
    with at(2024, 11, 4):
        subscribe(corinne)
    with at(2024, 11, 6):
        publish(cop["project"], moderator, progress=65)
    with at(2024, 11, 11, 6):
        now = datetime.datetime.now(tz=PARIS)
        late_run = due_user_ids(now)
        mail.outbox.clear()
        assert send_due_digest(corinne.pk, now).count == 1
        assert [send_due_digest(user_id, now) for user_id in late_run] == [None]
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_the_same_time_send_a_change_once(cop, moderator):
    """Run A holds the subscriptions while run B waits for them; once A has covered them, B finds
    nothing due and sends nothing."""
    corinne = agent("corinne")
    with at(2024, 11, 4):
        subscribe(corinne)
    with at(2024, 11, 6):
        publish(cop["project"], moderator, progress=65)
    mail.outbox.clear()
    outcome = {}

    def run_b(now):
        try:
            outcome["b"] = send_due_digest(corinne.pk, now)
        finally:
            connection.close()

    with at(2024, 11, 11, 6):
        now = datetime.datetime.now(tz=PARIS)
        with transaction.atomic():
            assert send_due_digest(corinne.pk, now).count == 1  # run A, its transaction still open
            b = threading.Thread(target=run_b, args=(now,))
            b.start()
            wait_for_a_lock_wait()
        b.join(timeout=30)
    assert outcome == {"b": None}
    assert len(mail.outbox) == 1


def wait_for_a_lock_wait(timeout=20):
    """Until another connection waits for a row lock (pg_locks is read afresh at each query)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("Le second envoi n'a jamais attendu le verrou du premier.")


def test_agents_without_an_address_or_inactive_are_left_out(cop, moderator):
    with at(2024, 11, 4):
        subscribe(agent("sans-adresse", email=""))
        subscribe(agent("parti", is_active=False))
    with at(2024, 11, 6):
        publish(cop["project"], moderator, progress=65)
    with at(2024, 11, 11, 6):
        digests, output = send_digests()
    assert digests == []
    assert output.startswith("0 agent dont un résumé est dû.")


# Unsubscribing from the mail, without signing in


@pytest.fixture
def two_subscriptions_mailed(cop, education, moderator):
    """Éléonore follows Éducation and axis 2, Axel follows axis 2; a change reached them both."""
    eleonore, axel = agent("eleonore"), agent("axel")
    with at(2024, 11, 4):
        subscribe(eleonore, service=education)
        subscribe(eleonore, axis=cop["axis"])
        subscribe(axel, axis=cop["axis"])
    with at(2024, 11, 6):
        publish(cop["project"], moderator, progress=65)
    with at(2024, 11, 11, 6):
        digests, _ = send_digests()
    [digest] = [message for message in digests if message.to == [eleonore.email]]
    return eleonore, axel, digest


def test_the_unsubscribe_link_asks_first_then_ends_only_that_subscription_without_signing_in(
    client, two_subscriptions_mailed, education
):
    eleonore, axel, digest = two_subscriptions_mailed
    [service_link] = [
        link
        for link in UNSUBSCRIBE_LINK.findall(digest.body)
        if "du service Éducation" in line_of(digest.body, link)
    ]
    response = client.get(service_link)
    assert response.status_code == 200  # not sent to the sign-in page
    page = response.content.decode()
    assert "du service Éducation" in page
    assert "Confirmer le désabonnement" in page
    assert Subscription.objects.filter(user=eleonore).count() == 2  # a mail scanner's GET changes nothing

    response = client.post(service_link)
    assert response.status_code == 200
    assert "vous ne recevrez plus de résumé des évolutions du service Éducation" in response.content.decode()
    assert list(Subscription.objects.filter(user=eleonore).values_list("scope", flat=True)) == [Scope.AXIS]
    assert Subscription.objects.filter(user=axel).count() == 1

    again = client.post(service_link)
    assert "déjà été résilié" in again.content.decode()


def line_of(text, fragment):
    return next(line for line in text.splitlines() if fragment in line)


def test_one_click_unsubscribe_from_the_header_ends_the_subscriptions_of_that_mail(
    client, two_subscriptions_mailed
):
    eleonore, axel, digest = two_subscriptions_mailed
    header = digest.extra_headers["List-Unsubscribe"]
    [path] = UNSUBSCRIBE_LINK.findall(header)
    # RFC 8058: the mail client posts "List-Unsubscribe=One-Click", with no cookie and no CSRF token.
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.filter(user=eleonore).exists()
    assert Subscription.objects.filter(user=axel).count() == 1


@pytest.mark.parametrize(
    "token",
    [
        "n-importe-quoi",
        signing.dumps({"u": 1, "s": [1]}, salt="un-autre-usage"),
        signing.dumps({"u": 1, "s": [1]}, salt="digests.unsubscribe", key="une-autre-cle-secrete"),
    ],
)
def test_a_forged_unsubscribe_link_is_refused_in_french(client, token):
    subscription = subscribe(agent("corinne"))
    for response in (
        client.get(f"/abonnements/desabonnement/{token}/"),
        client.post(f"/abonnements/desabonnement/{token}/"),
    ):
        assert response.status_code == 400
        assert "Ce lien de désabonnement n'est pas valide" in response.content.decode()
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_a_token_signed_for_an_agent_does_not_reach_another_agents_subscription(client):
    corinne, axel = agent("corinne"), agent("axel")
    subscribe(corinne)
    theirs = subscribe(axel)
    token = signing.dumps({"u": corinne.pk, "s": [theirs.pk]}, salt="digests.unsubscribe")
    client.post(f"/abonnements/desabonnement/{token}/")
    assert Subscription.objects.filter(pk=theirs.pk).exists()


# Subscribing on the site


def test_my_subscriptions_is_private(client):
    assert client.get(reverse("digests:subscriptions"))["Location"].startswith("/connexion/")
    assert client.post(reverse("digests:subscribe"), {"portee": "cop", "frequence": "hebdomadaire"})[
        "Location"
    ].startswith("/connexion/")


def test_my_subscriptions_when_open_to_the_public_still_needs_an_agent(client, settings):
    settings.COP_PUBLIC = True
    assert client.get(reverse("digests:subscriptions"))["Location"].startswith("/connexion/")


def test_an_agent_subscribes_to_the_whole_cop_changes_its_frequency_and_cancels_it(agent_client, agent):
    page = agent_client.get(reverse("digests:subscriptions")).content.decode()
    assert "Vous n'avez encore aucun abonnement." in page
    assert "Mes abonnements" in page

    response = agent_client.post(
        reverse("digests:subscribe"), {"portee": "cop", "frequence": "hebdomadaire"}, follow=True
    )
    page = response.content.decode()
    assert "vous recevrez chaque semaine par e-mail un résumé des évolutions du COP entier" in page
    subscription = Subscription.objects.get(user=agent)
    assert (subscription.scope, subscription.frequency) == (Scope.COP, Frequency.WEEKLY)

    response = agent_client.post(
        reverse("digests:subscribe"), {"portee": "cop", "frequence": "mensuelle"}, follow=True
    )
    assert "vous sera désormais envoyé chaque mois" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.frequency == Frequency.MONTHLY
    assert Subscription.objects.filter(user=agent).count() == 1

    response = agent_client.post(reverse("digests:cancel", args=[subscription.pk]), follow=True)
    assert "Vous ne recevrez plus de résumé des évolutions du COP entier." in response.content.decode()
    assert not Subscription.objects.filter(user=agent).exists()


def test_changing_the_frequency_keeps_what_was_already_sent(agent_client, agent, education):
    with at(2024, 11, 4):
        subscription = subscribe(agent, service=education)
    with at(2024, 11, 8):
        agent_client.post(
            reverse("digests:subscribe"),
            {"portee": "service", "cible": "education", "frequence": "mensuelle"},
        )
    subscription.refresh_from_db()
    assert subscription.frequency == Frequency.MONTHLY
    assert subscription.covered_until == datetime.datetime(2024, 11, 4, 10, tzinfo=PARIS)


def test_an_agent_cannot_cancel_someone_elses_subscription(agent_client):
    theirs = subscribe(agent("axel"))
    assert agent_client.post(reverse("digests:cancel", args=[theirs.pk])).status_code == 404
    assert Subscription.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"portee": "service", "cible": "inconnu", "frequence": "hebdomadaire"},
            "Ce service n&#x27;existe pas.",
        ),
        (
            {"portee": "axe", "cible": "9999", "frequence": "hebdomadaire"},
            "Cet axe n&#x27;existe pas ou n&#x27;est pas publié.",
        ),
        (
            {"portee": "cop", "frequence": "chaque-jour"},
            "Choisissez une fréquence : chaque semaine ou chaque mois.",
        ),
        ({"portee": "tout", "frequence": "hebdomadaire"}, "Cet abonnement ne porte sur rien de connu."),
    ],
)
def test_a_wrong_subscription_is_refused_with_a_french_message(agent_client, agent, data, message):
    response = agent_client.post(reverse("digests:subscribe"), data, follow=True)
    assert message in response.content.decode()
    assert not Subscription.objects.filter(user=agent).exists()


def test_a_draft_axis_cannot_be_followed(agent_client, agent, home):
    draft = AxisPageFactory(parent=home, number=7, live=False)
    agent_client.post(
        reverse("digests:subscribe"), {"portee": "axe", "cible": draft.pk, "frequence": "hebdomadaire"}
    )
    assert not Subscription.objects.filter(user=agent).exists()


def test_the_form_sends_the_agent_back_only_to_this_site(agent_client):
    response = agent_client.post(
        reverse("digests:subscribe"),
        {"portee": "cop", "frequence": "hebdomadaire", "suivant": "https://ailleurs.example/"},
    )
    assert response["Location"] == reverse("digests:subscriptions")


def test_the_service_page_offers_to_follow_it_and_then_shows_the_subscription(agent_client, agent, education):
    url = reverse("service_detail", args=["education"])
    page = agent_client.get(url).content.decode()
    assert 'name="cible" value="education"' in page
    assert (
        'S\'abonner<span class="visually-hidden"> au résumé des évolutions du service Éducation</span>'
        in page
    )
    assert 'for="frequence-service-education"' in page and 'id="frequence-service-education"' in page
    subscribe(agent, service=education, frequency=Frequency.MONTHLY)
    page = agent_client.get(url).content.decode()
    assert "Vous recevez chaque mois par e-mail un résumé des évolutions du service Éducation." in page
    assert '<option value="mensuelle" selected>' in page
    assert "Se désabonner" in page


def test_the_axis_page_offers_to_follow_the_axis(agent_client, cop):
    page = agent_client.get(cop["axis"].url).content.decode()
    assert f'name="cible" value="{cop["axis"].pk}"' in page
    assert "résumé des évolutions de l’axe 2 (Accompagner la transition numérique)" in page


def test_my_service_offers_each_of_the_agents_services_reading_subscriptions_once(
    agent_client, agent, education, relation_usagers
):
    agent.services.add(education, relation_usagers)
    subscribe(agent, service=education)
    with CaptureQueriesContext(connection) as queries:
        page = agent_client.get(reverse("my_service")).content.decode()
    assert 'value="education"' in page and 'value="relation-usagers"' in page
    assert sum("digests_subscription" in query["sql"] for query in queries.captured_queries) == 1


def test_my_subscriptions_lists_each_with_its_frequency_in_reading_order(agent_client, agent, cop, education):
    subscribe(agent, service=education)
    subscribe(agent, axis=cop["axis"], frequency=Frequency.MONTHLY)
    subscribe(agent)
    page = agent_client.get(reverse("digests:subscriptions")).content.decode()
    headings = [re.sub(r"<[^>]+>", "", heading) for heading in re.findall(r"<h3>(.*?)</h3>", page)]
    assert headings == ["COP entier", "Axe 2 : Accompagner la transition numérique", "Service Éducation"]
    assert "Suivre le COP entier" not in page
    assert page.count("Se désabonner") == 3


def test_signed_out_visitors_of_an_open_cop_see_no_subscription_form(client, settings, education):
    settings.COP_PUBLIC = True
    page = client.get(reverse("service_detail", args=["education"])).content.decode()
    assert "digest-subscription" not in page
    assert "Partager par e-mail" not in page


# Sharing a page by e-mail


def share_link(page_html):
    [href] = re.findall(r'<a href="(mailto:[^"]*)">Partager par e-mail</a>', page_html)
    return html.unescape(href)


def mailto_parts(href):
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == ""
    fields = parse_qs(parts.query)
    return fields["subject"][0], fields["body"][0]


def test_a_project_is_shared_with_its_title_and_short_link(agent_client, cop):
    href = share_link(agent_client.get(cop["project"].url).content.decode())
    subject, body = mailto_parts(href)
    assert subject == "Projet 16.1\u00a0: Créer l'application de la ville – COP"
    assert "http://testserver/projets/16.1/" in body
    # Encoded for a mailto: URL: no raw space, apostrophe or line break; %20, not "+".
    assert "subject=Projet%2016.1%C2%A0%3A%20Cr%C3%A9er%20l%27application" in href
    assert "%0D%0Ahttp%3A%2F%2Ftestserver%2Fprojets%2F16.1%2F" in href
    assert " " not in href and "+" not in href


def test_an_ambition_is_shared_with_its_short_link_and_other_pages_with_their_address(
    agent_client, cop, ambition, education
):
    _, body = mailto_parts(share_link(agent_client.get(ambition.url).content.decode()))
    assert "http://testserver/ambitions/16/" in body
    subject, body = mailto_parts(share_link(agent_client.get("/services/education/").content.decode()))
    assert subject == "Éducation – COP"
    assert "http://testserver/services/education/" in body
    subject, body = mailto_parts(
        share_link(agent_client.get(cop["project"].url + "historique/").content.decode())
    )
    assert f"http://testserver{cop['project'].url}historique/" in body
    _, body = mailto_parts(share_link(agent_client.get("/recherche/?q=%C3%A9cole").content.decode()))
    assert "http://testserver/recherche/?q=%C3%A9cole" in body


def test_the_share_link_is_for_signed_in_agents_only(client):
    assert "Partager par e-mail" not in client.get(reverse("login")).content.decode()


# In a real browser: keyboard, axe-core (WCAG 2.1 AA), headings


def accessibility_problems(page):
    return [f"axe-core : {violation}" for violation in axe_violations(page)] + [
        f"titres : {problem}" for problem in heading_problems(page)
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_agent_subscribes_by_keyboard_and_unsubscribes_from_the_mail(
    agent_page,  # noqa: F811 (a fixture of tests.browser)
    agent_user,  # noqa: F811
    browser_page,  # noqa: F811
    live_server,
):
    agent_page.goto(f"/services/{AGENT_SERVICE}/")
    frequency = agent_page.get_by_label("Fréquence du résumé des évolutions du service Relation usagers")
    frequency.focus()
    agent_page.keyboard.press("ArrowDown")  # « Chaque mois »
    agent_page.keyboard.press("Tab")
    with agent_page.expect_navigation():
        agent_page.keyboard.press("Enter")
    assert "vous recevrez chaque mois par e-mail un résumé des évolutions du service Relation usagers" in (
        agent_page.content()
    )
    assert not accessibility_problems(agent_page)
    subscription = Subscription.objects.get(user=agent_user)
    assert subscription.frequency == Frequency.MONTHLY

    agent_page.goto("/abonnements/")
    assert agent_page.get_by_role("heading", level=3, name="Service Relation usagers").is_visible()
    problems = accessibility_problems(agent_page)
    assert not problems, problems

    # From the mail, in another browser that is not signed in.
    browser_page.goto(reverse("digests:unsubscribe", args=[unsubscribe_token([subscription])]))
    problems = accessibility_problems(browser_page)
    assert not problems, problems
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name="Confirmer le désabonnement").click()
    assert "vous ne recevrez plus de résumé" in browser_page.content()
    assert not Subscription.objects.filter(user=agent_user).exists()


def test_administrators_list_the_subscriptions_in_the_admin(admin_client, education):
    subscribe(agent("eleonore"), service=education)
    page = admin_client.get(reverse("abonnements:index")).content.decode()
    assert "eleonore" in page
    assert "Service Éducation" in page


def test_editors_do_not_see_the_subscriptions(education):
    editor = agent("editeur")
    editor.groups.add(Group.objects.get(name=roles.EDITORS))
    assert client_for(editor).get(reverse("abonnements:index")).status_code in (302, 403)
