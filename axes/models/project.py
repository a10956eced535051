import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from ..admin_forms import CopPageForm, ServicesField
from ..comparisons import ComparedPanel
from ..cops import cop_of, cop_reverse
from ..readers import Reader
from ..tree import REFERENCE_PATTERN
from .milestones import in_planned_order
from .querysets import ProjectQuerySet
from .reading import ReaderBodyMixin
from .services import ProjectService
from .status import ProjectStatus

# A reference's digits, padded so that the database orders "16.2" before "16.10".
REFERENCE_DIGITS = 20


def reference_order(reference):
    """What the database sorts projects by: each part of the reference, numbers before letters
    (as `tree.reference_sort_key` does in Python), numbers padded to one width."""
    return ".".join(
        f"0{part.zfill(REFERENCE_DIGITS)}" if part.isdigit() else f"1{part}"
        for part in re.split(r"[.-]", reference)
    )


class ProjectPageForm(CopPageForm):
    """The services picked from the controlled list, the pilot chosen once and counted among them."""

    services = ServicesField()

    def clean(self):
        cleaned_data = super().clean()
        pilot = cleaned_data.get("pilot_service")
        services = list(cleaned_data.get("services") or [])
        if pilot and pilot not in services:
            cleaned_data["services"] = [*services, pilot]
        return cleaned_data


class ProjectPage(ReaderBodyMixin, Page):
    """An operational project carried by the city's services under one ambition."""

    reference = models.CharField(
        "référence",
        max_length=20,
        validators=[
            RegexValidator(
                rf"^{REFERENCE_PATTERN}$",
                "Une référence se compose de chiffres et de lettres séparés par des points "
                "ou des tirets, par exemple 16.2.",
            )
        ],
        help_text="Référence stable, unique dans tout le COP, par exemple 16.2.",
    )
    summary = models.TextField("résumé", max_length=400, help_text="Texte simple, 400 caractères au plus.")
    body = RichTextField("description", blank=True)
    status = models.CharField("statut", max_length=20, choices=ProjectStatus, default=ProjectStatus.EN_PROJET)
    progress = models.PositiveSmallIntegerField(
        "avancement (%)",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="De 0 à 100, facultatif.",
    )
    start_date = models.DateField("date de début", null=True, blank=True)
    due_date = models.DateField("échéance", null=True, blank=True)
    pilot_service = models.ForeignKey(
        "axes.Service",
        on_delete=models.PROTECT,
        related_name="piloted_projects",
        verbose_name="service pilote",
    )
    services = ClusterTaggableManager(
        "services",
        through=ProjectService,
        blank=True,
        help_text="Tous les services impliqués, service pilote compris.",
    )
    continues = models.ForeignKey(
        "self",
        verbose_name="suite de",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="continuations",
        help_text="Le projet d'un COP précédent que celui-ci reprend.",
    )
    # Kept from the reference on each save: the explorer lists an ambition's projects by it.
    reference_order = models.CharField(max_length=255, editable=False, default="")

    objects = PageManager.from_queryset(ProjectQuerySet)()

    base_form_class = ProjectPageForm
    unique_in_cop = ("reference", "iexact")
    level = "project"

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("reference"), ComparedPanel("status")]),
        FieldPanel("summary", widget=forms.Textarea(attrs={"rows": 3})),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                ComparedPanel("progress"),
                FieldRowPanel([ComparedPanel("start_date"), ComparedPanel("due_date")]),
            ],
            heading="Avancement et calendrier",
        ),
        MultiFieldPanel([ComparedPanel("pilot_service"), ComparedPanel("services")], heading="Services"),
        InlinePanel("milestones", heading="Jalons", label="jalon"),
        InlinePanel("related_links", heading="Projets liés", label="projet lié"),
        FieldPanel("continues", read_only=True),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("reference"),
        index.AutocompleteField("reference"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("services", [index.SearchField("name")]),
        index.FilterField("reference"),
        index.FilterField("status"),
        index.FilterField("pilot_service"),
    ]

    # What the read API (api/) writes of a project, besides Wagtail's page fields.
    api_fields = [
        "reference",
        "summary",
        "body",
        "status",
        "progress",
        "start_date",
        "due_date",
        "pilot_service",
        "services",
    ]

    parent_page_types = ["axes.AmbitionPage"]
    subpage_types = []
    body_names = [
        "ambition",
        "axis",
        "breadcrumbs",
        "pilot_service",
        "partner_services",
        "related_projects",
        "continued_from",
        "continued_in",
        "milestones",
    ]

    class Meta:
        verbose_name = "projet"
        verbose_name_plural = "projets"

    def save(self, *args, **kwargs):
        self.reference_order = reference_order(self.reference)
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.start_date and self.due_date and self.due_date < self.start_date:
            raise ValidationError({"due_date": "L'échéance ne peut pas précéder la date de début."})

    @property
    def label(self):
        """ "Projet 16.2", "Fiche action 3.2", in the words of the page's COP."""
        return self.terms.project.named(self.reference)

    def get_admin_display_title(self):
        """ "16.2 · Titre": the reference that editors speak of, in every list of the admin."""
        return f"{self.reference} · {super().get_admin_display_title()}"

    @staticmethod
    def short_url_for(reference, cop=None):
        """`/projets/<ref>/`: the address of the project with that reference in `cop` (the current COP
        by default), across moves and renamings."""
        return cop_reverse(cop, "project_shortlink", reference=reference)

    @property
    def short_url(self):
        return self.short_url_for(self.reference, cop_of(self))

    @property
    def partner_services(self):
        """The services involved besides the pilot (from the prefetch cache when there is one)."""
        return [service for service in self.services.all() if service.pk != self.pilot_service_id]

    def body_context(self, reader):
        """Where the project sits, its services and related projects, which the page's cached
        fragments spare it from computing."""
        related_ids = self.related_links.values_list("related_project_id", flat=True)
        services = list(self.services.all())
        ambition = self.ancestor_above(1)
        axis = self.ancestor_above(2)
        return {
            "ambition": ambition,
            "axis": axis,
            "breadcrumbs": [axis, ambition],
            "pilot_service": next((s for s in services if s.pk == self.pilot_service_id), None),
            "partner_services": [s for s in services if s.pk != self.pilot_service_id],
            "related_projects": ProjectPage.objects.filter(pk__in=related_ids)
            .exclude(pk=self.pk)
            .listed_for(reader),
            "continued_from": self.carried_over_versions(ProjectPage.objects.filter(pk=self.continues_id)),
            "continued_in": self.carried_over_versions(self.continuations.all()),
            "milestones": in_planned_order(self.milestones.all(), timezone.localdate()),
        }

    @staticmethod
    def carried_over_versions(projects):
        """The versions of a project carried over from or into another COP, as any agent may read
        them there (the reader of this page reads this COP only)."""
        return [
            project
            for project in projects.live().select_related("pilot_service")
            if Reader.of(None, cop_of(project)).sees(project)
        ]


class ProjectRelation(Orderable):
    """A project that a reader of this one should also see."""

    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="related_links")
    related_project = models.ForeignKey(
        ProjectPage,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="projet lié",
    )

    panels = [FieldPanel("related_project")]

    class Meta(Orderable.Meta):
        verbose_name = "projet lié"
        verbose_name_plural = "projets liés"
