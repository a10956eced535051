"""The demo's yearly review: one campaign in progress on the current COP, some services done, some
halfway, the others yet to answer; the demo, loaded twice, opened it once."""

from django.utils import timezone

import pytest

from followup.campaigns import completion_by_service
from followup.models import Campaign

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
    assert 14 <= (campaign.deadline - today).days <= 28
    rows = completion_by_service(campaign)
    done = [service for service, completion in rows if completion.total and completion.complete]
    halfway = [service for service, completion in rows if 0 < completion.answered < completion.total]
    untouched = [service for service, completion in rows if completion.answered == 0]
    assert len(done) >= len(rows) // 3 - 1 and halfway and untouched
    assert all(completion.answered in (0, completion.total // 2, completion.total) for _, completion in rows)
