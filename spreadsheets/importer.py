"""Upsert of the COP's projects from a spreadsheet, by reference, all or nothing.

`plan_import` reads and checks the whole file against the COP and says what would be created,
changed and left alone, without writing; `apply_import` writes a plan in one transaction. A changed
project gets exactly one new revision (a move to another ambition is a move, logged by Wagtail, not a
revision); an unchanged one gets none. Values are compared with the live version, which is what the
export writes, so that an export imports back as a no-op, and a revision is written over the live
version, never over a draft: nothing that a moderator did not approve is published.

A project with a draft or a validation in progress is never written: its changed row refuses the
file, unless the import leaves such projects alone (`skip_drafts`). Only an import that publishes
moves a published project to another ambition.
"""

from collections import Counter, defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils.text import slugify

from wagtail.actions.move_page import MovePageAction
from wagtail.coreutils import find_available_slug
from wagtail.models import Page, Revision, WorkflowState
from wagtail.signal_handlers import disable_reference_index_auto_update

from axes.addresses import free_slug
from axes.cops import cops, current_cop
from axes.models import AmbitionPage, AxisPage, ProjectPage, ProjectStatus, Service
from axes.tree import AMBITION_PATH_LENGTH, AXIS_PATH_LENGTH
from utils.search_index import deferred_search_index
from utils.text import normalise_name, thousands
from utils.typography import count

from .formats import FileError, read_rows
from .rows import (
    COLUMN_LABELS,
    Problem,
    ProjectRow,
    column_name,
    continued_label,
    due_before_start,
    missing_columns,
    read_project_rows,
)

PROGRESS_EVERY = 100
MAX_PROBLEMS_LISTED = 100
AMBITION_LABEL = COLUMN_LABELS["ambition"]
# Pilot and partners, compared as one set of names.
SERVICES_LABEL = "Services"
# Columns that leave the project's value alone when the file does not have them: (column, field).
OPTIONAL_FIELDS = [("debut", "start_date"), ("echeance", "due_date"), ("avancement", "progress")]
SKIP_HINT = (
    "ou laissez-le de côté (case « Laisser de côté les projets qui ont un brouillon ou une validation "
    "en cours », option --skip-drafts de import_cop)"
)
IN_REVIEW = (
    "ce projet attend déjà la validation des modérateurs et l'import passerait par-dessus : attendez "
    f"leur décision, {SKIP_HINT}"
)
HAS_DRAFT = (
    "ce projet a un brouillon non publié, que l'import ferait disparaître : faites-le valider ou "
    f"abandonnez-le d'abord, {SKIP_HINT}"
)
CLAIMED_BY_DRAFT = (
    "cette référence est celle que donne au projet {reference} son {state} : le créer en ferait deux ; "
    f"attendez que ce changement soit validé ou abandonné, {SKIP_HINT}"
)
MOVE_REFUSED = (
    "{this} est {published} dans {ambition} : seul un modérateur peut le déplacer, dans "
    "l'administration ou par un import qui publie ; remettez {current} et demandez-lui ce déplacement"
)


class Mode(StrEnum):
    PUBLISH = "publish"  # whoever may publish on the COP, and the command line: published at once
    SUBMIT = "submit"  # an editor's: drafts submitted to the COP's workflow
    DRAFT = "draft"  # drafts only (`import_cop --draft`)


class Outcome(StrEnum):
    CREATED = "créé"
    CHANGED = "modifié"
    UNCHANGED = "inchangé"
    SKIPPED = "laissé de côté"


class PendingState(StrEnum):
    MODERATION = "validation en cours"
    DRAFT = "brouillon non publié"


@dataclass(frozen=True)
class PendingChange:
    """A change of `page` that no moderator has approved yet, and that an import must not overtake."""

    page: ProjectPage
    state: PendingState
    # True when the row's reference is not the page's, but the one its draft gives it.
    claimed: bool = False

    def __str__(self):
        if self.claimed:
            return f"{self.state} du projet {self.page.reference}, qui lui donne cette référence"
        return str(self.state)

    def problem(self, row):
        if self.claimed:
            reason = CLAIMED_BY_DRAFT.format(reference=self.page.reference, state=self.state)
        else:
            reason = IN_REVIEW if self.state == PendingState.MODERATION else HAS_DRAFT
        return Problem(reason, row.line, "ref", row.reference)


@dataclass
class ProjectPlan:
    row: ProjectRow
    page: ProjectPage | None
    outcome: Outcome
    # (field label, value before, value after), in French, for the preview.
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    moves: bool = False
    service_names: list[str] = field(default_factory=list)
    pending: PendingChange | None = None

    @property
    def needs_revision(self):
        """A move alone is not a revision: Wagtail moves the page and logs it."""
        return any(label != AMBITION_LABEL for label, _, _ in self.changes)


@dataclass
class Verdict:
    """Whether an import is refused, and why (the plans of the projects' and the indicator values')."""

    # The first MAX_PROBLEMS_LISTED, then how many more; `problem_count` counts them all.
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    @property
    def is_valid(self):
        return not self.problems

    def with_problems(self, problems):
        """The plan with the `problems` that refuse it, if any: a file with thousands of bad lines gets the
        first ones, which say what is wrong, and a count."""
        self.problem_count = len(problems)
        self.problems = problems[:MAX_PROBLEMS_LISTED]
        if (more := len(problems) - MAX_PROBLEMS_LISTED) > 0:
            self.problems.append(Problem(f"… et {thousands(more)} autres problèmes."))
        return self


@dataclass
class ImportPlan(Verdict):
    projects: list[ProjectPlan] = field(default_factory=list)
    new_axes: dict[int, str] = field(default_factory=dict)
    new_ambitions: dict[int, tuple[int, str]] = field(default_factory=dict)
    new_services: list[str] = field(default_factory=list)
    # {(COP slug or "", reference): project of another COP} for the rows' "Suite de" column.
    earlier: dict = field(default_factory=dict)

    def by_outcome(self, outcome):
        return [project for project in self.projects if project.outcome == outcome]

    def counts(self):
        return Counter(project.outcome for project in self.projects)

    def counts_per_axis(self):
        per_axis = defaultdict(Counter)
        for project in self.projects:
            per_axis[project.row.axis_number][project.outcome] += 1
        return dict(sorted(per_axis.items()))

    def summary_lines(self):
        """What the import did, in the words of the COP it writes to."""
        counts, terms = self.counts(), current_cop().terms
        project = terms.project
        lines = [outcome_sentence(counts, project.title_plural, project)]
        lines += [
            outcome_sentence(c, f"  {terms.axis.named(number)}", project)
            for number, c in self.counts_per_axis().items()
        ]
        if self.new_axes or self.new_ambitions or self.new_services:
            new = [
                terms.axis.count(len(self.new_axes)),
                terms.ambition.count(len(self.new_ambitions)),
                count(len(self.new_services), "service"),
            ]
            lines.append(f"Nouveaux : {', '.join(new)}.")
        return lines

    def skipped_lines(self):
        return [skipped_line(project) for project in self.by_outcome(Outcome.SKIPPED)]


def skipped_line(project_plan):
    line = f"Laissé de côté : {project_plan.row.reference} ({project_plan.pending})"
    if project_plan.changes:
        line += " ; non importé : " + ", ".join(label for label, _, _ in project_plan.changes)
    return line


def outcome_sentence(counts, label, level):
    def counted(outcome, participle):
        return count(counts[outcome], level.agreed(participle))

    skipped = f", {counted(Outcome.SKIPPED, 'laissé')} de côté" if counts[Outcome.SKIPPED] else ""
    return (
        f"{label} : {counted(Outcome.CREATED, 'créé')}, {counted(Outcome.CHANGED, 'modifié')}, "
        f"{counted(Outcome.UNCHANGED, 'inchangé')}{skipped}."
    )


class CopState:
    """The COP as it stands, read in a few queries: what the rows are compared with.

    A project is known by its page row's reference, which for a published page is the live one; a
    reference that only a draft gives is kept apart, in `claimed_references`.
    """

    def __init__(self, references, continued=()):
        self.terms = current_cop().terms
        self.services = Service.objects.by_name()
        self.earlier = earlier_projects(continued)
        self.axes = {axis.number: axis for axis in in_current_cop(AxisPage)}
        axis_numbers = {axis.path: number for number, axis in self.axes.items()}
        self.ambitions = {ambition.number: ambition for ambition in in_current_cop(AmbitionPage)}
        self.ambition_axis = {
            number: axis_numbers.get(ambition.path[:AXIS_PATH_LENGTH])
            for number, ambition in self.ambitions.items()
        }
        ambition_numbers = {ambition.path: number for number, ambition in self.ambitions.items()}
        projects = (
            in_current_cop(ProjectPage)
            .filter(reference__in=references)
            .select_related("pilot_service")
            .prefetch_related("services", active_workflow_states())
        )
        self.projects = {project.reference: project for project in projects}
        self.claimed_references = references_claimed_by_drafts(references, self.projects)
        self.project_ambition = {
            project.reference: ambition_numbers.get(project.path[:AMBITION_PATH_LENGTH])
            for project in self.projects.values()
        }

    def service(self, name):
        return self.services.get(normalise_name(name))

    def pending_change(self, reference):
        """The unapproved change that the row for `reference` would overtake, if any."""
        if reference in self.projects:
            page = self.projects[reference]
            state = pending_state(page)
            return PendingChange(page, state) if state else None
        if reference in self.claimed_references:
            page = self.claimed_references[reference]
            return PendingChange(page, pending_state(page), claimed=True)
        return None


def earlier_projects(continued):
    """{(COP slug or "", reference): project} for the projects of other COPs that rows carry over;
    no slug stands for the last COP before the current one."""
    others = [cop for cop in cops().all if not cop.is_current]
    by_slug = {cop.slug: cop for cop in others}
    found = {}
    for slug, reference in set(continued):
        cop = by_slug.get(slug) if slug else next(iter(others), None)
        if cop is not None:
            in_cop = ProjectPage.objects.filter(path__startswith=cop.path, reference__iexact=reference)
            found[(slug, reference)] = in_cop.first()
    return found


def in_current_cop(model):
    """The pages of `model` in the COP that imports write to, the current one: references and
    numbers repeat across COPs."""
    return model.objects.filter(path__startswith=current_cop().path)


def active_workflow_states():
    """What `page.current_workflow_state` reads. Wagtail's `prefetch_workflow_states()` finds nothing
    on a ProjectPage queryset that is not `.specific()`: it follows the base content type."""
    states = WorkflowState.objects.active().select_related("current_task_state__task")
    return Prefetch("_specific_workflow_states", queryset=states, to_attr="_current_workflow_states")


def pending_state(page):
    """A change sent back by the moderators waits for its author as a draft; a page that is not live
    is a draft as a whole, its row holding what no moderator approved."""
    workflow_state = page.current_workflow_state
    if workflow_state is not None and workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
        return PendingState.MODERATION
    if workflow_state is not None or not page.live or page.has_unpublished_changes:
        return PendingState.DRAFT
    return None


def references_claimed_by_drafts(references, projects):
    """Each of `references` that the latest draft of another project gives it, with that project:
    creating a project with it would make two when the draft is approved."""
    unknown = set(references) - set(projects)
    if not unknown:
        return {}
    with_drafts = in_current_cop(ProjectPage).filter(has_unpublished_changes=True)
    claims = Revision.page_revisions.filter(
        pk__in=with_drafts.values("latest_revision_id"), content__reference__in=unknown
    ).values_list("object_id", "content__reference")
    page_references = dict(claims)
    pages = ProjectPage.objects.filter(pk__in=page_references).prefetch_related(active_workflow_states())
    return {page_references[str(page.pk)]: page for page in pages}


def size_problem(size):
    """A Problem if a file of `size` bytes is over COP_IMPORT_MAX_BYTES, else None."""
    limit = settings.COP_IMPORT_MAX_BYTES
    if size <= limit:
        return None
    return Problem(
        f"Le fichier pèse {size / 1_048_576:.1f} Mo : un import est limité à {limit / 1_048_576:g} Mo. "
        "Découpez-le en plusieurs fichiers."
    )


def plan_import(name, content, mode=Mode.PUBLISH, create_services=False, skip_drafts=False, user=None):
    """What importing the file as `user` would do, or every Problem that stops it; writes nothing.

    With `skip_drafts`, the rows of projects with a draft or a validation in progress are left alone
    (and nothing they bring, service, axis or ambition, is created); without, a row that would change
    such a project refuses the file. `user` None is the command line's operator, who may move pages."""
    plan = ImportPlan()
    try:
        columns, raw_rows = read_rows(name, content)
    except FileError as error:
        return plan.with_problems([Problem(str(error))])
    if problems := missing_columns(columns):
        return plan.with_problems(problems)
    rows, problems = read_project_rows(columns, raw_rows)
    cop = CopState([row.reference for row in rows], [row.continues for row in rows if row.continues])
    plan.earlier = cop.earlier
    # A row that contradicts another is reported once, not again against the COP.
    lines_with_problems = {problem.line for problem in problems}
    for row in rows:
        if row.line in lines_with_problems:
            continue
        pending = cop.pending_change(row.reference)
        if pending and skip_drafts and (skipped := skipped_plan(row, cop, pending)):
            plan.projects.append(skipped)
            continue
        row_problems = check_against_cop(row, cop, plan, create_services)
        if not row_problems:
            project_plan = plan_project(row, cop, pending)
            row_problems = check_project_plan(project_plan, cop, mode, user)
            plan.projects.append(project_plan)
        problems += row_problems
    return plan.with_problems(sorted(problems, key=lambda problem: problem.line or 0))


def skipped_plan(row, cop, pending):
    """The row of a project with an unapproved change, left alone, if it would change it; checked
    no further, so that nothing it brings (service, axis, ambition) is created."""
    if pending.claimed:
        return ProjectPlan(row, None, Outcome.SKIPPED, pending=pending)
    project_plan = plan_project(row, cop, pending)
    if project_plan.outcome == Outcome.UNCHANGED:
        return None
    project_plan.outcome = Outcome.SKIPPED
    return project_plan


def check_against_cop(row, cop, plan, create_services):
    return (
        check_services(row, cop, plan, create_services)
        + check_axis(row, cop, plan)
        + check_ambition(row, cop, plan)
        + check_continued(row, cop)
    )


def check_continued(row, cop):
    if row.continues is None or cop.earlier.get(row.continues) is not None:
        return []
    slug, reference = row.continues
    where = f"le COP « {slug} »" if slug else "le COP précédent"
    reason = f"aucun projet de référence {reference} dans {where} : indiquez « 2020-2026 16.2 » par exemple"
    return [Problem(reason, row.line, "suite_de", " ".join(filter(None, row.continues)))]


def check_services(row, cop, plan, create_services):
    problems = []
    partners = row.partners or []
    columns = ["service_pilote"] + ["services_partenaires"] * len(partners)
    for column, name in zip(columns, [row.pilot, *partners], strict=True):
        if cop.service(name) is not None or normalise_name(name) in map(normalise_name, plan.new_services):
            continue
        if create_services:
            plan.new_services.append(name)
        else:
            reason = "service inconnu (créez-le dans l'administration, ou importez avec --create-services)"
            problems.append(Problem(reason, row.line, column, name))
    return problems


def check_axis(row, cop, plan):
    if row.axis_number in cop.axes or row.axis_number in plan.new_axes:
        return []
    if not row.axis_title:
        title = column_name("axe_titre")
        reason = f"{cop.terms.axis.this} n'existe pas encore : donnez son titre (colonne {title})"
        return [Problem(reason, row.line, "axe", str(row.axis_number))]
    plan.new_axes[row.axis_number] = row.axis_title
    return []


def check_ambition(row, cop, plan):
    number = row.ambition_number
    if number in cop.ambitions:
        axis_number = cop.ambition_axis[number]
        if axis_number != row.axis_number:
            terms = cop.terms
            reason = (
                f"{terms.ambition.the_numbered(number)} appartient à {terms.axis.the_numbered(axis_number)}"
            )
            return [Problem(reason, row.line, "axe", str(row.axis_number))]
        return []
    if number not in plan.new_ambitions:
        if not row.ambition_title:
            title = column_name("ambition_titre")
            reason = f"{cop.terms.ambition.this} n'existe pas encore : donnez son titre (colonne {title})"
            return [Problem(reason, row.line, "ambition", str(number))]
        plan.new_ambitions[number] = (row.axis_number, row.ambition_title)
    return []


def plan_project(row, cop, pending):
    page = cop.projects.get(row.reference)
    if page is None:
        return ProjectPlan(row, None, Outcome.CREATED, service_names=row.service_names, pending=pending)
    service_names = imported_service_names(row, page)
    changes = [
        (label, display(before), display(after))
        for label, before, after in compared_values(row, page, cop, service_names)
        if before != after
    ]
    moves = cop.project_ambition[row.reference] != row.ambition_number
    outcome = Outcome.CHANGED if changes else Outcome.UNCHANGED
    return ProjectPlan(row, page, outcome, changes, moves, service_names, pending)


def imported_service_names(row, page):
    """The pilot and the partners; a file without a partners column keeps the project's partners."""
    if row.partners is not None:
        return row.service_names
    partners = [service.name for service in page.services.all() if service.pk != page.pilot_service_id]
    return list(dict.fromkeys([row.pilot, *partners]))


def compared_values(row, page, cop, service_names):
    """(label, current, imported) for each field the row sets; services compare as sets of names."""
    current_services = {service.name for service in page.services.all()}
    imported_services = {(cop.service(name) or Service(name=name)).name for name in service_names}
    pilot = cop.service(row.pilot)
    values = [
        (AMBITION_LABEL, cop.project_ambition[row.reference], row.ambition_number),
        (COLUMN_LABELS["titre"], page.title, row.title),
        (COLUMN_LABELS["statut"], ProjectStatus(page.status).label, ProjectStatus(row.status).label),
        (COLUMN_LABELS["service_pilote"], page.pilot_service.name, pilot.name if pilot else row.pilot),
        (SERVICES_LABEL, sorted(current_services), sorted(imported_services)),
    ]
    if row.summary is not None:
        values.append((COLUMN_LABELS["resume"], page.summary, row.summary))
    for column, attribute in OPTIONAL_FIELDS:
        if column in row.columns:
            values.append((COLUMN_LABELS[column], getattr(page, attribute), getattr(row, attribute)))
    if "suite_de" in row.columns:
        imported = cop.earlier.get(row.continues) if row.continues else None
        values.append((COLUMN_LABELS["suite_de"], continued_label(page.continues), continued_label(imported)))
    return values


def display(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(value) or "—"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def check_project_plan(project_plan, cop, mode, user):
    """What the COP forbids (a project without summary, an échéance before the début kept) and
    what the editorial trail does: writing over an unapproved change, moving without publishing."""
    return (
        check_fields(project_plan)
        + check_pending_change(project_plan)
        + check_move(project_plan, cop, mode, user)
    )


def check_fields(project_plan):
    row, page = project_plan.row, project_plan.page
    if page is None and row.summary is None:
        reason = "le résumé est obligatoire pour créer un projet"
        return [Problem(reason, row.line, "resume", "")]
    start = row.start_date if "debut" in row.columns else getattr(page, "start_date", None)
    due = row.due_date if "echeance" in row.columns else getattr(page, "due_date", None)
    if start and due and due < start:
        return [Problem(due_before_start(start), row.line, "echeance", display(due))]
    return []


def check_pending_change(project_plan):
    """A row that writes nothing may leave a draft in place; any other would overtake it."""
    if project_plan.pending is None or project_plan.outcome == Outcome.UNCHANGED:
        return []
    return [project_plan.pending.problem(project_plan.row)]


def check_move(project_plan, cop, mode, user):
    """A move is not a revision that a moderator could review: only a publishing import moves, and
    only for someone whom Wagtail lets move the page."""
    if not project_plan.moves:
        return []
    may_move = user is None or project_plan.page.permissions_for_user(user).can_move()
    if mode == Mode.PUBLISH and may_move:
        return []
    row, terms = project_plan.row, cop.terms
    current = cop.project_ambition[row.reference]
    reason = MOVE_REFUSED.format(
        this=terms.project.this,
        published=terms.project.agreed("publié"),
        ambition=terms.ambition.the_numbered(current),
        current=current,
    )
    return [Problem(reason, row.line, "ambition", str(row.ambition_number))]


@dataclass
class Writer:
    """Applies a valid ImportPlan: services, axes, ambitions, then projects, as `user`, in `mode`."""

    plan: ImportPlan
    user: object = None
    mode: Mode = Mode.PUBLISH
    write: object = None

    def apply(self):
        with transaction.atomic(), deferred_search_index():
            services = self.create_services()
            axes = self.create_axes()
            ambitions = self.create_ambitions(axes)
            for done, project_plan in enumerate(self.plan.projects, start=1):
                self.write_project(project_plan, ambitions, services)
                if self.write and done % PROGRESS_EVERY == 0:
                    self.write(f"{done} / {len(self.plan.projects)} lignes traitées")

    def reference_index_deferred(self):
        """When publishing, the reference index is updated once, by the publication, not at each save."""
        return disable_reference_index_auto_update() if self.mode == Mode.PUBLISH else nullcontext()

    def create_services(self):
        for name in self.plan.new_services:
            Service.objects.create(name=name, slug=find_free_service_slug(name))
        return Service.objects.by_name()

    def create_axes(self):
        axes = {axis.number: axis for axis in in_current_cop(AxisPage)}
        home = current_cop()
        for number, title in sorted(self.plan.new_axes.items()):
            axes[number] = self.create_page(home, AxisPage(number=number, title=title))
        return axes

    def create_ambitions(self, axes):
        ambitions = {ambition.number: ambition for ambition in in_current_cop(AmbitionPage)}
        for number, (axis_number, title) in sorted(self.plan.new_ambitions.items()):
            ambitions[number] = self.create_page(axes[axis_number], AmbitionPage(number=number, title=title))
        return ambitions

    def create_page(self, parent, page):
        page.slug = free_slug(parent, page, is_axis=isinstance(page, AxisPage))
        page.live = False
        # Wagtail would look the locale up again for every page.
        page.locale_id = parent.locale_id
        with self.reference_index_deferred():
            parent.add_child(instance=page)
        # add_child has just validated the page.
        self.save(page, clean=False)
        return page

    def write_project(self, project_plan, ambitions, services):
        row, ambition = project_plan.row, ambitions[project_plan.row.ambition_number]
        if project_plan.outcome == Outcome.CREATED:
            project = ProjectPage(reference=row.reference, title=row.title)
            self.set_fields(project, project_plan, services)
            self.create_page(ambition, project)
            return
        if project_plan.outcome != Outcome.CHANGED:
            return
        if project_plan.moves:
            self.move(project_plan.page, ambition)
        if project_plan.needs_revision:
            # The page row is the live version; a fresh one, as the move has changed its path.
            project = ProjectPage.objects.get(pk=project_plan.page.pk)
            self.set_fields(project, project_plan, services)
            self.save(project)

    def set_fields(self, project, project_plan, services):
        row = project_plan.row
        project.title = row.title
        project.status = row.status
        project.pilot_service = services[normalise_name(row.pilot)]
        if row.summary is not None:
            project.summary = row.summary
        for column, attribute in OPTIONAL_FIELDS:
            if column in row.columns:
                setattr(project, attribute, getattr(row, attribute))
        if "suite_de" in row.columns:
            project.continues = self.plan.earlier.get(row.continues) if row.continues else None
        project.services.set([services[normalise_name(name)] for name in project_plan.service_names])

    def move(self, page, ambition):
        slug = find_available_slug(ambition, page.slug)
        if slug != page.slug:
            Page.objects.filter(pk=page.pk).update(slug=slug)
            page.slug = slug
        MovePageAction(page, ambition, pos="last-child", user=self.user).execute()

    def save(self, page, clean=True):
        """One revision of `page`, published, submitted to the workflow or left as a draft."""
        with self.reference_index_deferred():
            revision = page.save_revision(user=self.user, clean=clean)
        if self.mode == Mode.PUBLISH:
            revision.publish(user=self.user)
        elif self.mode == Mode.SUBMIT:
            self.submit(page)

    def submit(self, page):
        """A project in a workflow already is never written (`check_pending_change`): start one."""
        if (workflow := page.get_workflow()) is not None:
            workflow.start(page, self.user)


def find_free_service_slug(name):
    base = slugify(name)[:90] or "service"
    slug, suffix = base, 1
    while Service.objects.filter(slug=slug).exists():
        suffix += 1
        slug = f"{base}-{suffix}"
    return slug


def apply_import(plan, user=None, mode=Mode.PUBLISH, write=None):
    if not plan.is_valid:
        raise ValueError("Un import refusé ne s'applique pas.")
    Writer(plan, user, mode, write).apply()
