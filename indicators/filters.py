"""The indicators list's filters (`?axe=<n>&service=<slug>`): a bad one is reported in French and left
out, never a server error."""

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.text import capfirst

from axes.models import AmbitionPage, ProjectPage, Service


class IndicatorFilterForm(forms.Form):
    axe = forms.TypedChoiceField(label="Axe", required=False, coerce=int, empty_value=None)
    service = forms.ModelChoiceField(
        label="Service",
        required=False,
        queryset=Service.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Tous les services",
        error_messages={"invalid_choice": "Ce service n'existe pas\u00a0: choisissez-en un dans la liste."},
    )

    def __init__(self, *args, axes, terms, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.axes = {axis.number: axis for axis in axes}
        field = self.fields["axe"]
        field.label = terms.axis.title
        every = "Toutes" if terms.axis.feminine else "Tous"
        field.choices = [("", f"{every} les {terms.axis.plural}")] + [
            (axis.number, f"{axis.label}\u00a0: {axis.title}") for axis in axes
        ]
        field.error_messages["invalid_choice"] = (
            f"{capfirst(terms.axis.this)} n'existe pas dans le COP\u00a0: choisissez-en un dans la liste."
        )

    def criteria(self):
        """The valid filters: {} when none was given."""
        if not self.is_bound:
            return {}
        self.is_valid()
        criteria = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        if "axe" in criteria:
            criteria["axe"] = self.axes[criteria["axe"]]
        return criteria


def filtered(indicators, criteria, reader):
    """The indicators of an axis (linked to one of its ambitions, or one of its projects, that the
    reader sees) and of a service (the one that owns them)."""
    if "axe" in criteria:
        under_axis = Q(path__startswith=criteria["axe"].path) & reader.readable_q()
        indicators = indicators.filter(
            Exists(AmbitionPage.objects.filter(under_axis, indicators=OuterRef("pk")))
            | Exists(ProjectPage.objects.filter(under_axis, indicators=OuterRef("pk")))
        )
    if "service" in criteria:
        indicators = indicators.filter(service=criteria["service"])
    return indicators
