"""The spreadsheet files themselves: CSV or XLSX in, rows of text out; rows of text in, files out.

Reading yields (line number, {column: text}) with the header names normalised; it knows nothing of
projects. Cells that a spreadsheet would run as a formula are neutralised on the way out (an
apostrophe in front) and restored on the way in, so that an export imports back unchanged.

Reading is bounded (settings COP_IMPORT_MAX_*): so many rows and columns, and an XLSX is measured
before openpyxl parses it (its size once uncompressed, its sheets' declared and actual rows and
cells), so that a file crafted to swell is refused at once, with a French message.
"""

import csv
import datetime
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings

from openpyxl import Workbook, load_workbook
from openpyxl.utils.cell import range_boundaries

from utils.text import normalise_name, thousands

XLSX_SIGNATURE = b"PK\x03\x04"
EXTENSIONS = (".csv", ".xlsx")
# A cell starting with one of these is a formula to a spreadsheet; any leading apostrophes first
# are neutralisation prefixes, so that neutralising and restoring are exact inverses.
FORMULA = re.compile(r"^'*[=+\-@]")
NEUTRALISED = re.compile(r"^'+[=+\-@]")
# A negative number in French ("-3,5") runs nothing: it is written as is, for Excel to read a number.
NEGATIVE_NUMBER = re.compile(r"^-[0-9]+(?:,[0-9]+)?$")


@dataclass(frozen=True)
class Table:
    """What a file's rows are, in the words of its messages."""

    row: str  # "projet": a line per projet
    no_row: str  # "aucun projet"
    sheet: str  # "la feuille des projets"


PROJECTS = Table("projet", "aucun projet", "la feuille des projets")
UNREADABLE_XLSX = "Le classeur Excel est illisible ; enregistrez-le de nouveau au format .xlsx."
# A workbook's XML compresses about tenfold; a hundredfold is padding meant to swell once opened.
MAX_COMPRESSION_RATIO = 100
# XML elements per row that openpyxl may parse: the import's 13 columns take about 40 (cell, value,
# text), and every element costs it time; styles and shared strings count too.
XML_ELEMENTS_PER_ROW = 60
SHEET = "Une feuille du classeur"
# How a zip archive tells that it is damaged, truncated, encrypted or compressed in an unknown way.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,
)
XML_DIMENSION = re.compile(rb"""<(?:[\w.-]+:)?dimension\s+ref=["']([^"']*)["']""")
XML_SHEET_DATA = re.compile(rb"<(?:[\w.-]+:)?sheetData[\s/>]")
XML_ROW_OR_CELL = re.compile(rb"<(?:[\w.-]+:)?(row|c)[\s/>]")


class FileError(Exception):
    """The file as a whole cannot be read: its message is for the user, in French."""


def neutralise(value):
    """Text that a spreadsheet would run gets an apostrophe in front; numbers stay numbers."""
    is_formula = isinstance(value, str) and FORMULA.match(value) and not NEGATIVE_NUMBER.match(value)
    return f"'{value}" if is_formula else value


def restore(text):
    return text[1:] if NEUTRALISED.match(text) else text


def too_many_rows(where="Le fichier"):
    limit = thousands(settings.COP_IMPORT_MAX_ROWS)
    return FileError(
        f"{where} compte plus de {limit} lignes sous les en-têtes : un import en lit {limit} au plus. "
        "Découpez le fichier, ou supprimez les lignes vides sous le tableau."
    )


def too_many_columns(where="Le fichier"):
    limit = settings.COP_IMPORT_MAX_COLUMNS
    return FileError(
        f"{where} compte plus de {limit} colonnes : un import en lit {limit} au plus. "
        "Gardez les colonnes du format d'import, ou supprimez les colonnes vides à droite du tableau."
    )


def empty_file(table):
    return FileError(f"Le fichier est vide : il faut une ligne d'en-têtes puis une ligne par {table.row}.")


def only_the_sheet(table):
    return f"Enregistrez seulement {table.sheet}, sans mise en forme, ou exportez-la en CSV."


def read_rows(name, content, table=PROJECTS):
    """The rows of the file `name` with bytes `content`, a `table` of projects or else:
    (line number, {normalised header: text})."""
    kind = file_kind(name, content, table)
    lines = read_xlsx(content, table) if kind == "xlsx" else read_csv(content)
    header = next(lines, None)
    if header is None or not any(cell.strip() for cell in header):
        raise empty_file(table)
    if any(cell.strip() for cell in header[settings.COP_IMPORT_MAX_COLUMNS :]):
        raise too_many_columns()
    columns = [normalise_name(cell) for cell in header[: settings.COP_IMPORT_MAX_COLUMNS]]
    rows = []
    for number, cells in enumerate(lines, start=2):
        if number > settings.COP_IMPORT_MAX_ROWS + 1:
            raise too_many_rows()
        pairs = zip(columns, cells, strict=False)
        values = {column: restore(cell.strip()) for column, cell in pairs if column}
        if any(values.values()):
            rows.append((number, values))
    if not rows:
        raise FileError(f"Le fichier ne contient {table.no_row} : seule la ligne d'en-têtes est remplie.")
    return set(columns), rows


def file_kind(name, content, table=PROJECTS):
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS:
        raise FileError(f"« {name} » n'est ni un fichier CSV (.csv) ni un classeur Excel (.xlsx).")
    if not content:
        raise empty_file(table)
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
    """The CSV's rows, each cut after the column past the last one read (to tell that there is one)."""
    text = decode(content)
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    width = settings.COP_IMPORT_MAX_COLUMNS + 1
    try:
        for row in reader:
            yield row[:width]
    except csv.Error as error:
        # With the file's NUL bytes refused (file_kind), the only error left: a cell over the csv
        # module's limit (128 Kio), where the longest cell of the format holds 400 characters.
        raise FileError(
            f"Ligne {reader.line_num} : une cellule est bien trop longue pour être lue "
            f"(plus de {thousands(csv.field_size_limit())} caractères)."
        ) from error


def read_xlsx(content, table=PROJECTS):
    """The first sheet's rows, each as wide as the columns read plus one (to tell that there is one)."""
    check_workbook_size(content, table)
    workbook = None
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # Its declared size was checked; what it holds is read, not what it declares.
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True, max_col=settings.COP_IMPORT_MAX_COLUMNS + 1):
            yield [cell_text(value) for value in row]
    except Exception as error:
        # openpyxl stumbles on a damaged workbook with whatever its parsing meets: BadZipFile,
        # KeyError, TypeError, XML syntax errors, an overflowing date…
        raise FileError(UNREADABLE_XLSX) from error
    finally:
        if workbook is not None:
            workbook.close()


def check_workbook_size(content, table=PROJECTS):
    """Refuses a workbook that would swell once opened, before openpyxl parses any of it: too large
    uncompressed, compressed too well, too many XML elements, or a sheet that declares or holds more
    rows or cells in a row than an import reads."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except ZIP_ERRORS as error:
        raise FileError(UNREADABLE_XLSX) from error
    size = sum(entry.file_size for entry in entries)
    limit = settings.COP_IMPORT_MAX_UNCOMPRESSED_BYTES
    if size > limit:
        raise FileError(
            f"Le classeur pèse {in_words(size)} une fois décompressé : un import en lit "
            f"{in_words(limit)} au plus. {only_the_sheet(table)}"
        )
    if size > MAX_COMPRESSION_RATIO * len(content):
        raise FileError(
            f"Le classeur se décompresse en {in_words(size)} à partir de {in_words(len(content))} : "
            f"aucun tableau ne se comprime ainsi. {only_the_sheet(table)}"
        )
    elements = 0
    for entry in entries:
        # ZipFile reads no more than the size checked above: a part that would give more fails its CRC.
        try:
            xml = archive.read(entry)
        except ZIP_ERRORS as error:
            raise FileError(UNREADABLE_XLSX) from error
        check_sheet_shape(xml)
        elements += xml.count(b"<") - xml.count(b"</")
    if elements > XML_ELEMENTS_PER_ROW * (settings.COP_IMPORT_MAX_ROWS + 1):
        raise FileError(
            "Le classeur contient bien plus que les lignes d'un import (mises en forme, autres feuilles). "
            + only_the_sheet(table)
        )


def in_words(size):
    """A size in bytes as French readers write it: "1,5 Mo", "4,7 Ko"."""
    unit, divisor = ("Mo", 1_048_576) if size >= 1_048_576 else ("Ko", 1024)
    return f"{size / divisor:.3g} {unit}".replace(".", ",")


def check_sheet_shape(xml):
    """Refuses a worksheet that declares, or holds, more rows, or more cells in a row, than are read.

    A scan of the raw XML, where openpyxl would first build every row: a `<dimension>` claiming a
    million rows, or a row of a million cells, swells to gigabytes once parsed."""
    if dimension := XML_DIMENSION.search(xml):
        try:
            _, _, columns, rows = range_boundaries(dimension[1].decode("ascii"))
        except (UnicodeDecodeError, ValueError, TypeError) as error:
            raise FileError(UNREADABLE_XLSX) from error
        if (rows or 0) > settings.COP_IMPORT_MAX_ROWS + 1:
            raise too_many_rows(SHEET)
        if (columns or 0) > settings.COP_IMPORT_MAX_COLUMNS:
            raise too_many_columns(SHEET)
    sheet_data = XML_SHEET_DATA.search(xml)
    if sheet_data is None:
        return
    rows = cells = 0
    for tag in XML_ROW_OR_CELL.finditer(xml, sheet_data.end()):
        if tag[1] == b"row":
            rows, cells = rows + 1, 0
            if rows > settings.COP_IMPORT_MAX_ROWS + 1:
                raise too_many_rows(SHEET)
        else:
            cells += 1
            if cells > settings.COP_IMPORT_MAX_COLUMNS:
                raise too_many_columns(SHEET)


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
