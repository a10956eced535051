"""Which COP is the current one, chosen by an administrator (Paramètres › COP en cours).

The current COP is the default site's root page (axes/cops.py): choosing another one there is what
Wagtail's *Sites* screen would do, with a choice of COPs only, so that no axis or project ever
becomes the site's root. Saving the site renews every cached page (caching/signals.py).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.models import Site

from axes.cops import cops, forget_cops
from axes.models import HomePage

CHOSEN = "Le COP en cours est désormais « {title} » : il répond à l'adresse du site, les autres sous /cops/."


def cop_choice_label(cop):
    period = f" ({cop.period})" if cop.period else ""
    archived = " – archivé" if cop.archived else ""
    return f"{cop.title}{period}{archived}"


class CurrentCopForm(forms.Form):
    cop = forms.ModelChoiceField(
        label="COP en cours",
        queryset=HomePage.objects.order_by("-start_year", "title"),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "invalid_choice": "Choisissez l'un des COP de la liste.",
            "required": "Choisissez un COP.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cop"].label_from_instance = cop_choice_label


def current_cop_view(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    form = CurrentCopForm(request.POST or None, initial={"cop": cops().current})
    if request.method == "POST" and form.is_valid():
        site = Site.objects.get(is_default_site=True)
        site.root_page = form.cleaned_data["cop"]
        site.save()
        forget_cops()
        messages.success(request, CHOSEN.format(title=site.root_page.title))
        return redirect("cop_current_cop")
    return TemplateResponse(request, "editorial/current_cop.html", {"form": form})


def current_cop_urls():
    return [path("cop/cop-en-cours/", current_cop_view, name="cop_current_cop")]


class CurrentCopMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


def current_cop_menu_item():
    return CurrentCopMenuItem("COP en cours", reverse("cop_current_cop"), icon_name="home", order=150)
