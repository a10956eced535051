"""The indicator's core: drafts stay out of readers' sight, the COP's workflow publishes them."""

import datetime

import pytest

from axes.readers import Reader
from indicators.models import Indicator, IndicatorValue

from .factories import IndicatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_draft_value_stays_out_of_the_published_indicator(ambition, moderator):
    indicator = IndicatorFactory(ambitions=[ambition], values=[(datetime.date(2024, 1, 1), 20)])
    indicator.values.add(IndicatorValue(date=datetime.date(2025, 1, 1), value=30))
    revision = indicator.save_revision(user=moderator)

    published = Indicator.objects.readable_by(Reader.of(None)).get()
    assert [value.value for value in published.values.all()] == [20]

    revision.publish(user=moderator)
    assert [value.value for value in Indicator.objects.get().values.all()] == [20, 30]


def test_an_indicator_goes_through_the_cops_workflow(moderator):
    indicator = IndicatorFactory()
    assert indicator.get_workflow() is not None
    referent = UserFactory()
    indicator.values.add(IndicatorValue(date=datetime.date(2025, 1, 1), value=30))
    indicator.save_revision(user=referent)
    state = indicator.get_workflow().start(indicator, referent)
    state.current_task_state.task.specific.on_action(state.current_task_state, moderator, "approve")
    assert [value.value for value in Indicator.objects.get().values.all()] == [30]


def test_an_indicator_of_a_hidden_page_is_hidden(ambition, axis):
    from wagtail.models import PageViewRestriction

    indicator = IndicatorFactory(ambitions=[ambition])
    IndicatorFactory(name="Sans lien")
    assert Indicator.objects.readable_by(Reader.of(None)).count() == 2
    PageViewRestriction.objects.create(page=axis, restriction_type=PageViewRestriction.GROUPS)
    readable = Indicator.objects.readable_by(Reader.of(UserFactory()))
    assert indicator not in readable and readable.count() == 1
