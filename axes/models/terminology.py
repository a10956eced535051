"""Each COP's own words for its three levels and its statuses: "Axe 2" or "Orientation 2",
"l'ambition" or "l'objectif", "Projet 16.2" or "Fiche action 3.2".

The words are fields of the COP (`TerminologyFields`); `Terminology` is what the code and the
templates read. The defaults are the words of the first COPs: Axe / Ambition / Projet.
"""

from dataclasses import dataclass, field

from django.db import models

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from utils import typography
from utils.typography import elide

from .status import ProjectStatus

NUMBERING_CHOICES = [("", "Nom suivi du numéro (Axe 2)"), ("n° ", "Nom, « n° » et numéro (Ambition n° 16)")]


@dataclass(frozen=True)
class Level:
    """How a COP calls one level of its tree."""

    singular: str
    plural: str
    feminine: bool = False
    numbering: str = ""

    @property
    def title(self):
        """ "Axe", "Fiche action": the name at the start of a sentence or a heading."""
        return capitalised(self.singular)

    @property
    def title_plural(self):
        return capitalised(self.plural)

    def named(self, number):
        """ "Axe 2", "Ambition n° 16", "Fiche action 3.2"."""
        return f"{self.title} {self.numbering}{number}"

    @property
    def the(self):
        """ "l'axe", "la priorité", "le projet"."""
        return elide("la" if self.feminine else "le", self.singular)

    @property
    def the_plural(self):
        return f"les {self.plural}"

    @property
    def a(self):
        """ "un axe", "une ambition"."""
        return f"{'une' if self.feminine else 'un'} {self.singular}"

    @property
    def of(self):
        """ "de l'axe", "du projet", "de la priorité"."""
        if self.feminine or self.the != f"le {self.singular}":
            return f"de {self.the}"
        return f"du {self.singular}"

    @property
    def this(self):
        """ "cet axe", "cette ambition", "ce projet"."""
        if self.feminine:
            return f"cette {self.singular}"
        return f"{'cet' if self.the.startswith('l’') else 'ce'} {self.singular}"

    def count(self, number):
        """ "1 axe", "3 fiches action"."""
        return typography.count(number, self.singular, self.plural)

    def the_numbered(self, number):
        """ "l’ambition n° 16", "la fiche action 3.2", in a sentence."""
        return f"{self.the} {self.numbering}{number}"

    def agreed(self, adjective):
        """ "créé" or "créée", as the name's gender asks."""
        return f"{adjective}e" if self.feminine else adjective

    @property
    def other(self):
        """ "un autre axe", "une autre ambition"."""
        return f"{'une autre' if self.feminine else 'un autre'} {self.singular}"


@dataclass(frozen=True)
class Terminology:
    axis: Level = Level("axe", "axes")
    ambition: Level = Level("ambition", "ambitions", feminine=True, numbering="n° ")
    project: Level = Level("projet", "projets")
    status_labels: dict = field(default_factory=dict, hash=False, compare=False)

    def status_label(self, code):
        return self.status_labels.get(code) or dict(ProjectStatus.choices).get(code, code)


DEFAULT = Terminology()


def capitalised(text):
    return text[:1].upper() + text[1:]


def level_fields(default):
    """The four fields that name one level, with the defaults' words."""
    return (
        models.CharField(
            "nom au singulier", max_length=40, default=default.singular, help_text="En minuscules : « axe »."
        ),
        models.CharField("nom au pluriel", max_length=40, default=default.plural),
        models.BooleanField("nom féminin", default=default.feminine),
        models.CharField(
            "numérotation", max_length=4, blank=True, default=default.numbering, choices=NUMBERING_CHOICES
        ),
    )


def status_field(status):
    return models.CharField(
        f"libellé du statut « {status.label} »",
        max_length=40,
        blank=True,
        help_text=f"Vide : « {status.label} ».",
    )


LEVELS = {"axis": "Premier niveau", "ambition": "Deuxième niveau", "project": "Troisième niveau"}


class TerminologyFields(models.Model):
    """The COP's words, set in the admin (tab "Vocabulaire")."""

    axis_singular, axis_plural, axis_feminine, axis_numbering = level_fields(DEFAULT.axis)
    ambition_singular, ambition_plural, ambition_feminine, ambition_numbering = level_fields(DEFAULT.ambition)
    project_singular, project_plural, project_feminine, project_numbering = level_fields(DEFAULT.project)
    status_en_projet = status_field(ProjectStatus.EN_PROJET)
    status_engage = status_field(ProjectStatus.ENGAGE)
    status_realise = status_field(ProjectStatus.REALISE)
    status_suspendu = status_field(ProjectStatus.SUSPENDU)
    status_abandonne = status_field(ProjectStatus.ABANDONNE)

    class Meta:
        abstract = True

    terminology_panels = [
        *(
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel(f"{level}_singular"), FieldPanel(f"{level}_plural")]),
                    FieldRowPanel([FieldPanel(f"{level}_feminine"), FieldPanel(f"{level}_numbering")]),
                ],
                heading,
            )
            for level, heading in LEVELS.items()
        ),
        MultiFieldPanel([FieldPanel(f"status_{code}") for code in ProjectStatus.values], "Statuts"),
    ]

    @property
    def terminology(self):
        def level(name):
            return Level(
                getattr(self, f"{name}_singular"),
                getattr(self, f"{name}_plural"),
                getattr(self, f"{name}_feminine"),
                getattr(self, f"{name}_numbering"),
            )

        labels = {code: getattr(self, f"status_{code}") for code in ProjectStatus.values}
        return Terminology(level("axis"), level("ambition"), level("project"), labels)
