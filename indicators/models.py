"""The COP's indicators: what tells the directors whether an objective is being met.

An indicator is a snippet with drafts, revisions and the COP's workflow, and its targets and values
are its children: they are saved with its revisions, so a value becomes visible to readers only when
a moderator publishes it, and each publication is a version of the indicator, as a page's is.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Exists, Max, OuterRef, Q

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import DraftStateMixin, LockableMixin, Orderable, RevisionMixin, WorkflowMixin

from axes.models import AmbitionPage, ProjectPage

from .forms import IndicatorForm
from .progress import is_value_due


class Direction(models.TextChoices):
    UP = "hausse", "À la hausse"
    DOWN = "baisse", "À la baisse"


class IndicatorQuerySet(models.QuerySet):
    def readable_by(self, reader):
        """The live indicators of the reader's COP, but not those whose every ambition and project is
        hidden from the reader (a private page's indicator is as private as the page)."""
        linked_pages = Q(ambitions__isnull=False) | Q(projects__isnull=False)
        return (
            self.filter(live=True, cop__path__in=reader.scopes)
            .annotate(
                _sees_an_ambition=Exists(
                    AmbitionPage.objects.filter(reader.readable_q(), indicators=OuterRef("pk"))
                ),
                _sees_a_project=Exists(
                    ProjectPage.objects.filter(reader.readable_q(), indicators=OuterRef("pk"))
                ),
                _is_linked=Exists(Indicator.objects.filter(linked_pages, pk=OuterRef("pk"))),
            )
            .filter(Q(_sees_an_ambition=True) | Q(_sees_a_project=True) | Q(_is_linked=False))
        )

    def with_series(self):
        """With their targets and values in two queries, whatever their number (`progress.Progress`)."""
        return self.select_related("service").prefetch_related("values", "targets")

    def with_values_due(self, today):
        """The indicators whose next value is due by `today` (`update_months` after their latest)."""
        indicators = self.annotate(latest_date=Max("values__date"))
        return [
            indicator for indicator in indicators if is_value_due(indicator, indicator.latest_date, today)
        ]


class Indicator(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    cop = models.ForeignKey(
        "axes.HomePage",
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name="COP",
        help_text="Le COP dont l'indicateur mesure les objectifs.",
    )
    name = models.CharField("nom", max_length=255)
    slug = models.SlugField(
        "identifiant",
        max_length=100,
        allow_unicode=False,
        help_text="Son adresse : /indicateurs/<identifiant>/, unique dans le COP.",
    )
    definition = models.TextField("définition", help_text="Ce que l'indicateur mesure, et comment.")
    unit = models.CharField("unité", max_length=40, help_text="Par exemple « % », « tonnes », « places ».")
    direction = models.CharField(
        "sens d'amélioration",
        max_length=10,
        choices=Direction,
        default=Direction.UP,
        help_text="L'indicateur s'améliore-t-il quand sa valeur monte, ou quand elle baisse ?",
    )
    service = models.ForeignKey(
        "axes.Service",
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name="service responsable",
        help_text="Le service qui renseigne ses valeurs.",
    )
    baseline_value = models.DecimalField("valeur de référence", max_digits=20, decimal_places=4)
    baseline_date = models.DateField("date de la valeur de référence")
    source = models.CharField("source", max_length=255, help_text="D'où viennent les valeurs.")
    update_months = models.PositiveSmallIntegerField(
        "fréquence de mise à jour (en mois)",
        default=12,
        help_text="Une nouvelle valeur est attendue ce nombre de mois après la dernière.",
    )
    ambitions = ParentalManyToManyField(
        AmbitionPage, blank=True, related_name="indicators", verbose_name="ambitions"
    )
    projects = ParentalManyToManyField(
        ProjectPage, blank=True, related_name="indicators", verbose_name="projets"
    )

    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="indicator",
        for_concrete_model=False,
    )
    revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="indicator",
        for_concrete_model=False,
    )

    objects = IndicatorQuerySet.as_manager()

    base_form_class = IndicatorForm

    class Meta:
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["cop", "slug"], name="indicator_slug_unique_in_cop")]

    def __str__(self):
        return self.name


class IndicatorTarget(Orderable):
    """A value that the COP aims at, by a date."""

    indicator = ParentalKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    date = models.DateField("échéance")
    value = models.DecimalField("valeur cible", max_digits=20, decimal_places=4)

    class Meta(Orderable.Meta):
        verbose_name = "cible"
        verbose_name_plural = "cibles"

    def __str__(self):
        return f"{self.value} au {self.date}"


class IndicatorValue(models.Model):
    """A measure of the indicator at a date, with who entered it and when."""

    indicator = ParentalKey(Indicator, on_delete=models.CASCADE, related_name="values")
    date = models.DateField("date")
    value = models.DecimalField("valeur", max_digits=20, decimal_places=4)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisie par",
    )
    entered_at = models.DateTimeField("saisie le", null=True, blank=True)

    panels = ["date", "value"]

    class Meta:
        verbose_name = "valeur"
        verbose_name_plural = "valeurs"
        ordering = ["date"]

    def __str__(self):
        return f"{self.value} au {self.date}"
