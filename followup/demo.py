"""The demo's campaign: "Revue annuelle <year>" in progress on the current COP, some services done,
some halfway, the others yet to answer. The demo référent's service is halfway, so that signing in as
`referent` shows answers and "À jour" buttons side by side. Loading the demo again changes nothing."""

import datetime

from django.utils import timezone

from utils.typography import count

from .campaigns import campaign_projects, open_campaign
from .models import Answer, Campaign, CampaignAnswer
from .reminders import referents

OPENED_DAYS_AGO = 10
# Within the reminder's window (COP_CAMPAIGN_REMINDER_DAYS): `send_reminders` has something to tell the
# demo référent, whose service is halfway.
DEADLINE_IN_DAYS = 10
DEMO_REFERENT = "referent"
# In halves of their projects, by turns: a service done, one halfway, one yet to answer.
HALVES_ANSWERED = (2, 1, 0)


def open_demo_campaign(sender, cops, write, **kwargs):
    cop = cops[-1]
    now = timezone.now()
    name = f"Revue annuelle {timezone.localdate(now).year}"
    campaign = Campaign.objects.filter(cop=cop, name=name).first()
    if campaign is None:
        if open_campaign(cop) is not None:
            return  # a moderator's campaign is open already: the demo leaves it be
        campaign = Campaign.objects.create(
            cop=cop,
            name=name,
            deadline=timezone.localdate(now) + datetime.timedelta(days=DEADLINE_IN_DAYS),
            opened_at=now - datetime.timedelta(days=OPENED_DAYS_AGO),
        )
    if campaign.is_open:
        projects = campaign_projects(campaign).select_related("pilot_service").order_by("path")
        CampaignAnswer.objects.bulk_create(demo_answers(campaign, list(projects)), ignore_conflicts=True)
    answered = count(campaign.answers.count(), "réponse")
    write(f"Campagne « {name} » en cours dans « {cop.title} » : {answered}.")


def demo_answers(campaign, projects):
    """Every project of one service in three, half of those of another in three, as their référent
    (when the demo has one) would have confirmed them, a day apart."""
    by_service = {}
    for project in projects:
        by_service.setdefault(project.pilot_service, []).append(project)
    referent_of = {
        service.pk: user
        for user in referents().prefetch_related("services")
        for service in user.services.all()
    }
    answers = []
    for index, (service, piloted) in enumerate(sorted(by_service.items(), key=lambda item: item[0].name)):
        user = referent_of.get(service.pk)
        halves = 1 if user is not None and user.username == DEMO_REFERENT else HALVES_ANSWERED[index % 3]
        answered = piloted[: len(piloted) * halves // 2]
        answers += [
            CampaignAnswer(
                campaign=campaign,
                project=project,
                answer=Answer.UP_TO_DATE,
                user=user,
                at=campaign.opened_at + datetime.timedelta(days=day % OPENED_DAYS_AGO, hours=9),
            )
            for day, project in enumerate(answered)
        ]
    return answers
