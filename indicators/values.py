"""An indicator's values as people write them, and as a new version of the indicator holds them.

A value is read from French ("12,5", "1 234,5") or from a spreadsheet's dot ("12.5"), within the
digits that the model keeps; `put_value` sets it at its date among the indicator's values in memory,
so that the indicator's next revision holds it and only its publication writes it to the database.
"""

import re
from decimal import Decimal

from .models import IndicatorValue

VALUE_FIELD = IndicatorValue._meta.get_field("value")
PLACES = VALUE_FIELD.decimal_places
WHOLE_DIGITS = VALUE_FIELD.max_digits - VALUE_FIELD.decimal_places
# Thousands are grouped by spaces, or by the non-breaking ones that the site writes ("1 234,5").
GROUPING = re.compile(r"[ \u00a0\u202f]")
NUMBER = re.compile(r"^[-+]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)$")
UNREADABLE = "nombre illisible (écrivez par exemple 12,5, 12.5 ou 1 234,5)"


class BadValue(ValueError):
    """Why a text is no value, in French, without a trailing full stop."""


def read_value(text):
    """The Decimal that `text` writes, with a comma or a dot before its decimals; BadValue if none."""
    written = GROUPING.sub("", text.strip()).replace("−", "-")
    if not NUMBER.match(written):
        raise BadValue(UNREADABLE)
    value = Decimal(written.replace(",", "."))
    places = max(0, -value.normalize().as_tuple().exponent)
    if places > PLACES:
        raise BadValue(f"{PLACES} décimales au plus (ici {places})")
    if value and value.adjusted() + 1 > WHOLE_DIGITS:
        raise BadValue(f"nombre trop grand ({WHOLE_DIGITS} chiffres au plus avant la virgule)")
    return value.quantize(Decimal(1).scaleb(-PLACES))


def put_value(indicator, date, value, user, at):
    """Sets `value` at `date` among `indicator`'s values in memory (replacing the one at that date),
    entered by `user` at `at`: the indicator's next revision holds it."""
    values = list(indicator.values.all())
    existing = next((entry for entry in values if entry.date == date), None)
    if existing is None:
        values.append(IndicatorValue(date=date, value=value, entered_by=user, entered_at=at))
    else:
        existing.value, existing.entered_by, existing.entered_at = value, user, at
    indicator.values = sorted(values, key=lambda entry: entry.date)
