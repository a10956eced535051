import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from axes.filters import AxisServiceFilters

BAD_DATE = "Date invalide : écrivez-la sous la forme AAAA-MM-JJ, par exemple 2022-03-31."
# Far wider than the COP's life; within them, the day after a date (the COP "at" a date is the COP
# that evening) is still a date.
EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
OUT_OF_RANGE = f"Choisissez une date entre le {EARLIEST:%d/%m/%Y} et le {LATEST:%d/%m/%Y}."


def date_field(label, required_message=""):
    return forms.DateField(
        label=label,
        required=bool(required_message),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        validators=[MinValueValidator(EARLIEST, OUT_OF_RANGE), MaxValueValidator(LATEST, OUT_OF_RANGE)],
        widget=forms.DateInput(
            attrs={"type": "date", "min": EARLIEST.isoformat(), "max": LATEST.isoformat()}, format="%Y-%m-%d"
        ),
        error_messages={"invalid": BAD_DATE, "required": required_message},
    )


class JournalFilterForm(AxisServiceFilters):
    """The journal's filters; a bad one is reported and left out rather than emptying the journal."""

    du = date_field("Du")
    au = date_field("Au")
    field_order = ["du", "au", "axe", "service"]

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("du"), cleaned_data.get("au")
        if start and end and end < start:
            self.add_error("au", "La date de fin précède la date de début.")
        return cleaned_data


class CompareForm(forms.Form):
    du = date_field("Première date", required_message="Indiquez la première date à comparer.")
    au = date_field("Seconde date", required_message="Indiquez la seconde date à comparer.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("du"), cleaned_data.get("au")
        if start and end and end < start:
            self.add_error("au", "La seconde date précède la première : inversez-les.")
        return cleaned_data


class EarlierCopForm(forms.Form):
    """Another COP to compare with this one, by its slug (`?cop=`)."""

    cop = forms.ChoiceField(
        label="COP à comparer",
        error_messages={
            "required": "Choisissez le COP à comparer.",
            "invalid_choice": "Ce COP n'existe pas : choisissez-en un dans la liste.",
        },
    )

    def __init__(self, *args, others, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.others = {cop.slug: cop for cop in others}
        self.fields["cop"].choices = [("", "Choisissez un COP")] + [
            (cop.slug, f"{cop.title} ({cop.period})" if cop.period else cop.title) for cop in others
        ]

    def chosen(self):
        """The COP chosen, or None."""
        return self.others[self.cleaned_data["cop"]] if self.is_valid() else None
