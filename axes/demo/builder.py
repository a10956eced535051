"""Builds the demo of Clamart from `data.py`: idempotent, deterministic, with some history.

Two COPs: the 2020–2026 one (archived, 250 projects, Axe / Ambition / Projet) and the 2026–2032
one (current, 80 actions in its own words, about half carried over from the first).

`scale` applies to the 2020–2026 COP: it repeats the demo's 50 ambitions and their projects, for
load tests and benchmarks: copy (lot) k of ambition n is ambition n + 50 × k, with the same
projects, references "<n + 50 × k>.<i>".
"""

import datetime
import random
import secrets
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.html import format_html

from wagtail.models import Page, PageLogEntry, Revision, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from axes.cops import current_cop, forget_cops
from axes.models import AmbitionPage, AxisPage, HomePage, Milestone, ProjectPage, ProjectStatus, Service
from home.models import CityIdentity
from utils.search_index import deferred_search_index
from utils.text import short_slug, thousands
from utils.typography import count, plural

from . import data

# Sent once the demo's COPs are built, with `cops` (oldest first) and `write` (the command's output).
demo_cop_loaded = Signal()

# Shares of each status in the demo, so that every status shows up and most projects move.
STATUS_WEIGHTS = {
    ProjectStatus.EN_PROJET: 20,
    ProjectStatus.ENGAGE: 45,
    ProjectStatus.REALISE: 24,
    ProjectStatus.SUSPENDU: 6,
    ProjectStatus.ABANDONNE: 5,
}
# Past their due date and not done, as a real COP has a few: this share of the engaged projects,
# and of the suspended ones. Each says why (`delay_reason`).
# How the body of a late project starts the sentence that says why.
DELAY_HEADING = "Échéance dépassée :"
LATE_SHARE = {ProjectStatus.ENGAGE: 0.08, ProjectStatus.SUSPENDU: 0.5}
DELAY_REASONS = {
    ProjectStatus.ENGAGE: [
        "l'appel d'offres des travaux a été déclaré infructueux et relancé ; la nouvelle échéance sera "
        "fixée à l'attribution du marché.",
        "le chantier a été interrompu par la découverte d'amiante ; le désamiantage est en cours.",
        "la subvention régionale attendue n'a été notifiée qu'en fin d'année : le calendrier est décalé "
        "d'un semestre.",
        "le prestataire retenu a été placé en redressement judiciaire ; un nouveau marché est en "
        "préparation.",
        "la concertation avec les habitants a été prolongée à leur demande ; la nouvelle échéance sera "
        "soumise au prochain conseil municipal.",
        "le recrutement du chef de projet a pris six mois de plus que prévu.",
    ],
    ProjectStatus.SUSPENDU: [
        "projet suspendu dans l'attente du vote du budget supplémentaire.",
        "projet suspendu le temps de la révision du plan local d'urbanisme.",
        "projet suspendu après un recours contre le permis de construire.",
        "projet suspendu dans l'attente de l'accord de l'État sur le cofinancement.",
    ],
}
# Most projects have milestones (jalons); of the projects under way and not late, this share has
# missed its latest one (a late project has missed its last one or two).
MILESTONE_SHARE = 0.88
LATE_MILESTONE_SHARE = 0.12
# Every this-many projects gets an earlier published version, so that history is not empty.
HISTORY_EVERY = 20
# One lot is one copy of the demo's ambitions and projects; a scaled COP has `scale` lots.
AMBITIONS_PER_LOT = sum(len(axis["ambitions"]) for axis in data.AXES)
PROJECTS_PER_LOT = sum(len(ambition["projects"]) for axis in data.AXES for ambition in axis["ambitions"])
# Ambition numbers are PostgreSQL smallints.
MAX_SCALE = 32767 // AMBITIONS_PER_LOT


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str
    last_name: str
    group: str | None = None
    superuser: bool = False
    services: tuple[str, ...] = ()


DEMO_ACCOUNTS = [
    DemoAccount("agent", "Agent", "Camille", "Martin", group="Agents", services=("relation-usagers",)),
    DemoAccount(
        "referent",
        "Référent de service",
        "Nathalie",
        "Durand",
        "Référents de service",
        services=("relation-usagers",),
    ),
    DemoAccount("editeur", "Éditeur", "Amy", "Lefèvre", group="Éditeurs"),
    DemoAccount("moderateur", "Modérateur", "Simon", "Bernard", group="Modérateurs"),
    DemoAccount("admin", "Administrateur", "Jean", "Petit", superuser=True),
]


def month_start(today, months):
    """The first day of the month `months` after (or before) today's."""
    index = today.year * 12 + today.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(today, months):
    return month_start(today, months + 1) - datetime.timedelta(days=1)


def project_plan(reference, today=None):
    """Status, progress and dates of a demo project, the same at every run of the same day.

    Dates are months before or after `today` (the city's day of the build), so that the demo stays
    plausible whenever it is loaded: a project done is due in the past or this month, a planned one
    starts soon or has just started, and few projects are past their due date, each for a reason
    (`delay_reason`).
    """
    today = today or timezone.localdate()
    rng = random.Random(reference)
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    late = rng.random() < LATE_SHARE.get(status, 0)
    if status == ProjectStatus.EN_PROJET:
        start = rng.randint(-2, 9)
        due = start + rng.randint(6, 30)
    elif status == ProjectStatus.REALISE:
        due = -rng.randint(0, 30)
        start = due - rng.randint(6, 36)
    elif late:
        due = -rng.randint(1, 8)
        start = due - rng.randint(12, 36)
    elif status == ProjectStatus.ABANDONNE:
        start = -rng.randint(6, 48)
        due = start + rng.randint(6, 30)
    else:
        start = -rng.randint(3, 40)
        due = rng.randint(1, 24)
    progress = {
        ProjectStatus.EN_PROJET: 0,
        ProjectStatus.ENGAGE: rng.randrange(60, 95, 5) if late else rng.randrange(10, 95, 5),
        ProjectStatus.REALISE: 100,
        ProjectStatus.SUSPENDU: rng.randrange(10, 60, 5),
        ProjectStatus.ABANDONNE: None,
    }[status]
    return {
        "status": status,
        "progress": progress,
        "start_date": month_start(today, start),
        "due_date": month_end(today, due),
    }


def delay_reason(reference, plan, today=None):
    """Why a project past its due date and not done is late, or None for any other project."""
    today = today or timezone.localdate()
    if plan["due_date"] >= today or plan["status"] not in DELAY_REASONS:
        return None
    return random.Random(f"retard {reference}").choice(DELAY_REASONS[plan["status"]])


# The 2026–2032 COP has just begun: most of its actions are planned or under way, a few are done.
NEW_COP_STATUS_WEIGHTS = {ProjectStatus.EN_PROJET: 40, ProjectStatus.ENGAGE: 52, ProjectStatus.REALISE: 8}


def new_cop_plan(reference, carried_over, today=None):
    """Status, progress and dates of an action of the 2026–2032 COP; one carried over is under way."""
    today = today or timezone.localdate()
    rng = random.Random(f"{data.COP_2026['slug']} {reference}")
    status = rng.choices(list(NEW_COP_STATUS_WEIGHTS), weights=list(NEW_COP_STATUS_WEIGHTS.values()))[0]
    if carried_over and status == ProjectStatus.EN_PROJET:
        status = ProjectStatus.ENGAGE
    if status == ProjectStatus.EN_PROJET:
        start = rng.randint(0, 12)
        due, progress = start + rng.randint(12, 48), 0
    elif status == ProjectStatus.REALISE:
        due = -rng.randint(0, 3)
        start, progress = due - rng.randint(3, 8), 100
    else:
        start = -rng.randint(1, 8)
        due, progress = rng.randint(6, 60), rng.randrange(5, 60, 5)
    return {
        "status": status,
        "progress": progress,
        "start_date": month_start(today, start),
        "due_date": month_end(today, due),
    }


def milestone_kind(title, pilot):
    """ "travaux", "numerique"…: which of the demo's sequences of milestones a project follows."""
    lowered = title.lower()
    for kind, words in data.MILESTONE_KIND_WORDS:
        if any(word in lowered for word in words):
            return kind
    return data.MILESTONE_KIND_OF_PILOT.get(pilot, "dispositif")


def milestone_plan(seed, title, pilot, plan, today=None):
    """The milestones of a demo project, in order: [{"title", "planned_date", "done_date"}], or none
    (for about one project in eight); the same at every run of the same day.

    Two to four steps of the project's kind, spread from its start to its due date: all done for a
    project done, none for a planned one (whose steps are all ahead), those already past done for a
    project under way, but the last one or two of a project past its due date and, for a few others,
    the latest one (late milestones). `seed` tells the projects apart (their COP and reference).
    """
    today = today or timezone.localdate()
    rng = random.Random(f"jalons {seed}")
    if rng.random() >= MILESTONE_SHARE:
        return []
    steps = data.MILESTONE_STEPS[milestone_kind(title, pilot)]
    number = rng.randint(2, 4)
    chosen = [*sorted(rng.sample(range(len(steps) - 1), number - 1)), len(steps) - 1]
    planned = planned_dates(rng, plan, number, today)
    slipping = plan["status"] == ProjectStatus.ENGAGE and rng.random() < LATE_MILESTONE_SHARE
    started_days = (today - plan["start_date"]).days
    if slipping and planned[0] >= today and started_days > 30:
        # Its first step was planned a while after the start, and has not been taken yet.
        planned[0] = plan["start_date"] + datetime.timedelta(days=rng.randint(15, started_days - 1))
    past = [index for index, date in enumerate(planned) if date < today]
    missed = missed_steps(rng, plan, past, slipping, today)
    return [
        {
            "title": steps[step],
            "planned_date": planned[index],
            "done_date": done_date(rng, plan, planned[index], today)
            if index in past and index not in missed
            else None,
        }
        for index, step in enumerate(chosen)
    ]


def planned_dates(rng, plan, number, today):
    """`number` dates from the project's start to its due date: the first soon after the start, the
    last by the due date, the others evenly between; a planned project's all ahead, a done one's past."""
    start, end = plan["start_date"], plan["due_date"]
    if plan["status"] == ProjectStatus.EN_PROJET:
        start = max(start, today + datetime.timedelta(days=15))
    elif plan["status"] == ProjectStatus.REALISE:
        end = min(end, today - datetime.timedelta(days=3))
    span = max((end - start).days, 2 * number)
    return [
        start
        + datetime.timedelta(
            days=span * (2 * index + 1) // (2 * number - 1) - rng.randint(0, span // (4 * number))
        )
        for index in range(number)
    ]


def missed_steps(rng, plan, past, slipping, today):
    """The indexes of the steps past but not taken: the last one or two of a project past its due
    date, the latest of one slipping, the latest of one abandoned (never taken: it is not late)."""
    if not past or plan["status"] in (ProjectStatus.EN_PROJET, ProjectStatus.REALISE):
        return set()
    if plan["status"] == ProjectStatus.ABANDONNE or (slipping and plan["due_date"] >= today):
        return {past[-1]}
    if plan["due_date"] < today:
        return set(past[-rng.randint(1, 2) :])
    return set()


def done_date(rng, plan, planned, today):
    """A step taken a little before or after its planned date, never before the start nor after today."""
    done = planned + datetime.timedelta(days=rng.randint(-10, 20))
    return min(max(done, plan["start_date"]), today)


def lot_ambition(ambition, lot):
    """Copy `lot` (0 is the demo itself) of a demo ambition, with its number, slugs and references.

    Copies after the first carry " (lot k + 1)" in their titles and slugs, so that titles and slugs
    stay unique among the ambitions of an axis.
    """
    number = ambition["number"] + AMBITIONS_PER_LOT * lot
    suffix, slug_suffix = (f" (lot {lot + 1})", f"-lot-{lot + 1}") if lot else ("", "")
    return {
        **ambition,
        "number": number,
        "title": ambition["title"] + suffix,
        "slug": short_slug(ambition["title"]) + slug_suffix,
        "projects": [
            {
                **project,
                "reference": f"{number}.{index}",
                "title": project["title"] + suffix,
                "slug": short_slug(project["title"]) + slug_suffix,
            }
            for index, project in enumerate(ambition["projects"], start=1)
        ],
    }


def scaled_cop(scale):
    """The lots of a COP `scale` times the demo: per lot, (axis number, ambition) in the demo's order."""
    for lot in range(scale):
        yield [
            (axis["number"], lot_ambition(ambition, lot))
            for axis in data.AXES
            for ambition in axis["ambitions"]
        ]


def project_body(ambition, pilot, partners, reason=None):
    partner_names = ", ".join(service.name for service in partners)
    partnership = f" en partenariat avec {partner_names}" if partners else ""
    body = format_html(
        "<p>Ce projet est piloté par le service {}{}. Il concourt à l'ambition n° {} : « {} ».</p>",
        pilot.name,
        partnership,
        ambition["number"],
        ambition["title"],
    )
    if reason:
        body += format_html("<p>{} {}</p>", DELAY_HEADING, reason)
    return body


def action_body(objective, pilot, partners, continued=None):
    """The body of an action of the 2026–2032 COP, in its words."""
    partner_names = ", ".join(service.name for service in partners)
    partnership = f" en partenariat avec {partner_names}" if partners else ""
    body = format_html(
        "<p>Cette action est pilotée par le service {}{}. Elle concourt à l'objectif n° {} : « {} ».</p>",
        pilot.name,
        partnership,
        objective["number"],
        objective["title"],
    )
    if continued:
        body += format_html(
            "<p>Elle poursuit le projet {} du COP 2020–2026 : « {} ».</p>",
            continued.reference,
            continued.title,
        )
    return body


def cop_2020():
    """The demo's 2020–2026 COP, or None before the demo is loaded."""
    return HomePage.objects.filter(depth=2, slug=data.COP_2020["slug"]).first()


def cop_2026():
    """The demo's 2026–2032 COP, or None before the demo is loaded."""
    return HomePage.objects.filter(depth=2, slug=data.COP_2026["slug"]).first()


def make_current(cop, reopen=False):
    """What an administrator does: makes `cop` the default site's root (the current COP), and
    reopens it if asked, so that it may be edited again (benchmarks and tests of the 250 projects)."""
    if reopen and cop.archived:
        cop.archived = False
        cop.save_revision(clean=False).publish()
    site = Site.objects.get(is_default_site=True)
    if site.root_page_id != cop.pk:
        site.root_page = cop
        site.save()
    forget_cops()


class DemoCopBuilder:
    def __init__(self, write=print):
        self.write = write
        self.created = 0

    def build(self, if_empty=False, scale=1):
        if not 1 <= scale <= MAX_SCALE:
            raise ValueError(f"L'échelle du COP de démonstration va de 1 à {MAX_SCALE}.")
        self.set_city_identity()
        services = self.build_services()
        accounts = self.create_accounts()
        if if_empty and AxisPage.objects.exists():
            self.write("Un COP contient déjà des pages : la démo n'est pas rechargée.")
        else:
            old_cop = self.cop_2020()
            self.build_cop(old_cop, services, scale)
            new_cop = self.cop_2026()
            self.build_new_cop(new_cop, old_cop)
            # The features add their own demo (indicators, a campaign…), which the domain knows nothing of.
            demo_cop_loaded.send(sender=type(self), cops=[old_cop, new_cop], write=self.write)
            self.write(
                f"Démo du COP chargée : {count(self.created, 'page')} {plural(self.created, 'créée')}."
            )
        self.print_accounts(accounts)
        return accounts

    def cop_2020(self):
        """The 2020–2026 COP: on a fresh install, the COP that the install began with."""
        cop = cop_2020()
        if cop is None:
            current = current_cop()
            adoptable = current is not None and current.slug != data.COP_2026["slug"]
            with self.batch():
                cop = self.set_up_cop(current if adoptable else None, data.COP_2020)
        return cop

    def cop_2026(self):
        """The 2026–2032 COP; created, it becomes the current COP."""
        cop = cop_2026()
        if cop is None:
            with self.batch():
                cop = self.set_up_cop(None, data.COP_2026)
                make_current(cop)
        return cop

    def set_up_cop(self, cop, entry):
        """Names `cop` (a new COP if None) as the demo's `entry` says, once: a rerun keeps what the
        administrator changed since (which COP is current, an archive reopened)."""
        fields = {
            key: entry[key]
            for key in ("slug", "title", "start_year", "end_year", "archived", "intro")
            if key in entry
        }
        if "intro" in fields:
            fields["intro"] = f"<p>{fields['intro']}</p>"
        fields.update(entry.get("terminology", {}))
        if cop is None:
            cop = HomePage(**fields, live=False)
            Page.get_first_root_node().add_child(instance=cop)
            self.created += 1
        else:
            for key, value in fields.items():
                setattr(cop, key, value)
            # Saved first: publishing a revision would not move the url_path of a COP renamed.
            cop.save(clean=False)
        cop.save_revision(clean=False).publish()
        forget_cops()
        self.write(f"{cop.title} prêt.")
        return cop

    def build_cop(self, home, services, scale=1):
        """Builds the axes, then one transaction per lot, so that an interrupted load resumes on a rerun."""
        moderator = get_user_model().objects.filter(username="moderateur").first()
        with self.batch():
            existing_axes = {axis.number: axis for axis in AxisPage.objects.child_of(home)}
            axes = {
                entry["number"]: existing_axes.get(entry["number"])
                or self.create_page(home, AxisPage(number=entry["number"]), entry, moderator)
                for entry in data.AXES
            }
        # What already exists is looked up once, not once per page: a rerun creates nothing twice.
        ambitions = {ambition.number: ambition for ambition in AmbitionPage.objects.descendant_of(home)}
        references = set(ProjectPage.objects.descendant_of(home).values_list("reference", flat=True))
        total, done = PROJECTS_PER_LOT * scale, 0
        for lot in scaled_cop(scale):
            with self.batch():
                for axis_number, entry in lot:
                    ambition = ambitions.get(entry["number"])
                    if ambition is None:
                        ambition = AmbitionPage(number=entry["number"])
                        self.create_page(axes[axis_number], ambition, entry, moderator)
                    for project_entry in entry["projects"]:
                        if project_entry["reference"] not in references:
                            self.project(ambition, entry, project_entry, services, moderator)
                    done += len(entry["projects"])
            self.write(f"{thousands(done)} / {thousands(total)} projets")

    def build_new_cop(self, home, old_home):
        """Builds the 2026–2032 COP, one transaction per orientation, so that a rerun resumes it.
        An action carried over reuses its 2020–2026 project's title, summary and services."""
        moderator = get_user_model().objects.filter(username="moderateur").first()
        services = {service.slug: service for service in Service.objects.all()}
        old_projects = {
            project.reference: project
            for project in ProjectPage.objects.descendant_of(old_home)
            .select_related("pilot_service")
            .prefetch_related("services")
        }
        orientations = {page.number: page for page in AxisPage.objects.child_of(home)}
        objectives = {page.number: page for page in AmbitionPage.objects.descendant_of(home)}
        references = set(ProjectPage.objects.descendant_of(home).values_list("reference", flat=True))
        total = sum(
            len(objective["actions"]) for entry in data.ORIENTATIONS for objective in entry["objectives"]
        )
        done = 0
        for entry in data.ORIENTATIONS:
            with self.batch():
                orientation = orientations.get(entry["number"]) or self.create_page(
                    home, AxisPage(number=entry["number"]), entry, moderator
                )
                for objective in entry["objectives"]:
                    page = objectives.get(objective["number"]) or self.create_page(
                        orientation, AmbitionPage(number=objective["number"]), objective, moderator
                    )
                    for index, action in enumerate(objective["actions"], start=1):
                        reference = f"{objective['number']}.{index}"
                        if reference not in references:
                            continued = old_projects.get(action.get("continues"))
                            self.action(page, objective, reference, action, continued, services, moderator)
                    done += len(objective["actions"])
            self.write(f"{home.title} : {done} / {total} actions")

    def set_city_identity(self):
        """Clamart's name, colours and contact, where the admin left them empty (a rerun keeps edits)."""
        site = Site.objects.get(is_default_site=True)
        identity = CityIdentity.for_site(site)
        blank = {key: value for key, value in data.CITY_IDENTITY.items() if not getattr(identity, key)}
        if blank:
            for key, value in blank.items():
                setattr(identity, key, value)
            identity.save()
        if site.site_name in {"", settings.WAGTAIL_SITE_NAME}:  # a fresh install's
            site.site_name = data.SITE_NAME
            site.save(update_fields=["site_name"])
        self.write(f"Identité de la ville : {identity.name}.")

    def build_services(self):
        services = {}
        for entry in data.SERVICES:
            service, _ = Service.objects.get_or_create(
                slug=entry["slug"],
                defaults={key: entry[key] for key in ("name", "direction", "description", "email")},
            )
            services[service.slug] = service
        self.write(f"{len(services)} services prêts.")
        return services

    @contextmanager
    def batch(self):
        """One transaction, with the search indexing of the pages created in it at its end."""
        with transaction.atomic(), deferred_search_index():
            yield

    def create_page(self, parent, page, entry, user, earlier_plan=None, milestones=()):
        """Adds `page` as the admin does: a draft under `parent`, then its revision, published.

        The page is validated once, when published; the reference index is updated once, by the
        publication, and the search index at the end of the lot (`deferred_search_index`). A
        project's `milestones` are written in one query, then saved in its revisions as its other
        fields are.
        """
        page.title = entry["title"]
        page.slug = entry.get("slug") or short_slug(entry["title"])
        if "intro" in entry:
            page.intro = f"<p>{entry['intro']}</p>"
        page.live = False
        with disable_reference_index_auto_update():
            parent.add_child(instance=page)
            Milestone.objects.bulk_create(
                Milestone(project=page, sort_order=index, **milestone)
                for index, milestone in enumerate(milestones)
            )
            if earlier_plan:
                self.publish_earlier_version(page, earlier_plan, user)
            revision = page.save_revision(user=user, clean=False)
        revision.publish(user=user)
        self.created += 1
        return page

    def project(self, ambition, ambition_data, entry, services, user):
        reference = entry["reference"]
        pilot = services[entry["pilot"]]
        partners = [services[slug] for slug in entry["partners"]]
        plan = project_plan(reference)
        project = ProjectPage(
            reference=reference,
            summary=entry["summary"],
            body=project_body(ambition_data, pilot, partners, delay_reason(reference, plan)),
            pilot_service=pilot,
            **plan,
        )
        project.services.add(pilot, *partners)
        with_history = project_serial(reference) % HISTORY_EVERY == 0
        milestones = milestone_plan(reference, entry["title"], pilot.slug, plan)
        self.create_page(
            ambition, project, entry, user, earlier_plan=plan if with_history else None, milestones=milestones
        )

    def action(self, objective_page, objective, reference, entry, continued, services, user):
        """An action of the 2026–2032 COP; `continued`, the 2020–2026 project it carries over, if any."""
        if continued is not None:
            title, summary, pilot = continued.title, continued.summary, continued.pilot_service
            partners = [service for service in continued.services.all() if service.pk != pilot.pk]
        else:
            title, summary, pilot = entry["title"], entry["summary"], services[entry["pilot"]]
            partners = [services[slug] for slug in entry["partners"]]
        plan = new_cop_plan(reference, carried_over=continued is not None)
        action = ProjectPage(
            reference=reference,
            summary=summary,
            body=action_body(objective, pilot, partners, continued),
            pilot_service=pilot,
            continues=continued,
            **plan,
        )
        action.services.add(pilot, *partners)
        # The first action of each objectif was announced before the demo's day: the journal and the
        # digests have news.
        with_history = reference.endswith(".1")
        milestones = milestone_plan(f"{data.COP_2026['slug']} {reference}", title, pilot.slug, plan)
        self.create_page(
            objective_page,
            action,
            {"title": title},
            user,
            earlier_plan=plan if with_history else None,
            milestones=milestones,
        )

    def publish_earlier_version(self, project, plan, user):
        """Publishes a first, backdated version: the project was only planned back then, none of its
        milestones done."""
        current = {field: getattr(project, field) for field in ("status", "progress")}
        project.status, project.progress = ProjectStatus.EN_PROJET, 0
        milestones = list(project.milestones.all())
        project.milestones = [
            Milestone(
                pk=milestone.pk,
                sort_order=milestone.sort_order,
                title=milestone.title,
                planned_date=milestone.planned_date,
            )
            for milestone in milestones
        ]
        revision = project.save_revision(user=user, clean=False)
        revision.publish(user=user)
        # A project planned to start later was already announced a month before the demo's day.
        announced = min(plan["start_date"], timezone.localdate() - datetime.timedelta(days=30))
        published_at = timezone.make_aware(datetime.datetime.combine(announced, datetime.time(9)))
        Revision.objects.filter(pk=revision.pk).update(created_at=published_at)
        PageLogEntry.objects.filter(revision=revision).update(timestamp=published_at)
        ProjectPage.objects.filter(pk=project.pk).update(first_published_at=published_at)
        # The next publication starts from this object: it must keep the first publication date.
        project.first_published_at = published_at
        for field, value in current.items():
            setattr(project, field, value)
        project.milestones = milestones

    def create_accounts(self):
        if not settings.COP_DEMO_ACCOUNTS:
            self.write("Comptes de démonstration non créés : ils ne sont permis qu'en développement.")
            return []
        User = get_user_model()
        rows = []
        for account in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=account.username)
            password = secrets.token_urlsafe(9)
            user.first_name, user.last_name = account.first_name, account.last_name
            user.email = f"{account.username}@clamart.example"
            user.is_staff = user.is_superuser = account.superuser
            user.set_password(password)
            user.save()
            if account.group:
                user.groups.set(Group.objects.filter(name=account.group))
            user.services.set(Service.objects.filter(slug__in=account.services))
            rows.append((account.role, account.username, password))
        return rows

    def print_accounts(self, rows):
        if not rows:
            return
        self.write("\nComptes de démonstration (mots de passe renouvelés à chaque chargement) :")
        for role, username, password in rows:
            self.write(f"  {role:<22} identifiant : {username:<11} mot de passe : {password}")


def project_serial(reference):
    ambition, index = (int(part) for part in reference.split("."))
    return (ambition - 1) * 5 + index
