"""Yearly update campaigns: the projects a campaign asks about, each service's answers, its close.

Only a project's pilot service answers for it: the pilot is accountable for the project's facts, so
a project shared by several services is asked once, of one service, and each service's completion
counts each project once. (Partners may still propose changes: any proposal answers for the project.)
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from axes.cops import cop_of
from axes.models import ProjectPage, Service
from history.models import Edition
from utils.typography import day

from .models import Campaign, CampaignAnswer

# The référents' permission (editorial.roles), named here: followup does not import editorial.
REFERENT_PERMISSION = "editorial.propose_update"

ALREADY_CLOSED = "La campagne « {name} » est déjà close depuis le {date} : elle ne se clôt qu'une fois."
CLOSED = "La campagne « {name} » est close depuis le {date} : les réponses ne s'enregistrent plus."
NOT_THE_PILOTS_REFERENT = (
    "Seuls les référents du service pilote {of_project} confirment qu'{pronoun} est à jour. "
    "Si c'est votre cas, demandez à un administrateur du COP de l'indiquer sur votre compte."
)


class CampaignRefusal(Exception):
    """What refuses a change to a campaign, in French."""


@dataclass(frozen=True)
class Completion:
    """How many of a service's projects (or of the COP's) have an answer."""

    answered: int = 0
    total: int = 0

    @property
    def percent(self):
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def complete(self):
        return self.answered == self.total

    def __add__(self, other):
        return Completion(self.answered + other.answered, self.total + other.total)


def open_campaign(cop):
    """The campaign open in `cop`, or None (there is one at most)."""
    if cop is None:
        return None
    return Campaign.objects.open().filter(cop=cop).select_related("cop").first()


def campaign_projects(campaign):
    """The live projects of the campaign's COP, as they stand: one published since it opened is
    asked too, one withdrawn is no longer."""
    return ProjectPage.objects.live().descendant_of(campaign.cop)


def piloted_by(projects, services):
    return projects.filter(pilot_service__in=services)


def unanswered(projects, campaign):
    return projects.exclude(Exists(campaign.answers.filter(project=OuterRef("pk"))))


def completion_by_service(campaign):
    """[(service, Completion)] for every service piloting projects of the campaign, by name, in two
    queries whatever the number of projects and services."""
    rows = (
        campaign_projects(campaign)
        .annotate(answered=Exists(campaign.answers.filter(project=OuterRef("pk"))))
        .values("pilot_service")
        .annotate(total=Count("pk"), answered_count=Count("pk", filter=Q(answered=True)))
        .order_by()
    )
    completions = {row["pilot_service"]: Completion(row["answered_count"], row["total"]) for row in rows}
    services = Service.objects.filter(pk__in=completions).order_by("name")
    return [(service, completions[service.pk]) for service in services]


def overall(completions):
    return sum((completion for _, completion in completions), Completion())


def answers_by_project(campaign, projects):
    """{project id: its answer} for `projects` (a list), in one query."""
    answers = campaign.answers.filter(project__in=[project.pk for project in projects]).select_related("user")
    return {answer.project_id: answer for answer in answers}


def record_answer(campaign, project, user, answer):
    """Records the project's answer; the latest one stands. Returns False when the project had that
    answer already: the answer, its author and its date stay as they were."""
    with transaction.atomic():
        record, created = CampaignAnswer.objects.select_for_update().get_or_create(
            campaign=campaign, project=project, defaults={"answer": answer, "user": user}
        )
        if created:
            return True
        if record.answer == answer:
            return False
        record.answer, record.user, record.at = answer, user, timezone.now()
        record.save(update_fields=["answer", "user", "at"])
        return True


def campaign_open_for(project):
    """The campaign open in the COP that holds `project`, or None."""
    return open_campaign(cop_of(project))


def is_referent(user):
    return user.is_authenticated and user.has_perm(REFERENT_PERMISSION)


def may_answer(user, project):
    """A référent of the project's pilot service (see the module's docstring)."""
    return is_referent(user) and user.services.filter(pk=project.pilot_service_id).exists()


def confirm_refusal(campaign, project, user):
    """Why `user` may not confirm `project` in `campaign` now, in French; None if they may."""
    if not campaign.is_open:
        return CLOSED.format(name=campaign.name, date=day(campaign.closed_at))
    if campaign.cop.archived:
        return campaign.cop.read_only_message
    if not may_answer(user, project):
        level = project.terms.project
        pronoun = "elle" if level.feminine else "il"
        return NOT_THE_PILOTS_REFERENT.format(of_project=level.of, pronoun=pronoun)
    return None


def close(campaign, user):
    """Closes the campaign and records the COP as it stands today as an edition named after it,
    which the comparison of the COP's evolutions offers. Raises CampaignRefusal if it is closed."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("cop").get(pk=campaign.pk)
        if not campaign.is_open:
            raise CampaignRefusal(ALREADY_CLOSED.format(name=campaign.name, date=day(campaign.closed_at)))
        now = timezone.now()
        campaign.edition = Edition.objects.create(
            name=campaign.name, date=timezone.localdate(now), description=edition_description(campaign)
        )
        campaign.closed_at, campaign.closed_by = now, user
        campaign.save(update_fields=["edition", "closed_at", "closed_by"])
    return campaign


def edition_description(campaign):
    """ "Clôture de « Revue annuelle 2026 » (COP 2026–2032) : une réponse pour 42 projets sur 80."."""
    done = overall(completion_by_service(campaign))
    level = campaign.cop.terms.project
    return (
        f"Clôture de « {campaign.name} » ({campaign.cop.title}) : une réponse pour "
        f"{level.count(done.answered)} sur {done.total}."
    )
