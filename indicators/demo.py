"""The demo's indicators (`demo_data.py`), added once the demo's COPs are built (the domain's
`demo_cop_loaded` signal, connected in apps.py).

Each indicator is published as the city would have: an editor (the référent, for the référent's
service) sets it up with its past values, then enters the latest year's; a moderator publishes each
version, dated when its last value was entered, so that the indicator's history reads as it would.
A rerun creates nothing: an indicator whose slug is already in its COP is left as it is.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wagtail.models import ModelLogEntry, ReferenceIndex, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update

from axes.models import AmbitionPage, ProjectPage, Service
from utils.typography import count, plural

from . import demo_data
from .models import Indicator, IndicatorTarget, IndicatorValue

QUARTERS = 20
# A value is entered this many days after the date it measures: once the figures are in.
ENTERED_AFTER_DAYS = (12, 45)


def load_demo_indicators(sender, cops, write, **kwargs):
    """Receiver of `demo_cop_loaded`: the indicators of the 2026–2032 COP, and a few of the 2020–2026 one."""
    old_cop, new_cop = cops
    people = DemoPeople.find()
    created = add_indicators(new_cop, demo_data.INDICATORS_2026, people)
    created += add_indicators(old_cop, demo_data.INDICATORS_2020, people)
    write(f"Indicateurs de la démo : {count(created, 'indicateur')} {plural(created, 'créé')}.")


@dataclass(frozen=True)
class DemoPeople:
    """Who enters and publishes the values: the demo's accounts, where settings allow them."""

    referent: object
    editor: object
    moderator: object

    @classmethod
    def find(cls):
        users = get_user_model().objects.prefetch_related("services")
        accounts = {
            user.username: user for user in users.filter(username__in=["referent", "editeur", "moderateur"])
        }
        return cls(accounts.get("referent"), accounts.get("editeur"), accounts.get("moderateur"))

    def entering(self, service):
        """The référent of `service` if the demo has one, else the editor."""
        if self.referent is not None and service in self.referent.services.all():
            return self.referent
        return self.editor


@dataclass(frozen=True)
class CopLinks:
    """What an indicator of one COP may name: services, its ambitions by number, projects by reference."""

    services: dict
    ambitions: dict
    projects: dict

    @classmethod
    def of(cls, cop):
        return cls(
            {service.slug: service for service in Service.objects.all()},
            {ambition.number: ambition for ambition in AmbitionPage.objects.descendant_of(cop)},
            {project.reference: project for project in ProjectPage.objects.descendant_of(cop)},
        )


def add_indicators(cop, entries, people, today=None):
    """The indicators of `entries` that `cop` does not have yet; how many were created."""
    today = today or timezone.localdate()
    existing = set(Indicator.objects.filter(cop=cop).values_list("slug", flat=True))
    missing = [entry for entry in entries if entry["slug"] not in existing]
    if not missing:
        return 0
    links = CopLinks.of(cop)
    with transaction.atomic():
        for entry in missing:
            add_indicator(cop, entry, links, people, today)
    return len(missing)


def add_indicator(cop, entry, links, people, today):
    service = links.services[entry["service"]]
    every = entry.get("every", demo_data.YEARLY)
    points = series(entry, today)
    indicator = Indicator(
        cop=cop,
        name=entry["name"],
        slug=entry["slug"],
        definition=entry["definition"],
        unit=entry["unit"],
        direction=entry["direction"],
        service=service,
        baseline_date=points[0][0],
        baseline_value=points[0][1],
        source=entry["source"],
        update_months=every,
        live=False,
    )
    indicator.targets = [
        IndicatorTarget(date=datetime.date(today.year - 1 + years, 12, 31), value=decimal(value))
        for years, value in entry["targets"]
    ]
    indicator.ambitions = [
        links.ambitions[number] for number in entry["ambitions"] if number in links.ambitions
    ]
    indicator.projects = [links.projects[ref] for ref in entry["projects"] if ref in links.projects]
    enterer = people.entering(service)
    # The latest year's values, and those before them.
    per_version = demo_data.YEARLY // every
    published, entered = [], []
    # The references are indexed once, not at each of the saves that publishing five versions makes.
    with disable_reference_index_auto_update():
        indicator.save()
        for version in (points[:-per_version], points[-per_version:]):
            entered += IndicatorValue.objects.bulk_create(
                IndicatorValue(
                    indicator=indicator,
                    date=date,
                    value=value,
                    entered_by=enterer,
                    entered_at=entered_at(entry, date),
                )
                for date, value in version
            )
            indicator.values = list(entered)
            revision = indicator.save_revision(user=enterer, clean=False)
            revision.publish(user=people.moderator)
            published.append((revision, entered[-1].entered_at))
    ReferenceIndex.create_or_update_for_object(indicator)
    backdate(indicator, published)


def backdate(indicator, published):
    """Dates each version when its values were entered, as if published then."""
    for revision, when in published:
        Revision.objects.filter(pk=revision.pk).update(created_at=when)
        ModelLogEntry.objects.filter(revision=revision).update(timestamp=when)
    Indicator.objects.filter(pk=indicator.pk).update(
        first_published_at=published[0][1], last_published_at=published[-1][1]
    )


def series(entry, today):
    """[(date, value)] of the entry's five years of values, oldest first, all before `today`."""
    levels = [decimal(value) for value in entry["values"]]
    if entry.get("every") == demo_data.QUARTERLY:
        return list(zip(quarter_ends(today, QUARTERS), quarterly(levels, QUARTERS), strict=True))
    # A value is due at the end of the year after the latest: that of last year, if still missing.
    last_year = today.year - (2 if entry.get("due") else 1)
    years = range(last_year - len(levels) + 1, last_year + 1)
    return [(datetime.date(year, 12, 31), level) for year, level in zip(years, levels, strict=True)]


def quarter_ends(today, number):
    """The last days of the `number` quarters that ended before `today`, oldest first."""
    month = today.year * 12 + today.month - 1
    last_quarter_month = month - month % 3 - 1
    ends = []
    for quarter in range(number - 1, -1, -1):
        year, month_index = divmod(last_quarter_month - 3 * quarter, 12)
        next_month = datetime.date(year + (month_index + 1) // 12, (month_index + 1) % 12 + 1, 1)
        ends.append(next_month - datetime.timedelta(days=1))
    return ends


def quarterly(levels, number):
    """`number` values drawn evenly through `levels`, rounded as precisely as the levels are given."""
    exponent = min(level.as_tuple().exponent for level in levels)
    values = []
    for index in range(number):
        position = index * (len(levels) - 1) / (number - 1)
        low = int(position)
        high = min(low + 1, len(levels) - 1)
        value = levels[low] + (levels[high] - levels[low]) * Decimal(position - low)
        values.append(value.quantize(Decimal(1).scaleb(exponent)))
    return values


def entered_at(entry, date):
    """When the value of `date` was entered: some weeks after, at the office, never in the future."""
    days = random.Random(f"{entry['slug']} {date}").randint(*ENTERED_AFTER_DAYS)
    moment = timezone.make_aware(
        datetime.datetime.combine(date + datetime.timedelta(days=days), datetime.time(10))
    )
    return min(moment, timezone.now() - datetime.timedelta(hours=1))


def decimal(value):
    return Decimal(str(value))
