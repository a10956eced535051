"""Spreadsheets crafted to swell once read (issue 13), built small and fast: for the tests of the
import's bounds (tests/test_import_bounds.py) and for `make bench`, which prints what refusing each
costs against the budget (2 s, 200 MB)."""

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{OFFICE}">'
    '<sheets><sheet name="Projets" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
# The import's header and one project, as shared strings 0 to 25 (header then values).
HEADER = ["ref", "axe", "axe_titre", "ambition", "ambition_titre", "titre", "resume", "statut"]
HEADER += ["service_pilote", "services_partenaires", "debut", "echeance", "avancement"]
PROJECT = ["16.1", "2", "Accompagner la transition numérique", "16", "Simplifier l'accès numérique"]
PROJECT += ["Créer l'application", "Une application.", "Engagé", "Relation usagers", "", "", "", "40"]
# A project that the import refuses six times over: reference, axis, ambition, title, status, pilot.
BAD_PROJECT = {
    "ref": "16 1",
    "axe": "99",
    "ambition": "x",
    "titre": "",
    "statut": "fini",
    "service_pilote": "",
}
BAD_CELLS = [BAD_PROJECT.get(column, "") for column in HEADER]


def shared_strings(strings):
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{items}</sst>'.encode()


def row_of_strings(first_index, count):
    """A row of `count` cells holding the shared strings from `first_index` on."""
    cells = "".join(f'<c t="s"><v>{index}</v></c>' for index in range(first_index, first_index + count))
    return f"<row>{cells}</row>".encode()


def workbook(rows, dimension=None, strings=(*HEADER, *PROJECT), compression=1):
    """An XLSX of one sheet: its rows given as chunks of XML (written as they come, so that a
    bomb is never whole in memory), its `<dimension>` as declared."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compression) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/sharedStrings.xml", shared_strings(strings))
        declared = f'<dimension ref="{dimension}"/>' if dimension else ""
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'.encode())
            sheet.write(f"{declared}<sheetData>".encode())
            for chunk in rows:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def project_rows():
    return [row_of_strings(0, len(HEADER)), row_of_strings(len(HEADER), len(PROJECT))]


def whole_sheet_declared():
    """The issue's 4.7 KB workbook: one project, and a `<dimension>` claiming the whole sheet
    (A1:XFD1048576), which openpyxl filled with empty cells for minutes."""
    return workbook(project_rows(), dimension="A1:XFD1048576")


def rows_by_the_hundred_thousand(count=700_000, chunk=10_000):
    """The issue's 700,000 rows (1.7 MB that took 56 s and 1 GB), each wrong six times over."""
    bad_row = row_of_strings(len(HEADER), 5)
    rows = [row_of_strings(0, len(HEADER))] + [bad_row * chunk] * (count // chunk)
    return workbook(rows, dimension=f"A1:M{count + 1}", strings=(*HEADER, *BAD_CELLS), compression=9)


def numbered_rows_without_dimension(count=700_000):
    """700,000 empty rows, numbered, and no `<dimension>`: small enough once uncompressed (11 MB),
    and compressed no better than a real sheet, but openpyxl measured the sheet by parsing it all."""
    rows = (f'<row r="{line}"/>'.encode() for line in range(1, count + 1))
    return workbook([*project_rows(), *rows])


def one_row_of_a_million_cells():
    """A row of a million empty cells under a modest `<dimension>`: openpyxl builds them all."""
    return workbook([b"<row>", b"<c/>" * 1_000_000, b"</row>"], dimension="A1:M2")


def one_row_of_numbered_cells(count=700_000):
    """The same with each cell given its own reference: compressed no better than a real sheet."""
    cells = (f'<c r="{column}1"/>'.encode() for column in range(count))
    return workbook([b"<row>", *cells, b"</row>"], dimension="A1:M1")


def csv_of(lines):
    return "\n".join(lines).encode("utf-8")


def csv_of_many_lines():
    """A header, then lines by the hundred thousand: 2 MB, the largest upload."""
    return csv_of([";".join(HEADER)] + ["16.1;2"] * 280_000)


def csv_with_a_huge_cell():
    """A summary of 2 MB, where the format holds 400 characters (the csv module stops at 128 KiB)."""
    return csv_of([";".join(HEADER), ";".join([*PROJECT[:6], "x" * 2_000_000, *PROJECT[7:]])])


def csv_of_a_million_columns():
    return csv_of([";".join(HEADER) + ";x" * 1_000_000])


def csv_of_bad_lines(count=5_000):
    """As many lines as an import reads, each wrong six times over: 30,000 problems."""
    return csv_of([";".join(HEADER)] + [";".join(BAD_CELLS)] * count)


# (label, builder, file name): every bomb that an import must refuse within 2 s and 200 MB.
BOMBS = [
    ("XLSX déclarant A1:XFD1048576", whole_sheet_declared, "bombe.xlsx"),
    ("XLSX de 700 000 lignes", rows_by_the_hundred_thousand, "bombe.xlsx"),
    ("XLSX de 700 000 lignes, sans dimension", numbered_rows_without_dimension, "bombe.xlsx"),
    ("XLSX d'une ligne d'un million de cellules", one_row_of_a_million_cells, "bombe.xlsx"),
    ("XLSX d'une ligne de 700 000 cellules", one_row_of_numbered_cells, "bombe.xlsx"),
    ("CSV de 280 000 lignes", csv_of_many_lines, "bombe.csv"),
    ("CSV d'une cellule de 2 Mo", csv_with_a_huge_cell, "bombe.csv"),
    ("CSV d'un million de colonnes", csv_of_a_million_columns, "bombe.csv"),
    ("CSV de 5 000 lignes fausses", csv_of_bad_lines, "bombe.csv"),
]
