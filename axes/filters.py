"""The filters by axis (`?axe=<n>`) and service (`?service=<slug>`) that the COP's listings share: a bad
one is said in French and left out, never a server error nor an empty listing."""

from django import forms

from utils.typography import NBSP

from .models import Service
from .models.terminology import DEFAULT, capitalised


class AxisServiceFilters(forms.Form):
    axe = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    service = forms.ModelChoiceField(
        label="Service",
        required=False,
        queryset=Service.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Tous les services",
        error_messages={"invalid_choice": f"Ce service n'existe pas{NBSP}: ce filtre est ignoré."},
    )

    def __init__(self, *args, axes, terms=None, **kwargs):
        """`axes`: the axes that the reader may read, in order; `terms`: the COP's words."""
        super().__init__(*args, label_suffix="", **kwargs)
        terms = terms or DEFAULT
        self.axes = {axis.number: axis for axis in axes}
        field = self.fields["axe"]
        field.label = terms.axis.title
        every = "Toutes" if terms.axis.feminine else "Tous"
        field.choices = [("", f"{every} les {terms.axis.plural}")] + [
            (axis.number, f"{axis.label}{NBSP}: {axis.title}") for axis in axes
        ]
        field.error_messages["invalid_choice"] = (
            f"{capitalised(terms.axis.this)} n'existe pas dans ce COP{NBSP}: ce filtre est ignoré."
        )

    def criteria(self):
        """The valid filters, the axis as its page: {} when none was given."""
        if not self.is_bound:
            return {}
        self.is_valid()
        criteria = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        if "axe" in criteria:
            criteria["axe"] = self.axes[criteria["axe"]]
        return criteria
