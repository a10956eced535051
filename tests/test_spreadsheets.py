"""Spreadsheet import and export (issue 6): the format of PRODUCT.md, all or nothing, idempotent."""

import csv
import datetime
import io

from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from wagtail.models import Revision, WorkflowState

import pytest
from openpyxl import Workbook, load_workbook

from axes.models import AmbitionPage, AxisPage, ProjectPage, ProjectStatus, Service
from editorial import roles
from spreadsheets.exporter import export_file
from spreadsheets.importer import Mode, Outcome, apply_import, plan_import

from .factories import AmbitionPageFactory, ProjectPageFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = [
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
IMPORT_URL = "/admin/importer/"


def row(**values):
    """A row for project 16.1 of the conftest COP, as the export writes it, with `values` changed."""
    base = {
        "ref": "16.1",
        "axe": "2",
        "axe_titre": "Accompagner la transition numérique",
        "ambition": "16",
        "ambition_titre": "Simplifier l'accès numérique aux services de la ville",
        "titre": "Créer l'application de la ville",
        "resume": "Une application pour faire ses démarches en ligne.",
        "statut": "Engagé",
        "service_pilote": "Relation usagers",
        "services_partenaires": "Éducation",
        "debut": "",
        "echeance": "",
        "avancement": "40",
        "suite_de": "",
    }
    return base | values


def csv_file(rows, header=HEADER, delimiter=";", encoding="utf-8"):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(column, "") for column in header])
    return buffer.getvalue().encode(encoding)


def xlsx_file(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append([values.get(column, "") for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_file(
    content, name="projets.csv", mode=Mode.PUBLISH, user=None, create_services=False, skip_drafts=False
):
    plan = plan_import(
        name, content, mode, create_services=create_services, skip_drafts=skip_drafts, user=user
    )
    if plan.is_valid:
        apply_import(plan, user, mode)
    return plan


def cop_state():
    """Everything an import may write, to assert that a refused file wrote nothing."""
    return {
        "projects": sorted(
            ProjectPage.objects.values_list("reference", "title", "status", "progress", "path", "live")
        ),
        "ambitions": sorted(AmbitionPage.objects.values_list("number", "title", "path")),
        "axes": sorted(AxisPage.objects.values_list("number", "title")),
        "services": sorted(Service.objects.values_list("name", flat=True)),
        "revisions": Revision.objects.count(),
        "workflows": WorkflowState.objects.count(),
    }


def new_project_row(reference="16.2", **values):
    return row(ref=reference, titre=f"Projet {reference}", resume="Nouveau projet.", **values)


def page(reference):
    return ProjectPage.objects.get(reference=reference)


def revisions_of(project):
    return Revision.page_revisions.filter(object_id=str(project.pk)).count()


# --- Creating and updating ------------------------------------------------------------------


def test_an_import_into_an_empty_cop_creates_axes_ambitions_and_published_projects(home, education):
    ServiceFactory(name="Relation usagers", slug="relation-usagers")
    rows = [
        new_project_row("16.1", debut="2025", echeance="2026", avancement="10 %"),
        new_project_row("16.2", statut="en projet", debut="01/03/2025", echeance="2026-06-30"),
        new_project_row(
            "31.1", axe="4", axe_titre="Transition écologique", ambition="31", ambition_titre="Vélo"
        ),
    ]
    plan = import_file(csv_file(rows))
    assert plan.is_valid, plan.problems
    assert plan.counts()[Outcome.CREATED] == 3
    assert plan.summary_lines()[:3] == [
        "Projets : 3\xa0créés, 0\xa0modifié, 0\xa0inchangé.",
        "  Axe 2 : 2\xa0créés, 0\xa0modifié, 0\xa0inchangé.",
        "  Axe 4 : 1\xa0créé, 0\xa0modifié, 0\xa0inchangé.",
    ]
    project = page("16.1")
    assert project.live and project.title == "Projet 16.1"
    assert (project.start_date, project.due_date, project.progress) == (
        datetime.date(2025, 1, 1),
        datetime.date(2026, 12, 31),
        10,
    )
    assert {service.name for service in project.services.all()} == {"Relation usagers", "Éducation"}
    assert page("16.2").status == ProjectStatus.EN_PROJET
    assert page("31.1").get_parent().specific.number == 31
    assert AxisPage.objects.get(number=4).live


def test_importing_the_same_file_twice_creates_no_new_revision(home, relation_usagers, education):
    content = csv_file([new_project_row("16.1"), new_project_row("16.2")])
    import_file(content)
    before = cop_state()
    plan = import_file(content)
    assert plan.counts() == {Outcome.UNCHANGED: 2}
    assert cop_state() == before


def test_a_changed_row_creates_exactly_one_revision_and_the_preview_names_the_fields(project):
    before = revisions_of(project)
    plan = import_file(csv_file([row(statut="realise", avancement="100")]))
    assert plan.by_outcome(Outcome.CHANGED)[0].changes == [
        ("Statut", "Engagé", "Réalisé"),
        ("Avancement", "40", "100"),
    ]
    assert revisions_of(project) == before + 1
    assert (page("16.1").status, page("16.1").progress) == (ProjectStatus.REALISE, 100)


def test_services_compare_as_a_set_and_absent_optional_columns_are_left_alone(project):
    header = [column for column in HEADER if column not in ("debut", "echeance", "avancement", "resume")]
    plan = import_file(csv_file([row(services_partenaires="Éducation, Relation usagers")], header=header))
    assert plan.counts() == {Outcome.UNCHANGED: 1}
    assert page("16.1").progress == 40


def test_a_file_without_partners_keeps_the_partners_of_the_project(project):
    header = ["ref", "axe", "ambition", "titre", "statut", "service_pilote"]
    plan = import_file(csv_file([row(titre="Nouveau titre")], header=header))
    assert plan.by_outcome(Outcome.CHANGED)[0].changes == [
        ("Titre", "Créer l'application de la ville", "Nouveau titre")
    ]
    assert {service.name for service in page("16.1").services.all()} == {"Relation usagers", "Éducation"}


def test_moving_a_project_to_another_ambition_moves_the_page(project, axis):
    AmbitionPageFactory(parent=axis, number=17, title="Ouvrir les données")
    before = revisions_of(project)
    plan = import_file(csv_file([row(ambition="17", ambition_titre="Ouvrir les données")]))
    assert plan.by_outcome(Outcome.CHANGED)[0].changes == [("Ambition", "16", "17")]
    assert page("16.1").get_parent().specific.number == 17
    assert revisions_of(project) == before


def test_create_services_creates_the_unknown_ones(project):
    plan = import_file(csv_file([row(services_partenaires="Éducation, Voirie")]), create_services=True)
    assert plan.new_services == ["Voirie"]
    assert "Voirie" in {service.name for service in page("16.1").services.all()}


def test_a_dry_run_writes_nothing(project):
    before = cop_state()
    plan = plan_import("projets.csv", csv_file([row(titre="Nouveau titre"), new_project_row()]))
    assert plan.counts() == {Outcome.CHANGED: 1, Outcome.CREATED: 1}
    assert cop_state() == before


# --- Encodings, delimiters, XLSX --------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_every_encoding_reads_accents(project, encoding):
    plan = import_file(csv_file([row(titre="Créer l'appli « ville »")], encoding=encoding))
    assert plan.is_valid, plan.problems
    assert page("16.1").title == "Créer l'appli « ville »"


@pytest.mark.parametrize("delimiter", [";", ","])
def test_either_delimiter_is_detected(project, delimiter):
    plan = import_file(
        csv_file([row(services_partenaires="Éducation, Relation usagers")], delimiter=delimiter)
    )
    assert plan.counts() == {Outcome.UNCHANGED: 1}


def test_headers_match_whatever_their_case_and_accents(project):
    header = [column.replace("_", " ").upper() for column in HEADER]
    header[header.index("ECHEANCE")] = "Échéance"
    content = csv_file([row(echeance="2027")], header=HEADER)
    content = content.replace(";".join(HEADER).encode(), ";".join(header).encode())
    import_file(content)
    assert page("16.1").due_date == datetime.date(2027, 12, 31)


def test_an_xlsx_with_numbers_and_dates_in_cells_imports(project):
    values = row(avancement=55, axe=2, ambition=16, debut=datetime.datetime(2025, 3, 1))
    plan = import_file(xlsx_file([values]), name="projets.xlsx")
    assert plan.is_valid, plan.problems
    assert (page("16.1").progress, page("16.1").start_date) == (55, datetime.date(2025, 3, 1))


# --- Export and round trips --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(project, relation_usagers, kind):
    ProjectPageFactory(
        parent=project.get_parent(),
        reference="16.2",
        title='=HYPERLINK("http://x")',
        summary="-10 % de délais, @agents, +vite",
        pilot_service=relation_usagers,
        start_date=datetime.date(2025, 1, 1),
    )
    before = cop_state()
    plan = import_file(export_file(kind), name=f"projets.{kind}")
    assert plan.counts() == {Outcome.UNCHANGED: 2}
    assert cop_state() == before


def test_formulas_are_neutralised_in_both_formats(project):
    project.title = "=1+1"
    project.summary = "@SOMME(A1)"
    project.save_revision().publish()
    exported = export_file("csv").decode("utf-8-sig")
    assert ";'=1+1;'@SOMME(A1);" in exported
    sheet = load_workbook(io.BytesIO(export_file("xlsx"))).active
    title = sheet.cell(row=2, column=HEADER.index("titre") + 1)
    assert (title.value, title.data_type) == ("'=1+1", "s")


def test_the_csv_export_opens_in_excel_with_its_accents(project):
    content = export_file("csv")
    assert content.startswith("\ufeff".encode())
    assert content.decode("utf-8-sig").splitlines()[0] == ";".join(HEADER)


def test_a_draft_is_never_exported(project, ambition, relation_usagers):
    draft = ProjectPageFactory(parent=ambition, reference="16.9", pilot_service=relation_usagers, live=False)
    project.title = "Titre du brouillon"
    project.save_revision()
    exported = export_file("csv").decode("utf-8-sig")
    assert draft.reference not in exported and "Titre du brouillon" not in exported
    assert "Créer l'application de la ville" in exported


# --- Refused files: every error, in French, and nothing written -------------------------------


def without(column):
    return [name for name in HEADER if name != column]


ERROR_CASES = {
    "missing column": (
        csv_file([row()], header=without("statut")),
        ["Colonne obligatoire absente : « Statut »."],
    ),
    "unknown status": (
        csv_file([row(statut="fini")]),
        [
            "Ligne 2, colonne « Statut », valeur « fini » : statut inconnu (statuts possibles : "
            "En projet, Engagé, Réalisé, Suspendu, Abandonné)."
        ],
    ),
    "unknown service": (
        csv_file([row(services_partenaires="Voirie")]),
        [
            "Ligne 2, colonne « Services partenaires », valeur « Voirie » : service inconnu (créez-le dans "
            "l'administration, ou importez avec --create-services)."
        ],
    ),
    "bad date": (
        csv_file([row(debut="31/02/2026")]),
        [
            "Ligne 2, colonne « Début », valeur « 31/02/2026 » : date illisible (formats acceptés : "
            "2026-03-31, 31/03/2026 ou 2026)."
        ],
    ),
    "due before start": (
        csv_file([row(debut="2026-06-01", echeance="01/01/2026")]),
        [
            "Ligne 2, colonne « Échéance », valeur « 01/01/2026 » : l'échéance précède la date de début "
            "(01/06/2026)."
        ],
    ),
    "progress out of range": (
        csv_file([row(avancement="120")]),
        ["Ligne 2, colonne « Avancement », valeur « 120 » : l'avancement va de 0 à 100."],
    ),
    "duplicate reference": (
        csv_file([row(), row(titre="Autre titre")]),
        ["Ligne 3, colonne « Référence » (ref), valeur « 16.1 » : référence déjà donnée à la ligne 2."],
    ),
    "ambition with two titles": (
        csv_file([row(), new_project_row(ambition_titre="Autre ambition")]),
        [
            "Ligne 3, colonne « Titre de l'ambition » (ambition_titre), valeur « Autre ambition » : "
            "l'ambition n° 16 a reçu "
            "« Simplifier l'accès numérique aux services de la ville » à la ligne 2."
        ],
    ),
    "ambition in two axes": (
        csv_file([row(), new_project_row(axe="3", axe_titre="Qualité de vie")]),
        ["Ligne 3, colonne « Axe », valeur « 3 » : l'ambition n° 16 a reçu « 2 » à la ligne 2."],
    ),
    "new ambition without title": (
        csv_file([new_project_row(ambition="20", ambition_titre="")]),
        [
            "Ligne 2, colonne « Ambition », valeur « 20 » : cette ambition n'existe pas encore : donnez son "
            "titre (colonne « Titre de l'ambition » (ambition_titre))."
        ],
    ),
    "empty file": (b"", ["Le fichier est vide : il faut une ligne d'en-têtes puis une ligne par projet."]),
    "header only": (
        csv_file([]),
        ["Le fichier ne contient aucun projet : seule la ligne d'en-têtes est remplie."],
    ),
    "xlsx that is not one": (
        b"ref;axe\n16.1;2\n",
        ["Le contenu de « projets.xlsx » n'est pas celui d'un fichier XLSX."],
    ),
}


@pytest.mark.parametrize("case", ERROR_CASES)
def test_a_bad_file_is_refused_with_a_french_message_and_writes_nothing(project, case):
    content, messages = ERROR_CASES[case]
    name = "projets.xlsx" if case == "xlsx that is not one" else "projets.csv"
    before = cop_state()
    plan = import_file(content, name=name)
    assert [str(problem) for problem in plan.problems] == messages
    assert cop_state() == before


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(project):
    plan = import_file(b"%PDF-1.7", name="projets.pdf")
    assert [str(problem) for problem in plan.problems] == [
        "« projets.pdf » n'est ni un fichier CSV (.csv) ni un classeur Excel (.xlsx)."
    ]


def test_every_bad_line_is_reported_and_the_good_ones_are_not_written(project):
    before = cop_state()
    rows = [new_project_row("16.2"), row(statut="fini"), new_project_row("16.3", avancement="-5")]
    plan = import_file(csv_file(rows))
    assert [problem.line for problem in plan.problems] == [3, 4]
    assert cop_state() == before


def test_a_file_over_the_size_limit_is_refused(project, admin_client, settings, tmp_path):
    settings.COP_IMPORT_MAX_BYTES = 100
    content = csv_file([row(titre="x" * 200)])
    before = cop_state()
    response = admin_client.post(IMPORT_URL, {"file": upload(content)})
    assert "un import est limité à" in response.content.decode()
    path = tmp_path / "projets.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="un import est limité à"):
        call_command("import_cop", str(path))
    assert cop_state() == before


# --- Command line ------------------------------------------------------------------------------


def test_the_command_imports_as_drafts_attributed_to_a_user(project, tmp_path):
    author = UserFactory(username="editeur")
    path = tmp_path / "projets.csv"
    path.write_bytes(csv_file([row(titre="Titre en brouillon")]))
    output = io.StringIO()
    call_command("import_cop", str(path), "--draft", "--user", "editeur", stdout=output)
    assert "Projets : 0\xa0créé, 1\xa0modifié, 0\xa0inchangé." in output.getvalue()
    assert page("16.1").title == "Créer l'application de la ville"
    latest = page("16.1").get_latest_revision()
    assert (latest.user, latest.content["title"]) == (author, "Titre en brouillon")


def test_the_command_dry_run_and_refusal_write_nothing(project, tmp_path):
    before = cop_state()
    path = tmp_path / "projets.csv"
    path.write_bytes(csv_file([row(titre="Autre titre")]))
    output = io.StringIO()
    call_command("import_cop", str(path), "--dry-run", stdout=output)
    assert "Essai à blanc : rien n'a été écrit." in output.getvalue()
    path.write_bytes(csv_file([row(statut="fini")]))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="Import refusé : 1\xa0erreur"):
        call_command("import_cop", str(path), stderr=errors)
    assert "Ligne 2, colonne « Statut »" in errors.getvalue()
    assert cop_state() == before


def test_the_command_reports_progress_on_long_files(home, relation_usagers, education):
    rows = [new_project_row(f"16.{index}") for index in range(1, 102)]
    plan = plan_import("projets.csv", csv_file(rows))
    progress = []
    apply_import(plan, write=progress.append)
    assert progress == ["100 / 101 lignes traitées"]


def test_export_command_writes_the_format_of_the_extension(project, tmp_path):
    call_command("export_cop", str(tmp_path / "cop.xlsx"), stdout=io.StringIO())
    sheet = load_workbook(tmp_path / "cop.xlsx").active
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet.cell(row=2, column=1).value == "16.1"


# --- In the admin and on the site --------------------------------------------------------------


def upload(content, name="projets.csv"):
    file = io.BytesIO(content)
    file.name = name
    return file


def member(username, group):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return user, client


def test_an_editor_previews_then_confirms_and_the_changes_go_to_the_moderators(project):
    ProjectPageFactory(
        parent=project.get_parent(),
        reference="16.2",
        title="Inchangé",
        summary="Un projet.",
        pilot_service=project.pilot_service,
    )
    editor, client = member("editeur", roles.EDITORS)
    rows = [row(statut="Réalisé"), new_project_row("16.3"), {**row(), **export_row("16.2")}]
    response = client.post(IMPORT_URL, {"file": upload(csv_file(rows))})
    html = response.content.decode()
    assert "Projets créés (1)" in html and "Projets modifiés (1)" in html and "Projets inchangés (1)" in html
    assert "<td>Statut</td><td>Engagé</td><td>Réalisé</td>" in html
    assert page("16.1").status == ProjectStatus.ENGAGE

    token = response.context["pending"]["token"]
    response = client.post(IMPORT_URL, {"confirm": "1", "token": token}, follow=True)
    assert "soumis à la validation des modérateurs" in response.content.decode()
    assert page("16.1").status == ProjectStatus.ENGAGE  # live until a moderator approves
    assert page("16.1").workflow_in_progress and page("16.3").workflow_in_progress
    assert not page("16.3").live


def test_the_preview_names_fields_by_their_labels_and_reads_headers_written_as_labels(project, education):
    header = ["ref", "Axe", "Ambition", "Titre", "Statut", "Service pilote", "Échéance", "Avancement"]
    values = ["16.1", "2", "16", project.title, "Engagé", "Éducation", "2027-06-30", "45"]
    content = "\n".join(";".join(line) for line in (header, values)).encode()
    _, client = member("editeur", roles.EDITORS)
    html = client.post(IMPORT_URL, {"file": upload(content)}).content.decode()
    assert "Projets modifiés (1)" in html
    for label in ("Service pilote", "Échéance", "Avancement"):
        assert f"<td>{label}</td>" in html
    preview = html[html.index('id="import-preview"') :]
    for column in ("service_pilote", "echeance", "avancement"):
        assert column not in preview


def test_an_editor_downloads_the_export_edits_three_rows_and_finds_three_new_revisions(project):
    for index in range(2, 6):
        ProjectPageFactory(parent=project.get_parent(), reference=f"16.{index}", summary="Un projet.")
    editor, client = member("editeur", roles.EDITORS)
    workbook = load_workbook(io.BytesIO(client.get(reverse("export_projects", args=["xlsx"])).content))
    sheet = workbook.active
    progress = HEADER.index("avancement") + 1
    for line in (2, 3, 4):
        sheet.cell(row=line, column=progress, value=77)
    edited = io.BytesIO()
    workbook.save(edited)
    revisions_before = Revision.objects.count()

    response = client.post(IMPORT_URL, {"file": upload(edited.getvalue(), "projets.xlsx")})
    changed = response.context["changed"]
    assert [project.row.reference for project in changed] == ["16.1", "16.2", "16.3"]
    assert len(response.context["unchanged"]) == 2 and not response.context["created"]
    client.post(IMPORT_URL, {"confirm": "1", "token": response.context["pending"]["token"]})
    assert Revision.objects.count() == revisions_before + 3


def export_row(reference):
    """The export's row for `reference`, as a dict of text."""
    reader = csv.DictReader(io.StringIO(export_file("csv").decode("utf-8-sig")), delimiter=";")
    return next(values for values in reader if values["ref"] == reference)


def test_an_administrators_import_publishes(project, admin_client):
    response = admin_client.post(IMPORT_URL, {"file": upload(csv_file([row(avancement="90")]))})
    admin_client.post(IMPORT_URL, {"confirm": "1", "token": response.context["pending"]["token"]})
    assert page("16.1").progress == 90


def test_a_refused_file_lists_its_errors_in_the_admin_and_cannot_be_confirmed(project, admin_client):
    response = admin_client.post(IMPORT_URL, {"file": upload(csv_file([row(statut="fini")]))})
    html = response.content.decode()
    assert "Fichier refusé : 1\xa0erreur à corriger" in html
    assert "Ligne 2, colonne « Statut », valeur « fini »" in html
    response = admin_client.post(IMPORT_URL, {"confirm": "1", "token": "x"}, follow=True)
    assert "chargez-le de nouveau" in response.content.decode()


def test_an_editor_cannot_import_over_a_change_in_moderation(project):
    editor, client = member("editeur", roles.EDITORS)
    project.save_revision(user=editor)
    project.get_workflow().start(project, editor)
    response = client.post(IMPORT_URL, {"file": upload(csv_file([row(avancement="90")]))})
    assert "ce projet attend déjà la validation des modérateurs" in response.content.decode()


def test_editors_find_the_import_in_the_admin_menu_and_moderators_only_the_export(project):
    _, editor = member("editeur", roles.EDITORS)
    _, moderator = member("moderateur", roles.MODERATORS)
    editor_home = editor.get(reverse("wagtailadmin_home")).content.decode()
    moderator_home = moderator.get(reverse("wagtailadmin_home")).content.decode()
    assert IMPORT_URL in editor_home and IMPORT_URL not in moderator_home
    assert "/export/projets.xlsx" in editor_home and "/export/projets.xlsx" in moderator_home
    page_html = editor.get(IMPORT_URL).content.decode()
    assert "Vérifier le tableau" in page_html and "soumis à la validation des modérateurs" in page_html


@pytest.mark.parametrize("group", [roles.AGENTS, roles.MODERATORS])
def test_agents_and_moderators_cannot_import(project, group):
    _, client = member("quelquun", group)
    response = client.post(IMPORT_URL, {"file": upload(csv_file([row(avancement="90")]))})
    assert response.status_code in (302, 403)
    assert page("16.1").progress == 40


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_export_is_for_signed_in_agents(agent_client, project, settings, kind):
    settings.COP_PUBLIC = True
    url = reverse("export_projects", args=[kind])
    assert Client().get(url).status_code == 302
    response = agent_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="cop-projets-')
    assert response.content.startswith("\ufeffref;".encode() if kind == "csv" else b"PK")
