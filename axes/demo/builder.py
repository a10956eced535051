"""Builds the demo COP of Clamart from `data.py`: idempotent, deterministic, with some history."""

import datetime
import random
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify

from wagtail.models import PageLogEntry, Revision

from axes.models import AmbitionPage, AxisPage, ProjectPage, ProjectStatus, Service
from home.models import HomePage

from . import data

# Shares of each status in the demo, so that every status shows up and most projects move.
STATUS_WEIGHTS = {
    ProjectStatus.EN_PROJET: 20,
    ProjectStatus.ENGAGE: 45,
    ProjectStatus.REALISE: 24,
    ProjectStatus.SUSPENDU: 6,
    ProjectStatus.ABANDONNE: 5,
}
FIRST_YEAR, LAST_YEAR = 2021, 2027
# Every this-many projects gets an earlier published version, so that history is not empty.
HISTORY_EVERY = 20


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str
    last_name: str
    group: str | None = None
    superuser: bool = False
    services: tuple[str, ...] = ()


# Groups are Wagtail's own until the workflow issue gives each role of PRODUCT.md its group.
DEMO_ACCOUNTS = [
    DemoAccount("agent", "Agent", "Camille", "Martin", services=("relation-usagers",)),
    DemoAccount("referent", "Référent de service", "Nathalie", "Durand", services=("relation-usagers",)),
    DemoAccount("editeur", "Éditeur", "Amy", "Lefèvre", group="Editors"),
    DemoAccount("moderateur", "Modérateur", "Simon", "Bernard", group="Moderators"),
    DemoAccount("admin", "Administrateur", "Jean", "Petit", superuser=True),
]


def short_slug(title, limit=60):
    """An ASCII slug cut at a word boundary, so that page URLs stay short enough to share."""
    slug = slugify(title)
    return slug if len(slug) <= limit else slug[:limit].rsplit("-", 1)[0]


def project_plan(reference):
    """Status, progress and dates of a demo project, the same at every run."""
    rng = random.Random(reference)
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    first_year = 2025 if status == ProjectStatus.EN_PROJET else FIRST_YEAR
    start = datetime.date(rng.randint(first_year, 2025), rng.choice([1, 3, 4, 6, 9, 10]), 1)
    last_due = (
        datetime.date(2026, 6, 30) if status == ProjectStatus.REALISE else datetime.date(LAST_YEAR, 12, 31)
    )
    due = min(start + datetime.timedelta(days=30 * rng.randint(6, 40)), last_due)
    progress = {
        ProjectStatus.EN_PROJET: 0,
        ProjectStatus.ENGAGE: rng.randrange(10, 95, 5),
        ProjectStatus.REALISE: 100,
        ProjectStatus.SUSPENDU: rng.randrange(10, 60, 5),
        ProjectStatus.ABANDONNE: None,
    }[status]
    return {"status": status, "progress": progress, "start_date": start, "due_date": due}


def project_body(ambition, pilot, partners):
    partner_names = ", ".join(service.name for service in partners)
    partnership = f" en partenariat avec {partner_names}" if partners else ""
    return format_html(
        "<p>Ce projet est piloté par le service {}{}. Il concourt à l'ambition n° {} : « {} ».</p>",
        pilot.name,
        partnership,
        ambition["number"],
        ambition["title"],
    )


class DemoCopBuilder:
    def __init__(self, write=print):
        self.write = write
        self.created = 0

    def build(self, if_empty=False):
        services = self.build_services()
        accounts = self.create_accounts()
        if if_empty and AxisPage.objects.exists():
            self.write("Le COP contient déjà des axes : la démo n'est pas rechargée.")
        else:
            with transaction.atomic():
                self.build_cop(HomePage.objects.get(), services)
        self.print_accounts(accounts)
        return accounts

    def build_cop(self, home, services):
        if home.title != "Cahier d'objectifs partagés de Clamart":
            home.title = "Cahier d'objectifs partagés de Clamart"
            home.save_revision().publish()
        moderator = get_user_model().objects.filter(username="moderateur").first()
        for axis_data in data.AXES:
            axis = self.page(home, AxisPage, {"number": axis_data["number"]}, axis_data, moderator)
            for ambition_data in axis_data["ambitions"]:
                ambition = self.page(
                    axis, AmbitionPage, {"number": ambition_data["number"]}, ambition_data, moderator
                )
                for index, project_data in enumerate(ambition_data["projects"], start=1):
                    self.project(ambition, ambition_data, project_data, index, services, moderator)
            self.write(f"Axe {axis_data['number']} : {len(axis_data['ambitions'])} ambitions prêtes.")
        self.write(f"Démo du COP chargée : {self.created} page(s) créée(s).")

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

    def page(self, parent, model, lookup, entry, user, **fields):
        existing = model.objects.filter(**lookup).first()
        if existing:
            return existing
        page = model(title=entry["title"], slug=short_slug(entry["title"]), **lookup, **fields)
        if "intro" in entry:
            page.intro = f"<p>{entry['intro']}</p>"
        parent.add_child(instance=page)
        page.save_revision(user=user).publish(user=user)
        self.created += 1
        return page

    def project(self, ambition, ambition_data, entry, index, services, user):
        reference = f"{ambition_data['number']}.{index}"
        if ProjectPage.objects.filter(reference=reference).exists():
            return
        pilot = services[entry["pilot"]]
        partners = [services[slug] for slug in entry["partners"]]
        plan = project_plan(reference)
        project = ProjectPage(
            title=entry["title"],
            slug=short_slug(entry["title"]),
            reference=reference,
            summary=entry["summary"],
            body=project_body(ambition_data, pilot, partners),
            pilot_service=pilot,
            **plan,
        )
        project.services.add(pilot, *partners)
        ambition.add_child(instance=project)
        self.created += 1
        if project_serial(reference) % HISTORY_EVERY == 0:
            self.publish_earlier_version(project, plan, user)
        project.save_revision(user=user).publish(user=user)

    def publish_earlier_version(self, project, plan, user):
        """Publishes a first, backdated version: the project was only planned back then."""
        current = {field: getattr(project, field) for field in ("status", "progress")}
        project.status, project.progress = ProjectStatus.EN_PROJET, 0
        revision = project.save_revision(user=user)
        revision.publish(user=user)
        published_at = timezone.make_aware(datetime.datetime.combine(plan["start_date"], datetime.time(9)))
        Revision.objects.filter(pk=revision.pk).update(created_at=published_at)
        PageLogEntry.objects.filter(revision=revision).update(timestamp=published_at)
        ProjectPage.objects.filter(pk=project.pk).update(first_published_at=published_at)
        for field, value in current.items():
            setattr(project, field, value)

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
