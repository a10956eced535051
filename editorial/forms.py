from django import forms
from django.utils import timezone
from django.utils.text import capfirst

from axes.models import ProjectStatus
from indicators.values import BadValue, read_value
from utils.typography import day

from .proposals import MilestoneChanges

# The fields of a project that a référent may change, named as on ProjectPage.
PROJECT_FIELDS = ("status", "progress", "start_date", "due_date")
NEW_MILESTONE_FIELDS = ("new_milestone_title", "new_milestone_planned_date")


def date_picker():
    """The browser's date picker, which reads and writes ISO dates whatever the language."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProposalForm(forms.Form):
    """A référent's update of a project: what they may change, and a word for the moderators."""

    status = forms.ChoiceField(label="Statut", choices=ProjectStatus.choices)
    progress = forms.IntegerField(
        label="Avancement (%)",
        min_value=0,
        max_value=100,
        required=False,
        help_text="De 0 à 100, facultatif.",
    )
    start_date = forms.DateField(label="Date de début", required=False, widget=date_picker())
    due_date = forms.DateField(label="Échéance", required=False, widget=date_picker())
    new_milestone_title = forms.CharField(label="Intitulé", max_length=255, required=False)
    new_milestone_planned_date = forms.DateField(label="Date prévue", required=False, widget=date_picker())
    note = forms.CharField(
        label="Note aux modérateurs",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce qui a changé et pourquoi : les modérateurs la lisent avant de valider.",
    )

    def __init__(self, *args, milestones=(), **kwargs):
        """`milestones`: the project's published ones, each with its `state` (a done date per milestone)."""
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.milestones = {f"milestone_{milestone.pk}_done_date": milestone for milestone in milestones}
        for name, milestone in self.milestones.items():
            self.fields[name] = forms.DateField(
                label=f"« {milestone.title} » réalisé le",
                required=False,
                initial=milestone.done_date,
                widget=date_picker(),
                help_text=milestone_help(milestone),
            )

    @property
    def project_fields(self):
        return [self[name] for name in PROJECT_FIELDS]

    @property
    def milestone_fields(self):
        return [self[name] for name in self.milestones]

    @property
    def new_milestone_fields(self):
        return [self[name] for name in NEW_MILESTONE_FIELDS]

    def clean(self):
        cleaned_data = super().clean()
        start, due = cleaned_data.get("start_date"), cleaned_data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", "L'échéance ne peut pas précéder la date de début.")
        for name in self.milestones:
            if (done := cleaned_data.get(name)) and done > self.today:
                self.add_error(
                    name, "Un jalon se déclare réalisé une fois qu'il l'est : pas à une date future."
                )
        self.check_new_milestone(cleaned_data)
        if not self.changes():
            raise forms.ValidationError(
                "Modifiez au moins une information du projet (statut, avancement, dates ou jalons) "
                "avant d'envoyer votre proposition."
            )
        return cleaned_data

    def check_new_milestone(self, cleaned_data):
        title, planned = (
            cleaned_data.get("new_milestone_title", ""),
            cleaned_data.get("new_milestone_planned_date"),
        )
        if title and not planned and "new_milestone_planned_date" not in self.errors:
            self.add_error("new_milestone_planned_date", "Indiquez la date prévue du nouveau jalon.")
        if planned and not title:
            self.add_error("new_milestone_title", "Donnez un intitulé au nouveau jalon.")

    def changes(self):
        """The project's fields that the référent changed, with their new values, and their changes
        to its milestones under "milestones"."""
        changes = {name: self.cleaned_data.get(name) for name in PROJECT_FIELDS if name in self.changed_data}
        milestones = MilestoneChanges(
            done_dates={
                milestone.pk: self.cleaned_data[name]
                for name, milestone in self.milestones.items()
                if name in self.changed_data and name in self.cleaned_data
            },
            new=self.new_milestone(),
        )
        if milestones:
            changes["milestones"] = milestones
        return changes

    def new_milestone(self):
        """((title, planned date),) when both are given, else ()."""
        title, planned = (
            self.cleaned_data.get("new_milestone_title"),
            self.cleaned_data.get("new_milestone_planned_date"),
        )
        return ((title, planned),) if title and planned else ()

    @classmethod
    def initial_from(cls, project):
        return {name: getattr(project, name) for name in PROJECT_FIELDS}


def milestone_help(milestone):
    """ "Prévu le 3 mars 2025, en retard. Vide tant qu'il n'est pas réalisé." """
    late = ", en retard" if milestone.state == "late" else ""
    return f"Prévu le {day(milestone.planned_date)}{late}. Vide tant qu'il n'est pas réalisé."


class ValueProposalForm(forms.Form):
    """A référent's new value of an indicator, at a date, and a word for the moderators."""

    date = forms.DateField(
        label="Date de la valeur",
        widget=date_picker(),
        help_text="Une valeur déjà publiée à cette date est remplacée.",
    )
    value = forms.CharField(label="Valeur", max_length=40)
    note = forms.CharField(
        label="Note aux modérateurs",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="D'où vient la valeur, et ce qu'elle dit : les modérateurs la lisent avant de valider.",
    )

    def __init__(self, *args, unit="", **kwargs):
        super().__init__(*args, **kwargs)
        unit_words = f"Unité : {unit}. " if unit else ""
        self.fields["value"].help_text = f"{unit_words}Virgule ou point décimal : 12,5, 12.5 ou 1 234,5."

    def clean_value(self):
        try:
            return read_value(self.cleaned_data["value"])
        except BadValue as error:
            raise forms.ValidationError(f"{capfirst(str(error))}.") from None
