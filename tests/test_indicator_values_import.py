"""Indicator values by spreadsheet (issue 18): the import's rules (all or nothing, French errors per
line, idempotent), its publication or submission, the export that imports back as a no-op."""

import datetime
import io
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from wagtail.models import Revision, WorkflowState

import pytest
from openpyxl import load_workbook

from editorial import roles
from indicators.models import Indicator, IndicatorValue
from spreadsheets.exporter import export_values_file
from spreadsheets.importer import Mode
from spreadsheets.value_importer import ValueOutcome, apply_value_import, plan_value_import

from .factories import IndicatorFactory, UserFactory
from .test_several_cops import make_cop
from .test_spreadsheets import csv_file, upload, xlsx_file

pytestmark = pytest.mark.django_db

HEADER = ["indicateur", "date", "valeur"]
IMPORT_URL = "/admin/indicateurs/importer/"
END_2023, END_2024, END_2025 = (
    datetime.date(2023, 12, 31),
    datetime.date(2024, 12, 31),
    datetime.date(2025, 12, 31),
)


@pytest.fixture
def demat(home):
    """The share of the city's procedures that can be done online: two published values."""
    return IndicatorFactory(
        name="Taux de dématérialisation des démarches",
        slug="taux-de-dematerialisation",
        values=[(END_2023, 20), (END_2024, Decimal("30.5"))],
    )


@pytest.fixture
def tonnage(home):
    return IndicatorFactory(name="Déchets collectés", slug="dechets-collectes", unit="tonnes")


def value(indicator="taux-de-dematerialisation", date="2025-12-31", valeur="42,5"):
    return {"indicateur": indicator, "date": date, "valeur": valeur}


def values_file(rows, header=HEADER, **options):
    return csv_file(rows, header=header, **options)


def import_values(content, name="valeurs.csv", user=None, mode=Mode.PUBLISH):
    plan = plan_value_import(name, content)
    if plan.is_valid:
        apply_value_import(plan, user, mode)
    return plan


def published(indicator):
    return {entry.date: entry.value for entry in Indicator.objects.get(pk=indicator.pk).values.all()}


def revisions_of(indicator):
    return Revision.objects.filter(base_content_type__model="indicator", object_id=str(indicator.pk)).count()


def values_state():
    """Everything a values import may write, to assert that a refused file wrote nothing."""
    return {
        "values": sorted(
            IndicatorValue.objects.values_list("indicator", "date", "value", "entered_by", "entered_at")
        ),
        "revisions": Revision.objects.count(),
        "workflows": WorkflowState.objects.count(),
    }


def member(username, group):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return user, client


# --- Good files ------------------------------------------------------------------------------------


def test_a_csv_adds_and_replaces_values_and_publishes_one_revision_per_indicator(demat, tonnage):
    importer = UserFactory(username="importeur")
    before = {demat.pk: revisions_of(demat), tonnage.pk: revisions_of(tonnage)}
    rows = [
        value(date="2025-12-31", valeur="42,5"),
        value(date="31/12/2024", valeur="31.25"),
        value(date="2023", valeur="20"),
        value(indicator="dechets-collectes", date="2025", valeur="1 234,5"),
    ]
    plan = import_values(values_file(rows), user=importer)

    assert plan.is_valid, plan.problems
    assert plan.summary_lines() == [
        "Valeurs : 2\xa0ajoutées, 1\xa0modifiée, 1\xa0inchangée.",
        "Indicateurs : 2\xa0modifiés, 0\xa0inchangé.",
    ]
    assert published(demat) == {END_2023: 20, END_2024: Decimal("31.25"), END_2025: Decimal("42.5")}
    assert published(tonnage) == {END_2025: Decimal("1234.5")}
    assert revisions_of(demat) == before[demat.pk] + 1 and revisions_of(tonnage) == before[tonnage.pk] + 1
    written = IndicatorValue.objects.get(indicator=demat, date=END_2025)
    assert written.entered_by == importer and written.entered_at is not None
    untouched = IndicatorValue.objects.get(indicator=demat, date=END_2023)
    assert (untouched.entered_by, untouched.entered_at) == (None, None)


def test_values_absent_from_the_file_are_kept(demat):
    import_values(values_file([value(date="2025", valeur="40")]))
    assert published(demat) == {END_2023: 20, END_2024: Decimal("30.5"), END_2025: 40}


def test_an_xlsx_with_numbers_and_dates_in_its_cells_imports(demat):
    rows = [value(date=datetime.datetime(2025, 12, 31), valeur=42.5), value(date="2024", valeur=30.5)]
    plan = import_values(xlsx_file(rows, header=HEADER), name="valeurs.xlsx")
    assert plan.is_valid, plan.problems
    assert plan.summary_lines()[0] == "Valeurs : 1\xa0ajoutée, 0\xa0modifiée, 1\xa0inchangée."
    assert published(demat)[END_2025] == Decimal("42.5")


def test_headers_and_identifiers_match_whatever_their_case_and_accents(demat):
    content = values_file([value(indicator="Taux-De-Dématérialisation", date="2025")])
    content = content.replace(b"indicateur;date;valeur", b"Indicateur;DATE;Valeur")
    assert import_values(content).is_valid
    assert published(demat)[END_2025] == Decimal("42.5")


def test_either_delimiter_and_a_windows_encoding_are_read(demat):
    assert import_values(values_file([value()], delimiter=",", encoding="cp1252")).is_valid
    assert published(demat)[END_2025] == Decimal("42.5")


# --- Bad files: each line's problem, in French, and nothing written -----------------------------------


ERROR_CASES = {
    "unknown indicator": (
        [value(indicator="taux-inconnu")],
        [
            "Ligne 2, colonne « Indicateur », valeur « taux-inconnu » : aucun indicateur du COP en cours n'a "
            "cet identifiant (celui de son adresse /indicateurs/<identifiant>/, que l'export écrit)."
        ],
    ),
    "bad date": (
        [value(date="31/02/2025")],
        [
            "Ligne 2, colonne « Date », valeur « 31/02/2025 » : date illisible (formats acceptés : "
            "2026-03-31, 31/03/2026 ou 2026)."
        ],
    ),
    "missing date": (
        [value(date="")],
        ["Ligne 2, colonne « Date », valeur «  » : valeur obligatoire manquante."],
    ),
    "bad number": (
        [value(valeur="12 %")],
        [
            "Ligne 2, colonne « Valeur », valeur « 12 % » : nombre illisible (écrivez par exemple 12,5, "
            "12.5 ou 1 234,5)."
        ],
    ),
    "two decimal separators": (
        [value(valeur="1.234,5")],
        [
            "Ligne 2, colonne « Valeur », valeur « 1.234,5 » : nombre illisible (écrivez par exemple 12,5, "
            "12.5 ou 1 234,5)."
        ],
    ),
    "too many decimals": (
        [value(valeur="12,34567")],
        ["Ligne 2, colonne « Valeur », valeur « 12,34567 » : 4 décimales au plus (ici 5)."],
    ),
    "duplicate date": (
        [value(date="2025-12-31"), value(date="31/12/2025", valeur="43")],
        [
            "Ligne 3, colonne « Date », valeur « 31/12/2025 » : une valeur de cet indicateur à cette date "
            "est déjà donnée à la ligne 2."
        ],
    ),
    "wrong header": (
        [{"indicator": "taux-de-dematerialisation", "date": "2025", "valeur": "4"}],
        ["Colonne obligatoire absente : « Indicateur »."],
    ),
    "header only": ([], ["Le fichier ne contient aucune valeur : seule la ligne d'en-têtes est remplie."]),
}


@pytest.mark.parametrize("case", ERROR_CASES)
def test_a_bad_file_is_refused_line_by_line_in_french_and_writes_nothing(demat, case):
    rows, messages = ERROR_CASES[case]
    header = ["indicator", "date", "valeur"] if case == "wrong header" else HEADER
    before = values_state()
    plan = import_values(values_file(rows, header=header))
    assert [str(problem) for problem in plan.problems] == messages
    assert values_state() == before


def test_an_empty_file_is_refused(demat):
    plan = import_values(b"")
    assert [str(problem) for problem in plan.problems] == [
        "Le fichier est vide : il faut une ligne d'en-têtes puis une ligne par valeur."
    ]


def test_one_bad_line_refuses_the_good_ones_too(demat):
    before = values_state()
    rows = [value(date="2025"), value(date="2026", valeur="beaucoup"), value(indicator="inconnu")]
    plan = import_values(values_file(rows))
    assert [problem.line for problem in plan.problems] == [3, 4]
    assert values_state() == before


def test_a_file_too_large_or_too_long_is_refused(demat, settings, tmp_path):
    settings.COP_IMPORT_MAX_ROWS = 2
    rows = [value(date=str(year)) for year in (2025, 2026, 2027)]
    assert [str(problem) for problem in import_values(values_file(rows)).problems] == [
        "Le fichier compte plus de 2 lignes sous les en-têtes : un import en lit 2 au plus. "
        "Découpez le fichier, ou supprimez les lignes vides sous le tableau."
    ]
    settings.COP_IMPORT_MAX_BYTES = 20
    path = tmp_path / "valeurs.csv"
    path.write_bytes(values_file(rows[:1]))
    before = values_state()
    with pytest.raises(CommandError, match="un import est limité à"):
        call_command("import_indicator_values", str(path))
    _, client = member("moderateur", roles.MODERATORS)
    assert (
        "un import est limité à"
        in client.post(IMPORT_URL, {"file": upload(path.read_bytes())}).content.decode()
    )
    assert values_state() == before


def test_only_the_current_cops_indicators_are_read(demat):
    other_cop = make_cop("COP 2014–2020", "2014-2020", archived=True)
    IndicatorFactory(cop=other_cop, name="Pistes cyclables", slug="pistes-cyclables")
    plan = import_values(values_file([value(indicator="pistes-cyclables")]))
    assert [problem.column for problem in plan.problems] == ["indicateur"]


# --- Idempotence and round trips ------------------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing_the_second_time(demat):
    content = values_file([value(date="2025"), value(date="2024", valeur="31")])
    import_values(content)
    before = values_state()
    plan = import_values(content)
    assert {entry.outcome for indicator in plan.indicators for entry in indicator.values} == {
        ValueOutcome.UNCHANGED
    }
    assert values_state() == before


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(demat, tonnage, kind):
    IndicatorValue.objects.create(indicator=tonnage, date=END_2024, value=Decimal("-3.25"))
    IndicatorValue.objects.create(indicator=tonnage, date=END_2025, value=Decimal("12345678.1234"))
    before = values_state()
    plan = import_values(export_values_file(kind), name=f"valeurs.{kind}")
    assert plan.is_valid, plan.problems
    assert len(plan.by_outcome(ValueOutcome.UNCHANGED)) == 4
    assert values_state() == before


def test_the_csv_export_writes_french_decimals_in_the_import_format(demat, tonnage):
    IndicatorValue.objects.create(indicator=tonnage, date=END_2024, value=Decimal("-3.25"))
    lines = export_values_file("csv").decode("utf-8-sig").splitlines()
    assert lines == [
        "indicateur;date;valeur",
        # A negative number runs nothing in a spreadsheet: it is not neutralised as a formula would be.
        "dechets-collectes;2024-12-31;-3,25",
        "taux-de-dematerialisation;2023-12-31;20",
        "taux-de-dematerialisation;2024-12-31;30,5",
    ]


def test_each_cop_exports_its_own_indicators(agent_client, demat):
    other_cop = make_cop("COP 2014–2020", "2014-2020", start_year=2014, end_year=2020, archived=True)
    IndicatorFactory(cop=other_cop, name="Pistes cyclables", slug="pistes-cyclables", values=[(END_2023, 5)])
    current = agent_client.get("/export/indicateurs.csv").content.decode("utf-8-sig")
    other = agent_client.get("/cops/2014-2020/export/indicateurs.csv").content.decode("utf-8-sig")
    assert "taux-de-dematerialisation" in current and "pistes-cyclables" not in current
    assert "pistes-cyclables;2023-12-31;5" in other and "taux-de-dematerialisation" not in other


def test_the_xlsx_export_holds_numbers_and_dates(demat):
    sheet = load_workbook(io.BytesIO(export_values_file("xlsx"))).active
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet.cell(row=3, column=2).value == datetime.datetime(2024, 12, 31)
    assert sheet.cell(row=3, column=3).value == 30.5


def test_a_value_in_moderation_is_never_exported(demat, moderator):
    draft = Indicator.objects.get(pk=demat.pk)
    draft.values.add(IndicatorValue(date=END_2025, value=99))
    draft.save_revision(user=moderator)
    assert "99" not in export_values_file("csv").decode("utf-8-sig")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_export_is_for_signed_in_agents(agent_client, demat, settings, kind):
    settings.COP_PUBLIC = True
    url = reverse("export_indicator_values", args=[kind])
    assert url == f"/export/indicateurs.{kind}"
    assert Client().get(url).status_code == 302
    response = agent_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="cop-indicateurs-')
    assert response.content.startswith("\ufeffindicateur;".encode() if kind == "csv" else b"PK")


# --- Drafts and moderation ----------------------------------------------------------------------------


def test_an_indicator_in_moderation_or_with_a_draft_refuses_a_changing_row(demat, moderator):
    draft = Indicator.objects.get(pk=demat.pk)
    draft.save_revision(user=moderator)
    assert [str(problem) for problem in import_values(values_file([value()])).problems] == [
        "Ligne 2, colonne « Indicateur », valeur « taux-de-dematerialisation » : cet indicateur a un "
        "brouillon non publié, que l'import ferait disparaître : faites-le valider ou abandonnez-le d'abord."
    ]
    draft.get_workflow().start(draft, moderator)
    before = values_state()
    [problem] = import_values(values_file([value()])).problems
    assert "cet indicateur attend déjà la validation des modérateurs" in str(problem)
    assert values_state() == before
    assert import_values(values_file([value(date="2024", valeur="30,5")])).is_valid


def test_skipping_drafts_leaves_an_unapproved_indicator_alone_and_imports_the_others(
    demat, tonnage, moderator
):
    draft = Indicator.objects.get(pk=demat.pk)
    draft.save_revision(user=moderator)
    draft_revision = draft.latest_revision
    rows = [value(), value(indicator="dechets-collectes", valeur="1200")]

    plan = plan_value_import("valeurs.csv", values_file(rows), skip_drafts=True)
    assert plan.is_valid
    assert plan.summary_lines() == [
        "Valeurs : 1\xa0ajoutée, 0\xa0modifiée, 0\xa0inchangée.",
        "Indicateurs : 1\xa0modifié, 0\xa0inchangé, 1\xa0laissé de côté.",
    ]
    assert plan.skipped_lines() == [
        "Laissé de côté : taux-de-dematerialisation (brouillon non publié) ; "
        "non importé : 42,5 au 31\xa0décembre 2025"
    ]
    apply_value_import(plan)
    assert published(tonnage) == {END_2025: 1200}
    assert published(demat) == {END_2023: 20, END_2024: Decimal("30.5")}
    assert Indicator.objects.get(pk=demat.pk).latest_revision == draft_revision


def test_the_admin_offers_to_skip_drafts_and_lists_what_it_leaves(demat, tonnage, moderator):
    Indicator.objects.get(pk=demat.pk).save_revision(user=moderator)
    _, client = member("moderateur", roles.MODERATORS)
    rows = [value(), value(indicator="dechets-collectes", valeur="1200")]

    refused = client.post(IMPORT_URL, {"file": upload(values_file(rows))}).content.decode()
    assert "Laisser de côté les indicateurs qui ont un brouillon" in refused
    assert "cet indicateur a un brouillon non publié" in refused

    response = client.post(IMPORT_URL, {"file": upload(values_file(rows)), "skip_drafts": "on"})
    html = response.content.decode()
    assert "Indicateurs laissés de côté (1)" in html
    assert "<td>brouillon non publié</td>" in html and "<td>42,5 au 31\xa0décembre 2025</td>" in html
    client.post(IMPORT_URL, {"confirm": "1", "token": response.context["pending"]["token"]})
    assert published(tonnage) == {END_2025: 1200}
    assert END_2025 not in published(demat)


def test_the_command_skips_drafts_when_asked(demat, moderator, tmp_path):
    Indicator.objects.get(pk=demat.pk).save_revision(user=moderator)
    path = tmp_path / "valeurs.csv"
    path.write_bytes(values_file([value()]))
    with pytest.raises(CommandError, match="Import refusé"):
        call_command("import_indicator_values", str(path), stderr=io.StringIO())
    output = io.StringIO()
    call_command("import_indicator_values", str(path), "--skip-drafts", stdout=output)
    assert "Laissé de côté : taux-de-dematerialisation (brouillon non publié)" in output.getvalue()
    assert END_2025 not in published(demat)


def test_an_editors_import_is_submitted_to_the_moderators_not_published(demat):
    editor, client = member("editeur", roles.EDITORS)
    response = client.post(
        IMPORT_URL, {"file": upload(values_file([value(), value(date="2024", valeur="31")]))}
    )
    html = response.content.decode()
    assert "Indicateurs modifiés (1)" in html and "soumis à la validation des modérateurs" in html
    assert "<td>31\xa0décembre 2024</td><td>30,5</td><td>31</td>" in html

    response = client.post(
        IMPORT_URL, {"confirm": "1", "token": response.context["pending"]["token"]}, follow=True
    )
    assert "soumises à la validation des modérateurs" in response.content.decode()
    assert published(demat) == {END_2023: 20, END_2024: Decimal("30.5")}
    state = WorkflowState.objects.get(status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.requested_by == editor
    revision = state.current_task_state.revision
    assert {entry["date"]: entry["value"] for entry in revision.content["values"]}["2025-12-31"] == "42.5000"

    moderator, _ = member("moderateur", roles.MODERATORS)
    state.current_task_state.task.specific.on_action(state.current_task_state, moderator, "approve")
    assert published(demat)[END_2025] == Decimal("42.5")
    assert IndicatorValue.objects.get(indicator=demat, date=END_2025).entered_by == editor


def test_a_moderators_import_publishes(demat):
    _, client = member("moderateur", roles.MODERATORS)
    response = client.post(IMPORT_URL, {"file": upload(values_file([value()]))})
    client.post(IMPORT_URL, {"confirm": "1", "token": response.context["pending"]["token"]})
    assert published(demat)[END_2025] == Decimal("42.5")
    assert not WorkflowState.objects.exists()


def test_a_refused_file_lists_its_lines_in_the_admin(demat):
    _, client = member("editeur", roles.EDITORS)
    html = client.post(IMPORT_URL, {"file": upload(values_file([value(valeur="x")]))}).content.decode()
    assert "Fichier refusé : 1\xa0erreur à corriger" in html
    assert "Ligne 2, colonne « Valeur », valeur « x »" in html
    assert "Confirmer l'import" not in html


def test_editors_and_moderators_find_the_import_in_the_admin_menu_agents_cannot_import(demat):
    for group in (roles.EDITORS, roles.MODERATORS):
        _, client = member(f"membre-{group}", group)
        assert IMPORT_URL in client.get(reverse("wagtailadmin_home")).content.decode()
    _, agent = member("agent-du-cop", roles.AGENTS)
    assert agent.post(IMPORT_URL, {"file": upload(values_file([value()]))}).status_code in (302, 403)
    assert END_2025 not in published(demat)


def test_an_archived_current_cop_refuses_the_import_in_french(demat, home, tmp_path):
    home.archived, home.start_year, home.end_year = True, 2020, 2026
    home.save_revision().publish()
    _, client = member("moderateur", roles.MODERATORS)
    answer = client.get(IMPORT_URL, follow=True).content.decode()
    assert "COP archivé (2020–2026) : ce COP ne se modifie plus." in answer
    path = tmp_path / "valeurs.csv"
    path.write_bytes(values_file([value()]))
    with pytest.raises(CommandError, match="Import refusé"):
        call_command("import_indicator_values", str(path), stderr=io.StringIO())


# --- The command ------------------------------------------------------------------------------------


def test_the_command_previews_then_publishes_with_progress(home, tmp_path):
    indicators = [IndicatorFactory(slug=f"indicateur-{number}") for number in range(11)]
    path = tmp_path / "valeurs.csv"
    path.write_bytes(values_file([value(indicator=indicator.slug) for indicator in indicators]))
    output = io.StringIO()
    call_command("import_indicator_values", str(path), "--dry-run", stdout=output)
    assert output.getvalue().splitlines() == [
        "Valeurs : 11\xa0ajoutées, 0\xa0modifiée, 0\xa0inchangée.",
        "Indicateurs : 11\xa0modifiés, 0\xa0inchangé.",
        "Essai à blanc : rien n'a été écrit.",
    ]
    assert not IndicatorValue.objects.exists()

    UserFactory(username="statisticienne")
    output = io.StringIO()
    call_command("import_indicator_values", str(path), "--user", "statisticienne", stdout=output)
    assert output.getvalue().splitlines()[0] == "10 / 11 indicateurs écrits"
    assert IndicatorValue.objects.filter(entered_by__username="statisticienne").count() == 11


def test_the_command_refuses_a_bad_file_line_by_line(demat, tmp_path):
    path = tmp_path / "valeurs.csv"
    path.write_bytes(values_file([value(valeur="beaucoup")]))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="Import refusé : 1\xa0erreur, rien n'a été écrit."):
        call_command("import_indicator_values", str(path), stderr=errors)
    assert "Ligne 2, colonne « Valeur », valeur « beaucoup »" in errors.getvalue()
