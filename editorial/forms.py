from django import forms
from django.utils.text import capfirst

from axes.models import ProjectStatus
from indicators.values import BadValue, read_value

# The fields of a project that a référent may change, named as on ProjectPage.
PROJECT_FIELDS = ("status", "progress", "start_date", "due_date")


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
    note = forms.CharField(
        label="Note aux modérateurs",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce qui a changé et pourquoi : les modérateurs la lisent avant de valider.",
    )

    def clean(self):
        cleaned_data = super().clean()
        start, due = cleaned_data.get("start_date"), cleaned_data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", "L'échéance ne peut pas précéder la date de début.")
        if not self.changes():
            raise forms.ValidationError(
                "Modifiez au moins une information du projet (statut, avancement ou dates) "
                "avant d'envoyer votre proposition."
            )
        return cleaned_data

    def changes(self):
        """The project's fields that the référent changed, with their new values."""
        return {name: self.cleaned_data.get(name) for name in PROJECT_FIELDS if name in self.changed_data}

    @classmethod
    def initial_from(cls, project):
        return {name: getattr(project, name) for name in PROJECT_FIELDS}


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
