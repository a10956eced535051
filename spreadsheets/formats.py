"""The spreadsheet files themselves: CSV or XLSX in, rows of text out; rows of text in, files out.

Reading yields (line number, {column: text}) with the header names normalised; it knows nothing of
projects. Cells that a spreadsheet would run as a formula are neutralised on the way out (an
apostrophe in front) and restored on the way in, so that an export imports back unchanged.
"""

import csv
import datetime
import io
import re

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from search.text import fold

XLSX_SIGNATURE = b"PK\x03\x04"
EXTENSIONS = (".csv", ".xlsx")
# A cell starting with one of these is a formula to a spreadsheet; any leading apostrophes first
# are neutralisation prefixes, so that neutralising and restoring are exact inverses.
FORMULA = re.compile(r"^'*[=+\-@]")
NEUTRALISED = re.compile(r"^'+[=+\-@]")


EMPTY_FILE = "Le fichier est vide : il faut une ligne d'en-têtes puis une ligne par projet."
UNREADABLE_XLSX = "Le classeur Excel est illisible ; enregistrez-le de nouveau au format .xlsx."


class FileError(Exception):
    """The file as a whole cannot be read: its message is for the user, in French."""


def normalise_name(text):
    """ "Échéance " → "echeance", "Service pilote" → "service_pilote": how headers and labels match."""
    return re.sub(r"[\s\-]+", "_", fold(str(text).strip()))


def neutralise(value):
    """Text that a spreadsheet would run gets an apostrophe in front; numbers stay numbers."""
    return f"'{value}" if isinstance(value, str) and FORMULA.match(value) else value


def restore(text):
    return text[1:] if NEUTRALISED.match(text) else text


def read_rows(name, content):
    """The rows of the file `name` with bytes `content`: (line number, {normalised header: text})."""
    kind = file_kind(name, content)
    lines = read_xlsx(content) if kind == "xlsx" else read_csv(content)
    header = next(lines, None)
    if header is None or not any(cell.strip() for cell in header):
        raise FileError(EMPTY_FILE)
    columns = [normalise_name(cell) for cell in header]
    rows = []
    for number, cells in enumerate(lines, start=2):
        pairs = zip(columns, cells, strict=False)
        values = {column: restore(cell.strip()) for column, cell in pairs if column}
        if any(values.values()):
            rows.append((number, values))
    if not rows:
        raise FileError("Le fichier ne contient aucun projet : seule la ligne d'en-têtes est remplie.")
    return set(columns), rows


def file_kind(name, content):
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS:
        raise FileError(f"« {name} » n'est ni un fichier CSV (.csv) ni un classeur Excel (.xlsx).")
    if not content:
        raise FileError(EMPTY_FILE)
    is_zip = content.startswith(XLSX_SIGNATURE)
    looks_binary = is_zip or b"\x00" in content
    if (extension == ".xlsx" and not is_zip) or (extension == ".csv" and looks_binary):
        raise FileError(f"Le contenu de « {name} » n'est pas celui d'un fichier {extension[1:].upper()}.")
    return extension[1:]


def decode(content):
    """UTF-8 (a BOM is dropped), else Windows-1252, the encoding of Excel's "CSV" on French Windows."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def read_csv(content):
    text = decode(content)
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def read_xlsx(content):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as error:
        raise FileError(UNREADABLE_XLSX) from error
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [cell_text(value) for value in row]
    finally:
        workbook.close()


def cell_text(value):
    """A cell as the text a CSV would hold: 40.0 → "40", a date → "2026-03-01"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_csv(columns, rows):
    """CSV separated by ";" in UTF-8 with a BOM: what Excel in French opens with its accents."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(row[column]) for column in columns])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(columns, rows, sheet_title="Projets"):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.append(columns)
    for row in rows:
        sheet.append([neutralise(row[column]) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
