"""Every project of the COP that the reader may read, in the import format (PRODUCT.md), and the
published values of the indicators that they may read, in the values' import format (README), as
CSV or XLSX."""

from axes.models import AmbitionPage, AxisPage, ProjectPage, ProjectStatus
from axes.readers import Reader
from axes.tree import AMBITION_PATH_LENGTH, AXIS_PATH_LENGTH, reference_sort_key
from indicators.models import Indicator

from .formats import write_csv, write_xlsx
from .rows import COLUMNS, continued_label
from .value_rows import VALUE_COLUMNS

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_rows(reader):
    """One dict per readable project, by axis, ambition and reference: a draft is never exported."""
    axes = {axis.path: axis for axis in AxisPage.objects.all()}
    ambitions = {ambition.path: ambition for ambition in AmbitionPage.objects.all()}
    projects = (
        reader.pages(ProjectPage.objects.all())
        .select_related("pilot_service", "continues")
        .prefetch_related("services")
    )
    rows = []
    for project in projects:
        ambition = ambitions.get(project.path[:AMBITION_PATH_LENGTH])
        axis = axes.get(project.path[:AXIS_PATH_LENGTH])
        if ambition is not None and axis is not None:
            rows.append(project_row(project, ambition, axis))
    return sorted(rows, key=lambda row: (row["axe"], row["ambition"], reference_sort_key(row["ref"])))


def project_row(project, ambition, axis):
    partners = sorted(service.name for service in project.partner_services)
    return {
        "ref": project.reference,
        "axe": axis.number,
        "axe_titre": axis.title,
        "ambition": ambition.number,
        "ambition_titre": ambition.title,
        "titre": project.title,
        "resume": project.summary,
        "statut": ProjectStatus(project.status).label,
        "service_pilote": project.pilot_service.name,
        "services_partenaires": ", ".join(partners),
        "debut": project.start_date.isoformat() if project.start_date else "",
        "echeance": project.due_date.isoformat() if project.due_date else "",
        "avancement": "" if project.progress is None else project.progress,
        "suite_de": continued_label(project.continues),
    }


def export_file(kind, reader=None):
    """The bytes of the export as `kind` ("csv" or "xlsx"), of what `reader` may read (by default,
    what every signed-in agent may)."""
    writer = write_xlsx if kind == "xlsx" else write_csv
    return writer(COLUMNS, export_rows(reader or Reader.of()))


def export_value_rows(reader):
    """One dict per published value of each indicator that the reader may read, by indicator and date:
    a value in moderation is in no published version, so never exported."""
    indicators = Indicator.objects.readable_by(reader).prefetch_related("values").order_by("slug")
    return [
        {"indicateur": indicator.slug, "date": value.date, "valeur": value.value.normalize()}
        for indicator in indicators
        for value in indicator.values.all()
    ]


def spreadsheet_decimal(value):
    """ "1234,5": the decimal comma that a French spreadsheet reads as a number, without grouping."""
    return f"{value:f}".replace(".", ",")


def export_values_file(kind, reader=None):
    """The bytes of the indicator values' export as `kind`: numbers and dates in a workbook, French
    decimals in a CSV."""
    rows = export_value_rows(reader or Reader.of())
    if kind == "xlsx":
        return write_xlsx(VALUE_COLUMNS, rows, sheet_title="Valeurs")
    return write_csv(VALUE_COLUMNS, [row | {"valeur": spreadsheet_decimal(row["valeur"])} for row in rows])
