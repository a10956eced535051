"""An indicator's values as a line chart, drawn on the server in SVG: readable without JavaScript,
printed as it is shown, and described in words for screen readers (its data table says the rest).

`line_chart(progress)` computes the geometry in Python; `templates/indicators/chart.html` only draws it.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from utils.typography import day, spacing

from .progress import decimal_number, with_unit

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 20, 40
MAX_YEAR_TICKS = 8
VALUE_TICKS = 5
DIAMOND_SIZE = 7


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # "1er janvier 2024 : 45 %"

    @property
    def diamond(self):
        """A target's mark: a diamond around the point."""
        corners = [(0, -1), (1, 0), (0, 1), (-1, 0)]
        path = " L".join(
            f"{round(self.x + dx * DIAMOND_SIZE, 1)},{round(self.y + dy * DIAMOND_SIZE, 1)}"
            for dx, dy in corners
        )
        return f"M{path} Z"


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: list  # the values, by date
    line: str  # the SVG path through them
    baseline: Point
    targets: list  # Point
    trajectory: str  # the steady path from the baseline to each target
    value_ticks: list  # Tick on the y axis
    year_ticks: list  # Tick on the x axis
    description: str

    @property
    def value_labels_x(self):
        return self.left - 8

    @property
    def year_ticks_end(self):
        return self.bottom + 5

    @property
    def year_labels_y(self):
        return self.bottom + 26


@dataclass(frozen=True)
class Scale:
    """A linear map from a domain of numbers to a span of the drawing."""

    low: object  # a number, or a Decimal
    high: object
    start: float
    end: float

    def __call__(self, value):
        share = (float(value) - float(self.low)) / (float(self.high) - float(self.low))
        return round(self.start + share * (self.end - self.start), 1)


def line_chart(progress):
    """The chart of an indicator's published values, its baseline and its targets (`Progress.of`)."""
    indicator = progress.indicator
    baseline = (indicator.baseline_date, indicator.baseline_value)
    values = [(value.date, value.value) for value in progress.values]
    targets = [(target.date, target.value) for target in progress.targets]
    series = [baseline, *values, *targets]
    first_day, last_day = whole_years(*bounds(date for date, _ in series))
    value_ticks = nice_range(*bounds(Decimal(value) for _, value in series))
    x = Scale(first_day, last_day, LEFT, WIDTH - RIGHT)
    y = Scale(value_ticks[0], value_ticks[-1], HEIGHT - BOTTOM, TOP)

    def point(date, value):
        label = spacing(f"{day(date)} : {with_unit(value, indicator.unit)}")
        return Point(x(date.toordinal()), y(value), label)

    points = [point(*value) for value in values]
    target_points = [point(*target) for target in targets]
    baseline_point = point(*baseline)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        points=points,
        line=path_through(points),
        baseline=baseline_point,
        targets=target_points,
        trajectory=path_through([baseline_point, *target_points]),
        value_ticks=[Tick(y(value), decimal_number(value)) for value in value_ticks],
        year_ticks=[
            Tick(x(datetime.date(year, 1, 1).toordinal()), str(year))
            for year in years_between(first_day, last_day)
        ],
        description=describe(indicator, progress),
    )


def bounds(numbers):
    numbers = list(numbers)
    return min(numbers), max(numbers)


def whole_years(first, last):
    """The days (ordinals) from the first of January of `first`'s year to the first of January
    after `last`: the time axis starts and ends on a year, so it is never empty and has ticks."""
    end = last if (last.month, last.day) == (1, 1) and last > first else datetime.date(last.year + 1, 1, 1)
    return datetime.date(first.year, 1, 1).toordinal(), end.toordinal()


def nice_range(low, high):
    """Round bounds and the ticks between them, a round step apart (1, 2, 2.5 or 5 times a power of ten),
    about VALUE_TICKS of them; in decimals, so that a tick reads "0,3", never "0,30000000000000004"."""
    if low == high:
        low, high = (low - 1, high + 1) if low == 0 else (low - abs(low) / 2, high + abs(high) / 2)
    raw_step = (high - low) / (VALUE_TICKS - 1)
    power = Decimal(1).scaleb(raw_step.adjusted())
    step = next(factor * power for factor in (1, 2, Decimal("2.5"), 5, 10) if factor * power >= raw_step)
    first = (low / step).to_integral_value(ROUND_FLOOR) * step
    last = (high / step).to_integral_value(ROUND_CEILING) * step
    return [first + index * step for index in range(int((last - first) / step) + 1)]


def years_between(first_day, last_day):
    """The years whose first day is inside the domain, thinned to at most MAX_YEAR_TICKS."""
    years = list(
        range(datetime.date.fromordinal(first_day).year, datetime.date.fromordinal(last_day).year + 1)
    )
    return years[:: math.ceil(len(years) / MAX_YEAR_TICKS)]


def path_through(points):
    return " ".join(f"{'M' if index == 0 else 'L'}{point.x},{point.y}" for index, point in enumerate(points))


def describe(indicator, progress):
    """The chart in words: from the first value to the latest, the baseline and the target."""
    unit = indicator.unit

    def at(value, date):
        return f"{with_unit(value, unit)} au {day(date)}"

    values, target = progress.values, progress.target
    if not values:
        measured = "Aucune valeur publiée."
    elif len(values) == 1:
        measured = f"Une valeur : {at(values[0].value, values[0].date)}."
    else:
        first, latest = values[0], values[-1]
        measured = (
            f"{len(values)} valeurs, de {at(first.value, first.date)} à {at(latest.value, latest.date)}."
        )
    sentences = [measured, f"Valeur de référence : {at(indicator.baseline_value, indicator.baseline_date)}."]
    if target:
        sentences.append(f"Cible : {at(target.value, target.date)}.")
    if values:
        sentences.append("Le tableau qui suit donne chaque valeur.")
    return spacing(" ".join(sentences))
