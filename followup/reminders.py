"""The référents' weekly reminder: what their services owe in the current COP, in one mail each.

What is owed is read as the editors' dashboard reads it (the domain's `past_due`, `stale`, late
milestones), with the indicators whose value is due and, as a campaign's deadline nears, its
projects still unanswered: the live projects and indicators that the référent's services pilot (see
followup.campaigns on why the pilot) and that the référent may read. What already waits for the
moderators is left out: a proposal has answered it, and its form would only say so.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from wagtail.models import Page, WorkflowState

from axes.cops import cop_reverse
from axes.models import Milestone, ProjectPage
from axes.readers import Reader
from history.publications import start_of_day
from home.models import CityIdentity
from indicators.models import Indicator
from indicators.progress import next_value_due
from utils.typography import NBSP, count, day

from .campaigns import REFERENT_PERMISSION, campaign_projects, open_campaign, piloted_by, unanswered
from .models import ReminderSent

# A reminder a week at most: one sent on a Monday allows the next one on the following Monday.
DAYS_BETWEEN_REMINDERS = 7
IN_REVIEW = WorkflowState.STATUS_IN_PROGRESS
PROPOSAL_FORM = "le formulaire de proposition d'une mise à jour"


def absolute(path):
    """An address that works from a mail client: on the site's public address (COP_BASE_URL)."""
    return settings.COP_BASE_URL + path


@dataclass
class Item:
    """One thing owed: a project, a project's late milestones, an indicator."""

    title: str
    detail: str
    url: str


@dataclass
class Section:
    """The items of one kind, under a heading in the COP's words."""

    heading: str
    items: list
    opens: str  # what its links open: "le formulaire de proposition d'une mise à jour"


@dataclass
class Reminder:
    user: object
    cop: object
    services: list
    sections: list = field(default_factory=list)
    city: CityIdentity = field(default_factory=CityIdentity.for_default_site)

    @property
    def count(self):
        return sum(len(section.items) for section in self.sections)

    @property
    def your_services(self):
        return "vos services" if len(self.services) > 1 else "votre service"

    @property
    def subject(self):
        """ "COP de Clamart : 3 points à mettre à jour pour votre service"."""
        points = count(self.count, "point")
        return f"{self.city.cop_name}{NBSP}: {points} à mettre à jour pour {self.your_services}"

    @property
    def greeting_name(self):
        return self.user.first_name or self.user.get_username()

    @property
    def service_names(self):
        return ", ".join(service.name for service in self.services)


def referents():
    """The active référents with an address and a service: the users given the référents'
    permission, through a group or on their own (an administrator is none by that alone)."""
    app_label, codename = REFERENT_PERMISSION.split(".")
    granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(Q(groups__permissions__in=granted) | Q(user_permissions__in=granted))
        .filter(is_active=True, services__isnull=False)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def proposal_url(cop, project):
    return absolute(cop_reverse(cop, "propose_update", reference=project.reference))


def project_title(project):
    return f"{project.label} : {project.title}"


def past_due_section(cop, projects, today):
    terms = cop.terms
    late = projects.past_due(today).order_by("due_date", "path")
    items = [
        Item(
            project_title(project),
            f"échéance le {day(project.due_date)}, {terms.status_label(project.status).lower()}",
            proposal_url(cop, project),
        )
        for project in late
    ]
    heading = f"{terms.project.title_plural} dont l'échéance est dépassée"
    return Section(heading, items, PROPOSAL_FORM)


def late_milestones_section(cop, projects, today):
    """One item per project, naming its late milestones: its link opens the proposal form at the
    milestones, where their done dates are set."""
    late = Milestone.objects.late(today).filter(project__in=projects).select_related("project")
    by_project = {}
    for milestone in late.order_by("project__path", "planned_date", "pk"):
        by_project.setdefault(milestone.project, []).append(milestone)
    items = [
        Item(project_title(project), milestones_due(milestones), proposal_url(cop, project) + "#jalons")
        for project, milestones in by_project.items()
    ]
    return Section("Jalons en retard", items, f"{PROPOSAL_FORM}, où indiquer leur date de réalisation")


def milestones_due(milestones):
    """ "« Appel d'offres », prévu le 1er mars 2026 ; « Travaux », prévu le 2 avril 2026"."""
    return " ; ".join(
        f"« {milestone.title} », prévu le {day(milestone.planned_date)}" for milestone in milestones
    )


def stale_section(cop, projects, now):
    """Those not past due: the section above already asks for their update."""
    today = timezone.localdate(now)
    stale = projects.stale(now).exclude(pk__in=projects.past_due(today).values("pk"))
    items = [
        Item(
            project_title(project),
            f"{cop.terms.project.agreed('publié')} pour la dernière fois le {day(project.last_published_at)}",
            proposal_url(cop, project),
        )
        for project in stale.order_by("last_published_at", "path")
    ]
    months = count(settings.COP_STALE_AFTER_MONTHS, "mois", "mois")
    heading = f"{cop.terms.project.title_plural} sans mise à jour depuis {months}"
    return Section(heading, items, PROPOSAL_FORM)


def indicators_section(cop, services, reader, today):
    indicators = (
        Indicator.objects.readable_by(reader)
        .filter(service__in=services)
        .exclude(pk__in=Indicator.objects.filter(workflow_states__status=IN_REVIEW).values("pk"))
    )
    items = [
        Item(
            indicator.name,
            f"nouvelle valeur attendue depuis le {day(next_value_due(indicator, indicator.latest_date))}",
            absolute(cop_reverse(cop, "propose_indicator_value", slug=indicator.slug)),
        )
        for indicator in sorted(indicators.with_values_due(today), key=lambda indicator: indicator.name)
    ]
    return Section(
        "Indicateurs dont une valeur est attendue", items, "le formulaire de proposition d'une valeur"
    )


def campaign_section(cop, services, reader, today):
    """The campaign's projects still unanswered, once its deadline is near (or past)."""
    campaign = open_campaign(cop)
    near = today + timedelta(days=settings.COP_CAMPAIGN_REMINDER_DAYS)
    if campaign is None or campaign.deadline > near:
        return None
    projects = unanswered(piloted_by(reader.pages(campaign_projects(campaign)), services), campaign)
    page = absolute(cop_reverse(cop, "campaign_detail", pk=campaign.pk))
    items = [
        Item(project_title(project), "pas encore de réponse", f"{page}#projet-{project.pk}")
        for project in sorted(projects, key=lambda project: project.path)
    ]
    heading = f"{campaign.name} : {cop.terms.project.plural} à confirmer avant le {day(campaign.deadline)}"
    return Section(heading, items, "la page de la campagne, où confirmer ou proposer des modifications")


def build_reminder(user, cop, now):
    """What `user`'s services owe in `cop` at `now`: the sections that have items."""
    services = list(user.services.order_by("name"))
    reader = Reader.of(user, cop)
    today = timezone.localdate(now)
    # Wagtail keeps a page's workflow under its base type, Page: read from there.
    in_review = Page.objects.filter(_workflow_states__status=IN_REVIEW).values("pk")
    projects = piloted_by(reader.pages(ProjectPage.objects.all()), services).exclude(pk__in=in_review)
    sections = [
        past_due_section(cop, projects, today),
        late_milestones_section(cop, projects, today),
        stale_section(cop, projects, now),
        indicators_section(cop, services, reader, today),
        campaign_section(cop, services, reader, today),
    ]
    kept = [section for section in sections if section is not None and section.items]
    return Reminder(user, cop, services, kept)


def reminder_message(reminder, connection=None):
    context = {"reminder": reminder, "site_url": absolute("/")}
    with override("fr"):
        text = render_to_string("followup/reminder.txt", context)
        html = render_to_string("followup/reminder.html", context)
    message = EmailMultiAlternatives(
        subject=reminder.subject,
        body=text,
        to=[reminder.user.email],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


def reminded_recently(user, now):
    """Whether a reminder went to `user` within the week (counted in the city's days)."""
    since = start_of_day(timezone.localdate(now) - timedelta(days=DAYS_BETWEEN_REMINDERS - 1))
    return ReminderSent.objects.filter(user=user, sent_at__gte=since).exists()


def send_reminder(user_id, cop, now, force=False, dry_run=False, connection=None):
    """Mails the référent their reminder, unless one went this week (`force` sends it anyway) or
    nothing is due, and records it. Returns the reminder, or None when it was not due this week.

    The référent's row is locked while it is decided: two runs at once send one reminder."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user_id)
        if not force and reminded_recently(user, now):
            return None
        reminder = build_reminder(user, cop, now)
        if reminder.count and not dry_run:
            reminder_message(reminder, connection).send()
            ReminderSent.objects.create(user=user, sent_at=now)
    return reminder
