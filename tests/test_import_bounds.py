"""Bounded imports (issue 13): a file an import cannot read, or would take too long to, is refused
with a French message, and nothing is written; every spreadsheet bomb within 2 s and 200 MB."""

import time
import tracemalloc

import pytest

from spreadsheets.importer import plan_import

from . import spreadsheet_bombs as bombs
from .test_spreadsheets import (
    HEADER,
    IMPORT_URL,
    cop_state,
    csv_file,
    import_file,
    new_project_row,
    row,
    upload,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

BUDGET_SECONDS = 2
BUDGET_BYTES = 200 * 1024 * 1024


def problems_of(content, name="projets.csv", **options):
    before = cop_state()
    plan = import_file(content, name=name, **options)
    assert cop_state() == before
    return [str(problem) for problem in plan.problems]


# --- The reproductions: each a French problem, nothing written ------------------------------------


def test_a_year_0000_is_a_french_problem(project):
    assert problems_of(csv_file([row(debut="0000")])) == [
        "Ligne 2, colonne « Début », valeur « 0000 » : l'année 0 n'existe pas."
    ]


def test_a_truncated_xlsx_is_unreadable(project):
    content = xlsx_file([row()])
    assert problems_of(content[: len(content) // 2], name="projets.xlsx") == [
        "Le classeur Excel est illisible ; enregistrez-le de nouveau au format .xlsx."
    ]


def test_a_damaged_part_of_an_xlsx_is_unreadable(project):
    """A zip that opens, holding XML that does not parse."""
    damaged = bombs.workbook(bombs.project_rows(), strings=("ref", "<titre"))
    assert problems_of(damaged, name="projets.xlsx") == [
        "Le classeur Excel est illisible ; enregistrez-le de nouveau au format .xlsx."
    ]


def test_a_cell_over_128_kib_is_a_french_problem(project):
    assert problems_of(csv_file([row(), row(resume="x" * 140_000)])) == [
        "Ligne 3 : une cellule est bien trop longue pour être lue (plus de 131 072 caractères)."
    ]


def test_a_new_service_name_over_100_characters_is_a_french_problem(project):
    name = "Direction " + "x" * 140
    assert problems_of(csv_file([row(service_pilote=name)]), create_services=True) == [
        f"Ligne 2, colonne « Service pilote », valeur « {name[:79]}… » : un nom de service fait 100 "
        "caractères au plus (ici 150)."
    ]
    assert problems_of(csv_file([row(services_partenaires=f"Éducation, {name}")]), create_services=True) == [
        f"Ligne 2, colonne « Services partenaires », valeur « Éducation, {name[:68]}… » : un nom de service "
        "fait 100 caractères au plus (ici 150)."
    ]


# --- Rows, columns, problems ---------------------------------------------------------------------


def test_an_import_reads_5000_rows_and_refuses_more(project, settings):
    rows = [new_project_row(f"99.{number}") for number in range(5_001)]
    assert problems_of(csv_file(rows)) == [
        "Le fichier compte plus de 5 000 lignes sous les en-têtes : un import en lit 5 000 au plus. "
        "Découpez le fichier, ou supprimez les lignes vides sous le tableau."
    ]
    settings.COP_IMPORT_MAX_ROWS = 3
    assert not import_file(csv_file(rows[:4])).is_valid
    assert import_file(csv_file(rows[:3])).is_valid


def test_an_import_reads_50_columns_and_refuses_a_header_beyond(project):
    too_wide = HEADER + [f"note {number}" for number in range(38)]
    assert problems_of(csv_file([row()], header=too_wide)) == [
        "Le fichier compte plus de 50 colonnes : un import en lit 50 au plus. Gardez les colonnes du "
        "format d'import, ou supprimez les colonnes vides à droite du tableau."
    ]
    empty_beyond = HEADER + [""] * 100
    assert import_file(csv_file([row(titre="Titre changé")], header=empty_beyond)).is_valid


def test_the_first_100_problems_are_listed_then_counted(project):
    plan = plan_import("projets.csv", bombs.csv_of_bad_lines(600))
    assert plan.problem_count == 3_600
    assert len(plan.problems) == 101
    assert str(plan.problems[0]) == "Ligne 2, colonne « Référence » (ref), valeur « 16 1 » : " + (
        "une référence se compose de chiffres et de lettres séparés par des points ou des tirets."
    )
    assert str(plan.problems[-1]) == "… et 3 500 autres problèmes."


def test_the_admin_lists_the_first_problems_and_the_count(project, admin_client):
    response = admin_client.post(IMPORT_URL, {"file": upload(bombs.csv_of_bad_lines(600))})
    page = response.content.decode()
    assert "… et 3 500 autres problèmes." in page
    assert page.count("<li>Ligne ") == 100


# --- What an XLSX declares and holds, checked before openpyxl parses it -------------------------


def test_a_sheet_holding_more_rows_than_it_declares_is_refused(project):
    rows = [*bombs.project_rows(), *(numbers_row(3) for _ in range(5_100))]
    assert problems_of(bombs.workbook(rows, dimension="A1:M2"), name="projets.xlsx") == [
        "Une feuille du classeur compte plus de 5 000 lignes sous les en-têtes : un import en lit 5 000 au "
        "plus. Découpez le fichier, ou supprimez les lignes vides sous le tableau."
    ]


def numbers_row(count):
    return b"<row>" + b"".join(f"<c><v>{number}</v></c>".encode() for number in range(count)) + b"</row>"


def test_a_row_of_more_cells_than_the_columns_read_is_refused(project):
    rows = [*bombs.project_rows(), numbers_row(51)]
    assert problems_of(bombs.workbook(rows, dimension="A1:M3"), name="projets.xlsx") == [
        "Une feuille du classeur compte plus de 50 colonnes : un import en lit 50 au plus. Gardez les "
        "colonnes du format d'import, ou supprimez les colonnes vides à droite du tableau."
    ]


def test_a_workbook_over_the_uncompressed_limit_is_refused(project, settings):
    settings.COP_IMPORT_MAX_UNCOMPRESSED_BYTES = 2048
    [problem] = problems_of(xlsx_file([row()]), name="projets.xlsx")
    assert problem.startswith("Le classeur pèse ")
    assert " Ko une fois décompressé : un import en lit 2 Ko au plus." in problem


def test_a_workbook_of_more_xml_than_its_rows_need_is_refused(project, settings):
    settings.COP_IMPORT_MAX_ROWS = 10
    strings = (*bombs.HEADER, *bombs.PROJECT, *(f"texte {number}" for number in range(1_000)))
    content = bombs.workbook(bombs.project_rows(), strings=strings)
    assert problems_of(content, name="projets.xlsx") == [
        "Le classeur contient bien plus que les lignes d'un import (mises en forme, autres feuilles). "
        "Enregistrez seulement la feuille des projets, sans mise en forme, ou exportez-la en CSV."
    ]


def test_a_workbook_within_the_bounds_imports_what_it_holds(project):
    """Its declared dimension is checked, then ignored: a sheet that holds more than it declares is
    read whole, never cut at the dimension."""
    content = bombs.workbook(bombs.project_rows(), dimension="A1:B1")
    plan = import_file(content, name="projets.xlsx")
    assert plan.is_valid
    assert [project_plan.row.reference for project_plan in plan.projects] == ["16.1"]


# --- The bombs: refused within 2 s and 200 MB ------------------------------------------------------


def refusal_cost(name, content):
    """The problems, the seconds and the peak of memory allocated while planning the import."""
    start = time.perf_counter()
    plan = plan_import(name, content)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        plan_import(name, content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return plan, seconds, peak


@pytest.mark.parametrize(("label", "build", "name"), bombs.BOMBS, ids=[bomb[0] for bomb in bombs.BOMBS])
def test_every_spreadsheet_bomb_is_refused_in_french_within_budget(project, label, build, name):
    before = cop_state()
    plan, seconds, peak = refusal_cost(name, build())
    assert not plan.is_valid
    assert len(plan.problems) <= 101
    assert seconds < BUDGET_SECONDS
    assert peak < BUDGET_BYTES
    assert cop_state() == before
