from django.utils import timezone

from wagtail.admin.forms import WagtailAdminModelForm

from axes.cops import current_cop
from axes.models import AmbitionPage, ProjectPage

DUPLICATE_DATE = "Deux valeurs portent la même date ({date}) : gardez-en une seule."
IN_ANOTHER_COP = "« {page} » appartient à un autre COP que l'indicateur : choisissez une page de son COP."
NOT_A_PAGE_OF_THE_COP = (
    "La page n° %(value)s n'appartient pas au COP de l'indicateur : choisissez-la dans la liste."
)
MEASURED_PAGES = {"ambitions": AmbitionPage, "projects": ProjectPage}


class IndicatorForm(WagtailAdminModelForm):
    """Records who entered each new or changed value, and when; refuses two values on one date, pages
    of another COP than the indicator's, and any change in an archived COP."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and "cop" in self.fields:
            self.initial.setdefault("cop", current_cop())
        self.saved_cop = self.instance.cop if self.instance.cop_id else None
        self.offer_pages_of(self.saved_cop or current_cop())

    def offer_pages_of(self, cop):
        """The ambitions and projects of the indicator's COP (of the current one for a new indicator),
        in the COP's order and named by their numbers, as editors speak of them."""
        for name, model in MEASURED_PAGES.items():
            if cop is None or name not in self.fields:
                continue
            field = self.fields[name]
            field.queryset = model.objects.descendant_of(cop).order_by("path")
            field.label_from_instance = model.get_admin_display_title
            field.error_messages["invalid_choice"] = NOT_A_PAGE_OF_THE_COP

    def clean(self):
        cleaned_data = super().clean()
        # An archived COP is read, never changed (editorial/archives.py), its indicators included: none
        # is added to it, nor taken out of it by choosing another COP.
        archived = next(
            (cop for cop in (self.saved_cop, cleaned_data.get("cop")) if cop and cop.archived), None
        )
        if archived is not None:
            self.add_error("cop", archived.read_only_message)
        self.check_pages_in_cop(cleaned_data)
        return cleaned_data

    def is_valid(self):
        # The values' forms are cleaned after this form's clean(): their dates are compared after.
        return super().is_valid() and self.values_have_distinct_dates()

    def values_have_distinct_dates(self):
        dates = [
            form.cleaned_data["date"]
            for form in self.formsets["values"].forms
            if form.cleaned_data.get("date") and not form.cleaned_data.get("DELETE")
        ]
        repeated = sorted({date for date in dates if dates.count(date) > 1})
        for date in repeated:
            self.add_error(None, DUPLICATE_DATE.format(date=date.strftime("%d/%m/%Y")))
        return not repeated

    def check_pages_in_cop(self, cleaned_data):
        cop = cleaned_data.get("cop")
        for field in ("ambitions", "projects"):
            for page in cleaned_data.get(field) or ():
                if cop is not None and not page.path.startswith(cop.path):
                    self.add_error(field, IN_ANOTHER_COP.format(page=page.get_admin_display_title()))

    def save(self, commit=True):
        now = timezone.now()
        for form in self.formsets["values"].forms:
            if form.has_changed() and not form.cleaned_data.get("DELETE"):
                form.instance.entered_by = self.for_user
                form.instance.entered_at = now
        return super().save(commit=commit)
