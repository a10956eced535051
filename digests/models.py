import calendar
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from history.publications import start_of_day


class Scope(models.TextChoices):
    COP = "cop", "COP entier"
    AXIS = "axe", "axe"
    SERVICE = "service", "service"


class Frequency(models.TextChoices):
    WEEKLY = "hebdomadaire", "hebdomadaire"
    MONTHLY = "mensuelle", "mensuelle"


# How often, in the words of the forms and messages: "vous recevrez chaque semaine un résumé…".
RHYTHMS = {Frequency.WEEKLY: "chaque semaine", Frequency.MONTHLY: "chaque mois"}


def month_before(day):
    """The same day one calendar month earlier, or that month's last day (31 March → 28 February)."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class SubscriptionQuerySet(models.QuerySet):
    def due(self, now):
        """The subscriptions whose digest is due at `now`: a week or a calendar month after the day
        they were last covered. Counted in local days (TIME_ZONE), so that a daily run a few seconds later
        than the last one does not put a digest off by a day."""
        today = timezone.localdate(now)
        weekly = Q(frequency=Frequency.WEEKLY, covered_until__lt=start_of_day(today - timedelta(days=6)))
        monthly = Q(
            frequency=Frequency.MONTHLY,
            covered_until__lt=start_of_day(month_before(today) + timedelta(days=1)),
        )
        return self.filter(weekly | monthly)


class Subscription(models.Model):
    """An agent's subscription to an e-mail digest of what was published in the COP, or in a part of it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_subscriptions",
        verbose_name="agent",
    )
    scope = models.CharField("portée", max_length=10, choices=Scope)
    axis = models.ForeignKey(
        "axes.AxisPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="digest_subscriptions",
        verbose_name="axe",
    )
    service = models.ForeignKey(
        "axes.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="digest_subscriptions",
        verbose_name="service",
    )
    frequency = models.CharField("fréquence", max_length=12, choices=Frequency, default=Frequency.WEEKLY)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    covered_until = models.DateTimeField(
        "évolutions envoyées jusqu'au",
        default=timezone.now,
        help_text="Les évolutions publiées jusqu'à cet instant ont été envoyées à l'agent.",
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = "abonnement aux évolutions"
        verbose_name_plural = "abonnements aux évolutions"
        constraints = [
            models.CheckConstraint(
                condition=Q(scope=Scope.COP, axis__isnull=True, service__isnull=True)
                | Q(scope=Scope.AXIS, axis__isnull=False, service__isnull=True)
                | Q(scope=Scope.SERVICE, axis__isnull=True, service__isnull=False),
                name="digests_subscription_target_matches_scope",
                violation_error_message="Un abonnement porte sur le COP entier, un axe ou un service.",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(scope=Scope.COP), name="digests_one_cop_subscription_per_user"
            ),
            models.UniqueConstraint(
                fields=["user", "axis"],
                condition=Q(scope=Scope.AXIS),
                name="digests_one_subscription_per_user_and_axis",
            ),
            models.UniqueConstraint(
                fields=["user", "service"],
                condition=Q(scope=Scope.SERVICE),
                name="digests_one_subscription_per_user_and_service",
            ),
        ]

    def __str__(self):
        return f"{self.user} : {self.target_label} ({self.frequency})"

    @property
    def target(self):
        return (
            self.axis if self.scope == Scope.AXIS else self.service if self.scope == Scope.SERVICE else None
        )

    @property
    def target_label(self):
        """ "COP entier", "Axe 2 : Accompagner la transition numérique", "Service Éducation"."""
        if self.scope == Scope.AXIS:
            return f"{self.axis.label} : {self.axis.title}"
        if self.scope == Scope.SERVICE:
            return f"Service {self.service.name}"
        return "COP entier"

    @property
    def of_target(self):
        """ "du COP entier", "de l'axe 2 (Accompagner la transition numérique)", "du service Éducation"."""
        if self.scope == Scope.AXIS:
            words = self.axis.terms.axis
            return f"{words.of} {words.numbering}{self.axis.number} ({self.axis.title})"
        if self.scope == Scope.SERVICE:
            return f"du service {self.service.name}"
        return "du COP entier"

    @property
    def rhythm(self):
        return RHYTHMS[self.frequency]

    @property
    def frequency_adjective(self):
        """ "hebdomadaire" or "mensuel", agreeing with "résumé"."""
        return "mensuel" if self.frequency == Frequency.MONTHLY else "hebdomadaire"
