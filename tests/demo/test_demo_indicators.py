"""The demo's indicators: about forty on the current COP (a few on the archived one), five years of
published values each, some on track, some behind, a couple reached and a couple with a value due,
each linked to the objectifs and actions it measures; loaded twice, created once."""

from collections import Counter
from decimal import Decimal

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from axes.demo import data as axes_data
from axes.models import ProjectPage
from axes.readers import Reader
from editorial import roles
from indicators import demo, demo_data
from indicators.models import Indicator
from indicators.progress import Progress, Standing

from ..factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


def indicators_of(cop):
    return Indicator.objects.filter(cop=cop).with_series().prefetch_related("ambitions", "projects")


def test_about_40_indicators_on_the_current_cop_and_a_few_on_the_archived_one_all_readable_by_an_agent(
    demo_as_loaded, agent
):
    old_cop, new_cop = demo_as_loaded
    readable = Indicator.objects.readable_by(Reader.of(agent, new_cop))
    assert 38 <= readable.count() <= 46
    assert readable.count() == Indicator.objects.filter(cop=new_cop).count() == len(demo_data.INDICATORS_2026)
    archived = Indicator.objects.readable_by(Reader.of(agent, old_cop))
    assert archived.count() == Indicator.objects.filter(cop=old_cop).count() == len(demo_data.INDICATORS_2020)
    assert not Indicator.objects.exclude(live=True) and not Indicator.objects.filter(live_revision=None)


def test_each_indicator_has_five_years_of_values_from_its_baseline_and_targets_ahead(demo_as_loaded):
    today = timezone.localdate()
    services = {service["slug"] for service in axes_data.SERVICES}
    for cop in demo_as_loaded:
        for indicator in indicators_of(cop):
            values = sorted(indicator.values.all(), key=lambda value: value.date)
            assert len(values) == (20 if indicator.update_months == 3 else 5), indicator.slug
            assert (values[0].date, values[0].value) == (indicator.baseline_date, indicator.baseline_value)
            years = (values[-1].date - values[0].date).days / 365
            assert 4 <= years < 5 and values[-1].date < today, indicator.slug
            targets = indicator.targets.all()
            assert 1 <= len(targets) <= 2 and all(target.date >= today for target in targets), indicator.slug
            assert indicator.definition and indicator.source and indicator.unit
            assert indicator.service.slug in services


def test_each_indicator_measures_one_or_two_objectifs_and_actions_of_their_theme(demo_as_loaded):
    for cop in demo_as_loaded:
        for indicator in indicators_of(cop):
            ambitions = list(indicator.ambitions.all())
            assert 1 <= len(ambitions) <= 2, indicator.slug
            assert all(ambition.path.startswith(cop.path) for ambition in ambitions)
            projects = indicator.projects.all()
            assert projects, indicator.slug
            for project in projects:
                assert any(project.path.startswith(ambition.path) for ambition in ambitions), (
                    indicator.slug,
                    project.reference,
                )


def test_some_indicators_are_on_track_some_behind_one_or_two_reached_and_one_or_two_due(demo_as_loaded):
    _, new_cop = demo_as_loaded
    today = timezone.localdate()
    indicators = list(indicators_of(new_cop))
    standings = Counter(Progress.of(indicator).standing for indicator in indicators)
    assert standings[Standing.ON_TRACK] >= 10 and standings[Standing.BEHIND] >= 10, standings
    assert 1 <= standings[Standing.REACHED] <= 2, standings
    due = Indicator.objects.filter(cop=new_cop).with_values_due(today)
    assert 1 <= len(due) <= 2


def test_each_indicator_was_published_with_its_past_values_then_again_with_the_latest_years(demo_as_loaded):
    """Two versions in its history, each dated when its last value was entered."""
    publications = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Indicator), action="wagtail.publish"
    ).select_related("revision")
    now = timezone.now()
    for cop in demo_as_loaded:
        for indicator in indicators_of(cop).select_related("live_revision"):
            first, latest = publications.filter(object_id=str(indicator.pk)).order_by("timestamp")
            assert latest.revision_id == indicator.live_revision_id
            assert indicator.first_published_at == first.timestamp < latest.timestamp < now
            values = sorted(indicator.values.all(), key=lambda value: value.date)
            latest_year = 4 if indicator.update_months == 3 else 1
            assert [row["date"] for row in first.revision.content["values"]] == [
                str(value.date) for value in values[:-latest_year]
            ], indicator.slug
            published = [(row["date"], Decimal(row["value"])) for row in latest.revision.content["values"]]
            assert published == [(str(value.date), value.value) for value in values], indicator.slug
            assert latest.timestamp == values[-1].entered_at
            for value in values:
                assert value.date <= value.entered_at.date() <= now.date(), indicator.slug


def test_loading_the_indicators_again_creates_nothing(demo_as_loaded):
    old_cop, new_cop = demo_as_loaded
    before = Indicator.objects.count(), ModelLogEntry.objects.count()
    people = demo.DemoPeople.find()
    assert demo.add_indicators(new_cop, demo_data.INDICATORS_2026, people) == 0
    assert demo.add_indicators(old_cop, demo_data.INDICATORS_2020, people) == 0
    assert (Indicator.objects.count(), ModelLogEntry.objects.count()) == before


def test_the_referent_enters_the_values_of_their_service_and_the_editor_the_others(demo_as_loaded):
    """With the demo's accounts (in development): the référent of the relation usagers, the editor."""
    _, new_cop = demo_as_loaded
    referent = UserFactory(username="referent")
    referent.services.add(ServiceFactory(slug="relation-usagers"))
    editor, moderator = UserFactory(username="editeur"), UserFactory(username="moderateur")
    moderator.groups.add(Group.objects.get(name=roles.MODERATORS))
    entries = [
        {**entry, "slug": f"{entry['slug']}-bis"}
        for entry in demo_data.INDICATORS_2026
        if entry["slug"] in ("part-demarches-en-ligne", "arbres-plantes")
    ]
    people = demo.DemoPeople.find()
    assert demo.add_indicators(new_cop, entries, people) == 2
    online = Indicator.objects.get(cop=new_cop, slug="part-demarches-en-ligne-bis")
    trees = Indicator.objects.get(cop=new_cop, slug="arbres-plantes-bis")
    assert {value.entered_by for value in online.values.all()} == {referent}
    assert {value.entered_by for value in trees.values.all()} == {editor}
    publications = ModelLogEntry.objects.filter(object_id=str(trees.pk), action="wagtail.publish")
    assert {entry.user for entry in publications} == {moderator}
    assert set(ProjectPage.objects.filter(indicators=trees).values_list("reference", flat=True)) == {
        "8.1",
        "8.4",
    }
