"""What the follow-up of the projects keeps: the reminders sent to the référents, and the yearly
reviews (campaigns) with each project's answer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from utils.typography import day, moment

ONE_OPEN_CAMPAIGN = "Une campagne est déjà ouverte dans ce COP : clôturez-la avant d'en ouvrir une autre."


class ReminderSent(models.Model):
    """A weekly reminder mailed to a référent: a second one waits for the next week."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders_sent",
        verbose_name="référent",
    )
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "rappel envoyé"
        verbose_name_plural = "rappels envoyés"
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["user", "sent_at"], name="followup_reminder_user_sent")]

    def __str__(self):
        return f"{self.user} : {moment(self.sent_at)}"


class CampaignQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class Campaign(models.Model):
    """A review that asks every service to confirm or update each of its projects ("Revue annuelle
    2026"): opened and closed by the moderators; its close is an edition of the COP."""

    cop = models.ForeignKey(
        "axes.HomePage",
        on_delete=models.CASCADE,
        related_name="campaigns",
        verbose_name="COP",
        help_text="Le COP dont les services revoient leurs projets.",
    )
    name = models.CharField("nom", max_length=120, help_text="Par exemple « Revue annuelle 2026 ».")
    deadline = models.DateField(
        "date limite", help_text="Le jour où les réponses des services sont attendues."
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ouverte par",
    )
    opened_at = models.DateTimeField("ouverte le", default=timezone.now)
    closed_at = models.DateTimeField("close le", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="close par",
    )
    edition = models.ForeignKey(
        "history.Edition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name="édition",
        help_text="L'état du COP à la clôture, que la comparaison des évolutions propose.",
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "campagne de mise à jour"
        verbose_name_plural = "campagnes de mise à jour"
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cop"],
                condition=Q(closed_at__isnull=True),
                name="followup_one_open_campaign_per_cop",
                violation_error_message=ONE_OPEN_CAMPAIGN,
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        return self.closed_at is None

    @property
    def state_label(self):
        """ "En cours jusqu'au 30 juin 2026", "Close le 2 juillet 2026"."""
        if self.is_open:
            return f"En cours jusqu'au {day(self.deadline)}"
        return f"Close le {day(self.closed_at)}"


class Answer(models.TextChoices):
    UP_TO_DATE = "a_jour", "À jour"
    CHANGES_PROPOSED = "modifications_proposees", "Modifications proposées"


class CampaignAnswer(models.Model):
    """A service's answer for one of its projects: confirmed as it is, or with changes proposed."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="answers", verbose_name="campagne"
    )
    project = models.ForeignKey(
        "axes.ProjectPage",
        on_delete=models.CASCADE,
        related_name="campaign_answers",
        verbose_name="projet",
    )
    answer = models.CharField("réponse", max_length=30, choices=Answer)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="référent",
    )
    at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "réponse à une campagne"
        verbose_name_plural = "réponses aux campagnes"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "project"], name="followup_one_answer_per_project")
        ]

    def __str__(self):
        return f"{self.campaign} – {self.project_id} : {self.get_answer_display()}"
