"""One row of the import format (PRODUCT.md), read into typed values, or the reasons it cannot be.

Everything here checks a row on its own or against the other rows of the file; what depends on the
COP as it stands (existing services, axes, ambitions and projects) is checked in `importer.py`.
"""

import datetime
import re
from dataclasses import dataclass, field

from axes.models import ProjectStatus, Service
from axes.tree import REFERENCE_PATTERN
from utils.text import normalise_name

REQUIRED_COLUMNS = ["ref", "axe", "ambition", "titre", "statut", "service_pilote"]
COLUMNS = [
    "ref",
    "axe",
    "axe_titre",
    "ambition",
    "ambition_titre",
    "titre",
    "resume",
    "statut",
    "service_pilote",
    "services_partenaires",
    "debut",
    "echeance",
    "avancement",
    "suite_de",
]
# What each column is called on screen; a file's headers are the column names, and a header written
# as its label ("Service pilote", "Échéance") reads the same (utils.text.normalise_name).
COLUMN_LABELS = {
    "ref": "Référence",
    "axe": "Axe",
    "axe_titre": "Titre de l'axe",
    "ambition": "Ambition",
    "ambition_titre": "Titre de l'ambition",
    "titre": "Titre",
    "resume": "Résumé",
    "statut": "Statut",
    "service_pilote": "Service pilote",
    "services_partenaires": "Services partenaires",
    "debut": "Début",
    "echeance": "Échéance",
    "avancement": "Avancement",
    "suite_de": "Suite de",
}
# The indicator values' format (value_rows.py), whose problems name their columns the same way.
VALUE_COLUMN_LABELS = {"indicateur": "Indicateur", "date": "Date", "valeur": "Valeur"}
LABELS = COLUMN_LABELS | VALUE_COLUMN_LABELS
BAD_REFERENCE = "une référence se compose de chiffres et de lettres séparés par des points ou des tirets"
REFERENCE = re.compile(rf"^{REFERENCE_PATTERN}$")
# "16.2" (in the last COP before the current one) or "2020-2026 16.2" (a COP's slug, then the reference).
CONTINUED = re.compile(rf"^(?:(?P<cop>[-\w]+)\s+)?(?P<reference>{REFERENCE_PATTERN})$")
STATUSES = {normalise_name(key): value for value, label in ProjectStatus.choices for key in (value, label)}
STATUS_LABELS = ", ".join(ProjectStatus.labels)
# Ambition numbers are PostgreSQL smallints.
MAX_AMBITION = 32767
TITLE_LENGTH, SUMMARY_LENGTH = 255, 400
SERVICE_NAME_LENGTH = Service._meta.get_field("name").max_length
# A value quoted in a problem: enough to find the cell, not a whole pasted text.
SHOWN_VALUE_LENGTH = 80


@dataclass(frozen=True)
class Problem:
    """Why the file is refused, in French: for one cell, or for the whole file when `line` is None."""

    reason: str
    line: int | None = None
    column: str = ""
    value: str = ""

    def __str__(self):
        if self.line is None:
            return self.reason
        where = f"Ligne {self.line}, colonne {column_name(self.column)}"
        return f"{where}, valeur « {self.shown_value} » : {self.reason}."

    @property
    def shown_value(self):
        if len(self.value) <= SHOWN_VALUE_LENGTH:
            return self.value
        return self.value[: SHOWN_VALUE_LENGTH - 1] + "…"


def column_name(column):
    """ "« Service pilote »", and the header to look for when the label does not read as it:
    "« Référence » (ref)"."""
    label = LABELS.get(column, column)
    return f"« {label} »" if normalise_name(label) == column else f"« {label} » ({column})"


class CellError(ValueError):
    """A cell's value is wrong; the message says why, in French, without the trailing full stop."""


@dataclass
class ProjectRow:
    line: int
    reference: str
    axis_number: int
    axis_title: str
    ambition_number: int
    ambition_title: str
    title: str
    status: str
    pilot: str
    # None: the file leaves the project's current value alone (column absent, or empty summary).
    partners: list[str] | None = None
    summary: str | None = None
    start_date: datetime.date | None = None
    due_date: datetime.date | None = None
    progress: int | None = None
    # The project of an earlier COP that this one carries over: (COP slug or "", reference), or None.
    continues: tuple[str, str] | None = None
    columns: set[str] = field(default_factory=set)

    @property
    def service_names(self):
        """The pilot first, then the partners, each once."""
        return list(dict.fromkeys([self.pilot, *(self.partners or [])]))


def missing_columns(columns, required_columns=REQUIRED_COLUMNS):
    absent = [column for column in required_columns if column not in columns]
    return [Problem(f"Colonne obligatoire absente : {column_name(column)}.") for column in absent]


def read_project_rows(columns, raw_rows):
    """The rows that read well, and a Problem per bad cell and per row that contradicts another."""
    rows, problems = [], []
    for line, values in raw_rows:
        row, row_problems = read_project_row(line, values, columns)
        problems += row_problems
        if row is not None:
            rows.append(row)
    problems += duplicate_references(rows) + inconsistent_titles(rows)
    return rows, problems


def read_project_row(line, values, columns):
    parsed, problems = {}, []
    for column, reader in CELL_READERS.items():
        text = values.get(column, "")
        try:
            parsed[column] = reader(text)
        except CellError as error:
            problems.append(Problem(str(error), line, column, text))
    if not problems and parsed["debut"] and parsed["echeance"] and parsed["echeance"] < parsed["debut"]:
        problems.append(Problem(due_before_start(parsed["debut"]), line, "echeance", values["echeance"]))
    if problems:
        return None, problems
    return build_row(line, parsed, columns), []


def build_row(line, parsed, columns):
    return ProjectRow(
        line=line,
        reference=parsed["ref"],
        axis_number=parsed["axe"],
        axis_title=parsed["axe_titre"],
        ambition_number=parsed["ambition"],
        ambition_title=parsed["ambition_titre"],
        title=parsed["titre"],
        status=parsed["statut"],
        pilot=parsed["service_pilote"],
        partners=parsed["services_partenaires"] if "services_partenaires" in columns else None,
        summary=parsed["resume"] or None,
        start_date=parsed["debut"],
        due_date=parsed["echeance"],
        progress=parsed["avancement"],
        continues=parsed["suite_de"],
        columns=set(columns),
    )


def due_before_start(start):
    return f"l'échéance précède la date de début ({start:%d/%m/%Y})"


def required(text):
    if not text:
        raise CellError("valeur obligatoire manquante")
    return text


def read_reference(text):
    if not REFERENCE.match(required(text)) or len(text) > 20:
        raise CellError(BAD_REFERENCE)
    return text


def read_number(low, high, name):
    def reader(text):
        try:
            number = int(required(text))
        except ValueError:
            raise CellError(f"{name} doit être un nombre entier") from None
        if not low <= number <= high:
            raise CellError(f"{name} va de {low} à {high}")
        return number

    return reader


def read_text(max_length, is_required=False):
    def reader(text):
        if is_required:
            required(text)
        if len(text) > max_length:
            raise CellError(f"{max_length} caractères au plus (ici {len(text)})")
        return text

    return reader


def read_status(text):
    status = STATUSES.get(normalise_name(required(text)))
    if status is None:
        raise CellError(f"statut inconnu (statuts possibles : {STATUS_LABELS})")
    return status


def read_service_name(text):
    if len(required(text)) > SERVICE_NAME_LENGTH:
        raise CellError(f"un nom de service fait {SERVICE_NAME_LENGTH} caractères au plus (ici {len(text)})")
    return text


def read_partners(text):
    return [read_service_name(name.strip()) for name in text.split(",") if name.strip()]


def read_date(year_day):
    """A date as YYYY-MM-DD, DD/MM/YYYY or a year alone, which means its `year_day` ((month, day))."""

    def reader(text):
        if not text:
            return None
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        if re.fullmatch(r"[0-9]{4}", text):
            if int(text) < datetime.MINYEAR:
                raise CellError("l'année 0 n'existe pas")
            return datetime.date(int(text), *year_day)
        raise CellError("date illisible (formats acceptés : 2026-03-31, 31/03/2026 ou 2026)")

    return reader


def read_continued(text):
    if not text:
        return None
    match = CONTINUED.match(text)
    if match is None:
        raise CellError(
            "indiquez la référence du projet repris, précédée si besoin du COP : « 2020-2026 16.2 »"
        )
    return match["cop"] or "", match["reference"]


def read_progress(text):
    if not text:
        return None
    return read_number(0, 100, "l'avancement")(text.removesuffix("%").strip())


CELL_READERS = {
    "ref": read_reference,
    "axe": read_number(1, 9, "le numéro d'axe"),
    "axe_titre": read_text(TITLE_LENGTH),
    "ambition": read_number(1, MAX_AMBITION, "le numéro d'ambition"),
    "ambition_titre": read_text(TITLE_LENGTH),
    "titre": read_text(TITLE_LENGTH, is_required=True),
    "resume": read_text(SUMMARY_LENGTH),
    "statut": read_status,
    "service_pilote": read_service_name,
    "services_partenaires": read_partners,
    # A year alone: a project starts on its first day and is due on its last.
    "debut": read_date((1, 1)),
    "echeance": read_date((12, 31)),
    "avancement": read_progress,
    "suite_de": read_continued,
}


def duplicate_references(rows):
    first_line, problems = {}, []
    for row in rows:
        if row.reference in first_line:
            reason = f"référence déjà donnée à la ligne {first_line[row.reference]}"
            problems.append(Problem(reason, row.line, "ref", row.reference))
        else:
            first_line[row.reference] = row.line
    return problems


def inconsistent_titles(rows):
    """An axis or ambition number must mean one thing in the whole file: one title, one axis."""
    problems, axis_titles, ambition_titles, ambition_axes = [], {}, {}, {}
    for row in rows:
        problems += disagreement(axis_titles, row.axis_number, row.axis_title, row, "axe_titre", "l'axe")
        problems += disagreement(
            ambition_titles, row.ambition_number, row.ambition_title, row, "ambition_titre", "l'ambition"
        )
        problems += disagreement(
            ambition_axes, row.ambition_number, row.axis_number, row, "axe", "l'ambition"
        )
    return problems


def disagreement(seen, number, value, row, column, what):
    """A Problem if `number` was given another `value` on an earlier line; empty titles agree with any."""
    if value in ("", None):
        return []
    if number not in seen:
        seen[number] = (value, row.line)
        return []
    earlier, line = seen[number]
    if earlier == value:
        return []
    reason = f"{what} n° {number} a reçu « {earlier} » à la ligne {line}"
    return [Problem(reason, row.line, column, str(value))]


def continued_label(project):
    """ "2020-2026 16.2": the carried-over project, by its COP's slug (its URL path's first part)."""
    if project is None:
        return ""
    return f"{project.url_path.strip('/').split('/')[0]} {project.reference}"
