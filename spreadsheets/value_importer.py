"""The indicators' values from a spreadsheet, by indicator and date, all or nothing.

`plan_value_import` reads and checks the whole file against the current COP's indicators and says
which values would be added, changed and left alone, without writing; `apply_value_import` writes a
plan in one transaction. A value at a date that the indicator has replaces it; a value that the file
does not give is kept. Values are compared with the published version, which is what the export
writes, so an export imports back as a no-op; an indicator whose values change gets exactly one new
revision, built on its published version, and an unchanged one none.

As with the projects (`importer.py`), an indicator with a draft or a validation in progress is never
written: a row that would change it refuses the file, unless the import leaves such indicators alone
(`skip_drafts`). Whoever may publish indicators, and the
command line, publish at once; an editor's import is submitted to the COP's workflow.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from wagtail.models import WorkflowState

from axes.cops import current_cop
from indicators.models import Indicator
from indicators.progress import decimal_number
from indicators.values import put_value
from utils.text import normalise_name
from utils.typography import count, day

from .formats import FileError, read_rows
from .importer import Mode, PendingState, Verdict, pending_state
from .rows import Problem, missing_columns
from .value_rows import VALUE_COLUMNS, VALUES, ValueRow, read_value_rows

PROGRESS_EVERY = 10
PUBLISH_PERMISSION = "indicators.publish_indicator"
NO_CURRENT_COP = "Aucun COP n'est en cours : un administrateur le choisit dans Paramètres › COP en cours."
UNKNOWN_INDICATOR = (
    "aucun indicateur du COP en cours n'a cet identifiant (celui de son adresse /indicateurs/<identifiant>/, "
    "que l'export écrit)"
)
IN_REVIEW = (
    "cet indicateur attend déjà la validation des modérateurs et l'import passerait par-dessus : "
    "attendez leur décision, puis importez de nouveau le fichier"
)
HAS_DRAFT = (
    "cet indicateur a un brouillon non publié, que l'import ferait disparaître : faites-le valider "
    "ou abandonnez-le d'abord"
)


class ValueOutcome(StrEnum):
    ADDED = "ajoutée"
    CHANGED = "modifiée"
    UNCHANGED = "inchangée"


@dataclass
class ValuePlan:
    """What a row does to its indicator's published value at its date."""

    row: ValueRow
    before: object  # the published value at that date, or None
    outcome: ValueOutcome

    @property
    def before_label(self):
        return decimal_number(self.before) or "—"

    @property
    def after_label(self):
        return decimal_number(self.row.value)


@dataclass
class IndicatorPlan:
    indicator: Indicator
    values: list[ValuePlan]
    pending: PendingState | None = None
    skipped: bool = False  # an unapproved change, which the import leaves alone with its rows

    @property
    def changes(self):
        return [value for value in self.values if value.outcome != ValueOutcome.UNCHANGED]

    def problems(self):
        """An indicator with an unapproved change refuses the file at its first changing row."""
        if self.pending is None or not self.changes or self.skipped:
            return []
        row = self.changes[0].row
        reason = IN_REVIEW if self.pending == PendingState.MODERATION else HAS_DRAFT
        return [Problem(reason, row.line, "indicateur", row.indicator)]


@dataclass
class ValueImportPlan(Verdict):
    indicators: list[IndicatorPlan] = field(default_factory=list)

    @property
    def changed(self):
        return [indicator for indicator in self.indicators if indicator.changes and not indicator.skipped]

    @property
    def unchanged(self):
        return [indicator for indicator in self.indicators if not indicator.changes]

    @property
    def skipped(self):
        return [indicator for indicator in self.indicators if indicator.skipped]

    def by_outcome(self, outcome):
        values = (
            value for indicator in self.indicators if not indicator.skipped for value in indicator.values
        )
        return [value for value in values if value.outcome == outcome]

    def summary_lines(self):
        values = ", ".join(count(len(self.by_outcome(outcome)), outcome.value) for outcome in ValueOutcome)
        indicators = f"{count(len(self.changed), 'modifié')}, {count(len(self.unchanged), 'inchangé')}"
        if self.skipped:
            indicators += f", {count(len(self.skipped), 'laissé')} de côté"
        return [f"Valeurs : {values}.", f"Indicateurs : {indicators}."]

    def skipped_lines(self):
        return [
            f"Laissé de côté : {plan.indicator.slug} ({plan.pending}) ; non importé : "
            + ", ".join(f"{value.after_label} au {day(value.row.date)}" for value in plan.changes)
            for plan in self.skipped
        ]


def plan_value_import(name, content, skip_drafts=False):
    """What importing the file would do to the current COP's indicators, or every Problem that stops
    it; writes nothing. With `skip_drafts`, the rows of indicators with a draft or a validation in
    progress are left alone instead of refusing the file."""
    plan = ValueImportPlan()
    cop = current_cop()
    if cop is None or cop.archived:
        return plan.with_problems([Problem(NO_CURRENT_COP if cop is None else cop.read_only_message)])
    try:
        columns, raw_rows = read_rows(name, content, VALUES)
    except FileError as error:
        return plan.with_problems([Problem(str(error))])
    if problems := missing_columns(columns, VALUE_COLUMNS):
        return plan.with_problems(problems)
    rows, problems = read_value_rows(raw_rows)
    lines_with_problems = {problem.line for problem in problems}
    indicators = indicators_by_key(cop)
    rows_by_indicator = {}
    for row in rows:
        if row.line in lines_with_problems:
            continue
        indicator = indicators.get(row.indicator_key)
        if indicator is None:
            problems.append(Problem(UNKNOWN_INDICATOR, row.line, "indicateur", row.indicator))
        else:
            rows_by_indicator.setdefault(indicator.pk, (indicator, []))[1].append(row)
    for indicator, indicator_rows in rows_by_indicator.values():
        indicator_plan = plan_indicator(indicator, indicator_rows, skip_drafts)
        problems += indicator_plan.problems()
        plan.indicators.append(indicator_plan)
    return plan.with_problems(sorted(problems, key=lambda problem: problem.line or 0))


def indicators_by_key(cop):
    """The COP's indicators by their normalised identifier, with their published values and the
    workflow in progress, in three queries."""
    states = WorkflowState.objects.active().select_related("current_task_state__task")
    indicators = Indicator.objects.filter(cop=cop).prefetch_related(
        "values", Prefetch("workflow_states", queryset=states, to_attr="_current_workflow_states")
    )
    return {normalise_name(indicator.slug): indicator for indicator in indicators}


def plan_indicator(indicator, rows, skip_drafts):
    """Left alone (`skipped`) when asked, if it has an unapproved change that the rows would change."""
    published = {value.date: value.value for value in indicator.values.all()}
    values = [ValuePlan(row, published.get(row.date), outcome(published, row)) for row in rows]
    pending = pending_state(indicator)
    changes = any(value.outcome != ValueOutcome.UNCHANGED for value in values)
    return IndicatorPlan(indicator, values, pending, skipped=skip_drafts and pending is not None and changes)


def outcome(published, row):
    if row.date not in published:
        return ValueOutcome.ADDED
    return ValueOutcome.UNCHANGED if published[row.date] == row.value else ValueOutcome.CHANGED


def value_import_mode(user):
    """Whoever may publish indicators publishes; an editor's values go to the moderators."""
    return Mode.PUBLISH if user is None or user.has_perm(PUBLISH_PERMISSION) else Mode.SUBMIT


def apply_value_import(plan, user=None, mode=Mode.PUBLISH, write=None):
    """Writes a valid plan as `user` (None: the command line's operator): one revision per changed
    indicator, published or submitted to the workflow; `write` is told the progress."""
    if not plan.is_valid:
        raise ValueError("Un import refusé ne s'applique pas.")
    changed, now = plan.changed, timezone.now()
    with transaction.atomic():
        for done, indicator_plan in enumerate(changed, start=1):
            write_indicator(indicator_plan, user, mode, now)
            if write and done % PROGRESS_EVERY == 0:
                write(f"{done} / {len(changed)} indicateurs écrits")


def write_indicator(indicator_plan, user, mode, now):
    # The published version, afresh: the plan's copy holds prefetched rows, not a cluster to save.
    indicator = Indicator.objects.get(pk=indicator_plan.indicator.pk)
    for value in indicator_plan.changes:
        put_value(indicator, value.row.date, value.row.value, user, now)
    revision = indicator.save_revision(user=user)
    if mode == Mode.PUBLISH:
        # Decided by `value_import_mode`: the user may publish indicators, or is the command's operator.
        revision.publish(user=user, skip_permission_checks=True)
    elif (workflow := indicator.get_workflow()) is not None:
        workflow.start(indicator, user)
