from django import forms

from axes.models import ProjectStatus

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
