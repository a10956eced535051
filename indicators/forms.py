from django.core.exceptions import ValidationError
from django.utils import timezone

from wagtail.admin.forms import WagtailAdminModelForm

from axes.cops import current_cop

DUPLICATE_DATE = "Deux valeurs portent la même date ({date}) : gardez-en une seule."


class IndicatorForm(WagtailAdminModelForm):
    """Records who entered each new or changed value, and when; refuses two values on one date."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and "cop" in self.fields:
            self.initial.setdefault("cop", current_cop())

    def clean(self):
        cleaned_data = super().clean()
        dates = [
            form.cleaned_data["date"]
            for form in self.formsets["values"].forms
            if form.cleaned_data.get("date") and not form.cleaned_data.get("DELETE")
        ]
        for date in {date for date in dates if dates.count(date) > 1}:
            raise ValidationError(DUPLICATE_DATE.format(date=date.strftime("%d/%m/%Y")))
        return cleaned_data

    def save(self, commit=True):
        now = timezone.now()
        for form in self.formsets["values"].forms:
            if form.has_changed() and not form.cleaned_data.get("DELETE"):
                form.instance.entered_by = self.for_user
                form.instance.entered_at = now
        return super().save(commit=commit)
