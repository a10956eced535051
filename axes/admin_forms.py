"""The editors' pickers of services, in the page editor and in the choosers of the admin."""

from django import forms
from django.forms.renderers import TemplatesSetting

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.choosers import BaseFilterForm

from utils.text import fold

from .cops import COP_PATH_LENGTH, cops
from .models.services import Service
from .models.terminology import capitalised


class ServicesPicker(forms.CheckboxSelectMultiple):
    """The controlled list as checkboxes, with a box that narrows it as one types and ticks the first
    service left on Enter (static/admin/services_picker.js).

    The ticked services travel as one value, their ids separated by commas, which the script keeps
    up to date, as Wagtail's own tag field does: a form posted again as Django's test client posts
    it (one value per name) keeps them all."""

    template_name = "wagtailadmin/widgets/services_picker.html"

    class Media:
        js = ["admin/services_picker.js"]

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["search"] = service_words(value.instance)
        return option

    def value_from_datadict(self, data, files, name):
        return [part.strip() for part in data.get(name, "").split(",") if part.strip()]

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def render(self, name, value, attrs=None, renderer=None):
        # The template lives with the admin's (templates/wagtailadmin), which Django's default form
        # renderer does not read.
        return super().render(name, value, attrs, renderer=TemplatesSetting())


class ServicesField(forms.ModelMultipleChoiceField):
    """Services chosen from the list by their id: a name the list does not hold is refused, never
    dropped nor created. Unordered by nature, so listing the same services differently is no change."""

    widget = ServicesPicker

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Service.objects.all())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Services")
        kwargs.setdefault(
            "help_text", "Tous les services impliqués. Le service pilote en fait partie d'office."
        )
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": "Le service n° %(value)s n'est pas dans la liste des services.",
                "invalid_pk_value": (
                    "« %(pk)s » n'est pas dans la liste des services : choisissez un service existant "
                    "(un administrateur ajoute les nouveaux sous « Services »)."
                ),
                "invalid_list": "Choisissez les services dans la liste.",
            },
        )
        super().__init__(**kwargs)


def service_words(service):
    """What a search for `service` may match: its name and its other names, in lower case without accents."""
    return fold(" ".join([service.name, *service.alias_list()]))


class ServiceSearchForm(BaseFilterForm):
    """The search box of the service chooser: part of a name or of another name, accents aside."""

    q = forms.CharField(
        label="Rechercher un service",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Nom, ou autre nom, du service"}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = self.cleaned_data.get("q", "").strip()
        if query:
            self.is_searching, self.search_query = True, query
            words = fold(query)
            objects = objects.filter(pk__in=[s.pk for s in objects if words in service_words(s)])
        return objects


class CopPageForm(WagtailAdminPageForm):
    """A page whose `unique_in_cop` field (and lookup) is unique within its COP only: a reference or
    a number may repeat across COPs, never within one."""

    def clean(self):
        cleaned_data = super().clean()
        field, lookup = self.instance.unique_in_cop
        value = cleaned_data.get(field)
        if value in (None, "") or self.parent_page is None:
            return cleaned_data
        cop_path = self.parent_page.path[:COP_PATH_LENGTH]
        others = type(self.instance).objects.filter(
            path__startswith=cop_path, **{f"{field}__{lookup}": value}
        )
        if others.exclude(pk=self.instance.pk).exists():
            level = getattr(cops().terms_at(cop_path), self.instance.level)
            what = "cette référence" if field == "reference" else "ce numéro"
            self.add_error(field, f"{capitalised(level.other)} du COP porte déjà {what}.")
        return cleaned_data
