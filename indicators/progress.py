"""Where an indicator stands against its target, computed from its published values in Python: the
pages prefetch the values and targets once, so reading many indicators costs no query per indicator.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from utils.typography import NBSP, number


class Standing(StrEnum):
    REACHED = "atteinte"
    ON_TRACK = "en_bonne_voie"
    BEHIND = "en_retard"
    NO_VALUE = "sans_valeur"
    NO_TARGET = "sans_cible"


STANDING_LABELS = {
    Standing.REACHED: "Cible atteinte",
    Standing.ON_TRACK: "En bonne voie",
    Standing.BEHIND: "En retard sur la cible",
    Standing.NO_VALUE: "Pas encore de valeur",
    Standing.NO_TARGET: "Sans cible",
}


class Trend(StrEnum):
    BETTER = "mieux"
    WORSE = "moins_bien"
    STEADY = "stable"
    NONE = "aucune"


TREND_LABELS = {
    Trend.BETTER: "en amélioration",
    Trend.WORSE: "en dégradation",
    Trend.STEADY: "stable",
    Trend.NONE: "une seule valeur",
}


def decimal_number(value):
    """ "1 234,5": a decimal in French, without trailing zeros, thousands grouped."""
    if value is None:
        return ""
    value = Decimal(value).normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    whole, _, fraction = f"{value:f}".partition(".")
    sign = "−" if whole.startswith("-") else ""
    whole = number(int(whole.lstrip("-")))
    return f"{sign}{whole},{fraction}" if fraction else f"{sign}{whole}"


def with_unit(value, unit):
    """ "45 %", "1 200 tonnes": a value and its unit, never split across two lines."""
    figure = decimal_number(value)
    return f"{figure}{NBSP}{unit}" if unit and figure else figure


@dataclass
class Progress:
    """An indicator's latest published value against the target that it is measured against. Its
    series are read once: the target and the standing, which each table row reads several times,
    are computed once."""

    indicator: object
    values: list  # IndicatorValue, by date
    targets: list  # IndicatorTarget, by date

    @classmethod
    def of(cls, indicator):
        """From the indicator's values and targets, prefetched (`Indicator.objects.with_series()`)."""
        values = sorted(indicator.values.all(), key=lambda value: value.date)
        targets = sorted(indicator.targets.all(), key=lambda target: target.date)
        return cls(indicator, values, targets)

    @property
    def latest(self):
        return self.values[-1] if self.values else None

    @property
    def previous(self):
        return self.values[-2] if len(self.values) > 1 else None

    @cached_property
    def target(self):
        """The first target not yet past at the latest value's date, else the last target."""
        if not self.targets:
            return None
        when = self.latest.date if self.latest else self.indicator.baseline_date
        return next((target for target in self.targets if target.date >= when), self.targets[-1])

    def better(self, value, than):
        return value > than if self.indicator.direction == "hausse" else value < than

    @property
    def share_done(self):
        """How far from the baseline to the target the latest value has come, 0 to 100 (None: no
        value, no target, or a target equal to the baseline)."""
        target, latest = self.target, self.latest
        if target is None or latest is None or target.value == self.indicator.baseline_value:
            return None
        share = (latest.value - self.indicator.baseline_value) / (
            target.value - self.indicator.baseline_value
        )
        return max(0, min(100, round(float(share) * 100)))

    @property
    def expected_share(self):
        """Where a steady path from the baseline to the target would be at the latest value's date."""
        target, latest = self.target, self.latest
        start = self.indicator.baseline_date
        if target is None or latest is None or target.date <= start:
            return 100
        elapsed = (latest.date - start).days / (target.date - start).days
        return max(0, min(100, round(elapsed * 100)))

    @cached_property
    def standing(self):
        latest, target = self.latest, self.target
        if latest is None:
            return Standing.NO_VALUE
        if target is None:
            return Standing.NO_TARGET
        if latest.value == target.value or self.better(latest.value, target.value):
            return Standing.REACHED
        share = self.share_done
        if share is not None and share >= self.expected_share:
            return Standing.ON_TRACK
        return Standing.BEHIND

    @property
    def standing_label(self):
        return STANDING_LABELS[self.standing]

    @property
    def trend(self):
        latest, previous = self.latest, self.previous
        if previous is None:
            return Trend.NONE
        if latest.value == previous.value:
            return Trend.STEADY
        return Trend.BETTER if self.better(latest.value, previous.value) else Trend.WORSE

    @property
    def trend_label(self):
        return TREND_LABELS[self.trend]


def months_after(date, months):
    """The same day `months` later, or the month's last day when it has none (31 January → 28 February)."""
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    return min(
        date.replace(year=year, month=month, day=1) + datetime.timedelta(days=date.day - 1),
        next_month - datetime.timedelta(days=1),
    )


def next_value_due(indicator, latest_date):
    """The date by which the next value is expected: `update_months` after the latest value (or the
    baseline when there is none yet)."""
    return months_after(latest_date or indicator.baseline_date, indicator.update_months)


def is_value_due(indicator, latest_date, today=None):
    return next_value_due(indicator, latest_date) <= (today or datetime.date.today())
