from django.dispatch import receiver

from axes.signals import update_proposed

from .campaigns import campaign_open_for, record_answer
from .models import Answer


@receiver(update_proposed)
def a_proposal_answers_the_campaign(sender, project, user, **kwargs):
    """A proposal submitted while a campaign is open is the project's answer: changes proposed."""
    campaign = campaign_open_for(project)
    if campaign is not None:
        record_answer(campaign, project, user, Answer.CHANGES_PROPOSED)
