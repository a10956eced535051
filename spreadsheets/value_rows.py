"""One row of the indicator values' format (README): `indicateur` (its identifier, the slug of its
address), `date`, `valeur`, read into typed values, or the reasons it cannot be.

A row is checked on its own and against the other rows of the file; what depends on the COP (its
indicators, their drafts) is checked in `value_importer.py`.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from indicators.values import BadValue, read_value
from utils.text import normalise_name

from .formats import Table
from .rows import CellError, Problem, read_date, required

VALUE_COLUMNS = ["indicateur", "date", "valeur"]
VALUES = Table("valeur", "aucune valeur", "la feuille des valeurs")
# A year alone stands for its last day: a yearly figure is that of 31 December.
read_value_date = read_date((12, 31))


@dataclass(frozen=True)
class ValueRow:
    line: int
    indicator: str  # as the file writes it
    date: datetime.date
    value: Decimal
    written_date: str  # as the file writes it, for the problems that name it

    @property
    def indicator_key(self):
        """How the identifier matches an indicator's: "Taux-De-Réussite" reads "taux-de-reussite"."""
        return normalise_name(self.indicator)


def read_indicator_date(text):
    return read_value_date(required(text))


def read_indicator_value(text):
    try:
        return read_value(required(text))
    except BadValue as error:
        raise CellError(str(error)) from None


CELL_READERS = {"indicateur": required, "date": read_indicator_date, "valeur": read_indicator_value}


def read_value_rows(raw_rows):
    """The rows that read well, and a Problem per bad cell and per value given twice."""
    rows, problems = [], []
    for line, values in raw_rows:
        parsed, row_problems = {}, []
        for column, reader in CELL_READERS.items():
            text = values.get(column, "")
            try:
                parsed[column] = reader(text)
            except CellError as error:
                row_problems.append(Problem(str(error), line, column, text))
        problems += row_problems
        if not row_problems:
            row = ValueRow(line, parsed["indicateur"], parsed["date"], parsed["valeur"], values["date"])
            rows.append(row)
    return rows, problems + values_given_twice(rows)


def values_given_twice(rows):
    first_line, problems = {}, []
    for row in rows:
        key = (row.indicator_key, row.date)
        if key in first_line:
            reason = f"une valeur de cet indicateur à cette date est déjà donnée à la ligne {first_line[key]}"
            problems.append(Problem(reason, row.line, "date", row.written_date))
        else:
            first_line[key] = row.line
    return problems
