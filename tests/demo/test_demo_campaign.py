"""The demo's yearly review: one campaign in progress on the current COP, some services done, some
halfway, the others yet to answer; the demo, loaded twice, opened it once."""

from django.contrib.auth import get_user_model
from django.utils import timezone

import pytest

from axes.models import Service
from followup.campaigns import completion_by_service
from followup.models import Campaign
from followup.reminders import build_reminder

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_campaign_in_progress_on_the_new_cop(demo_as_loaded):
    old_cop, new_cop = demo_as_loaded
    [campaign] = Campaign.objects.all()
    today = timezone.localdate()
    assert (campaign.cop_id, campaign.is_open, campaign.name) == (
        new_cop.pk,
        True,
        f"Revue annuelle {today.year}",
    )
    assert 7 <= (campaign.deadline - today).days <= 14
    rows = completion_by_service(campaign)
    done = [service for service, completion in rows if completion.total and completion.complete]
    halfway = [service for service, completion in rows if 0 < completion.answered < completion.total]
    untouched = [service for service, completion in rows if completion.answered == 0]
    assert len(done) >= len(rows) // 3 - 1 and halfway and untouched
    assert all(completion.answered in (0, completion.total // 2, completion.total) for _, completion in rows)


def test_the_demo_referent_is_reminded_of_the_campaigns_unanswered_projects(demo_as_loaded):
    _, new_cop = demo_as_loaded
    # The demo account (made under the dev settings only) is a référent of Relation usagers.
    referent = get_user_model().objects.create(username="referente-demo")
    referent.services.set(Service.objects.filter(slug="relation-usagers"))
    reminder = build_reminder(referent, new_cop, timezone.now())
    [campaign_section] = [section for section in reminder.sections if "Revue annuelle" in section.heading]
    assert campaign_section.items
