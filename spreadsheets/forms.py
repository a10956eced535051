from django import forms

from .importer import size_problem


class BoundedUploadForm(forms.Form):
    """A `file` no heavier than an import reads (COP_IMPORT_MAX_BYTES)."""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = size_problem(upload.size)
        if problem:
            raise forms.ValidationError(str(problem))
        return upload


def skip_drafts_field(plural, singular):
    return forms.BooleanField(
        label=f"Laisser de côté les {plural} qui ont un brouillon ou une validation en cours",
        required=False,
        help_text=(
            "L'import ne touche jamais un brouillon ni une demande de validation. Sans cette case, une "
            f"ligne qui modifierait un tel {singular} refuse le fichier ; avec, ces lignes sont ignorées."
        ),
    )


class UploadForm(BoundedUploadForm):
    file = forms.FileField(
        label="Tableau des projets",
        help_text="Fichier .csv ou .xlsx au format du COP : celui de l'export, une ligne par projet.",
    )
    create_services = forms.BooleanField(
        label="Créer les services inconnus",
        required=False,
        help_text="Sinon, un service absent de la liste des services refuse le fichier.",
    )
    skip_drafts = skip_drafts_field("projets", "projet")

    def __init__(self, *args, may_create_services=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_create_services:
            del self.fields["create_services"]


class ValueUploadForm(BoundedUploadForm):
    file = forms.FileField(
        label="Tableau des valeurs",
        help_text=(
            "Fichier .csv ou .xlsx à trois colonnes, indicateur, date et valeur, comme l'export : "
            "une ligne par valeur."
        ),
    )
    skip_drafts = skip_drafts_field("indicateurs", "indicateur")
