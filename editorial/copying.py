"""Copying a project in the admin: the copy needs a reference of its own, and starts as a draft.

Wagtail's copy view keeps the reference, which is unique in the COP (its database refused the copy
with an error 500), and lets whoever may publish publish the copy or make it an alias, bypassing
the moderators. The `before_copy_page` hook answers with this view instead, for projects only.
"""

from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from wagtail import hooks
from wagtail.actions.copy_page import CopyPageAction
from wagtail.admin import messages
from wagtail.admin.forms.pages import CopyForm
from wagtail.admin.utils import get_valid_next_url_from_request

from axes.cops import COP_PATH_LENGTH
from axes.models import ProjectPage

# Wagtail's options that would publish the copy, or copy pages that a project never has.
PUBLISHING_OPTIONS = ("publish_copies", "alias", "copy_subpages")
FIELD_ORDER = ("new_title", "new_reference", "new_slug", "new_parent_page")


class ProjectCopyForm(CopyForm):
    """Wagtail's copy form, with a new reference and without the options that would publish."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PUBLISHING_OPTIONS:
            self.fields.pop(name, None)
        self.fields["new_reference"] = ProjectPage._meta.get_field("reference").formfield(
            label="Nouvelle référence",
            help_text=(
                "Unique dans tout le COP, par exemple 16.3. La copie est un brouillon : "
                "elle ne sera publiée qu'une fois validée par les modérateurs."
            ),
        )
        self.order_fields(FIELD_ORDER)

    def clean_new_reference(self):
        return self.cleaned_data["new_reference"].strip()

    def clean(self):
        cleaned_data = super().clean()
        reference = cleaned_data.get("new_reference")
        parent = cleaned_data.get("new_parent_page") or self.page.get_parent()
        in_cop = ProjectPage.objects.filter(path__startswith=parent.path[:COP_PATH_LENGTH])
        # The short links (/projets/<ref>/) ignore case: 16.3a and 16.3A would be one address.
        if reference and in_cop.filter(reference__iexact=reference).exists():
            self.add_error(
                "new_reference",
                f"La référence {reference} est déjà celle d'un projet du COP : choisissez-en une autre.",
            )
        return cleaned_data


def copy_project(request, page):
    """Wagtail's copy view for a project: asks for a new reference, copies it as a draft."""
    next_url = get_valid_next_url_from_request(request)
    form = ProjectCopyForm(request.POST if request.method == "POST" else None, page=page, user=request.user)
    if form.is_bound and form.is_valid():
        parent = form.cleaned_data["new_parent_page"] or page.get_parent()
        new_page = copy_as_draft(page, parent, form.cleaned_data, request.user)
        messages.success(
            request,
            f"Projet copié en brouillon sous la référence {new_page.specific.reference} : "
            "soumettez-le aux modérateurs pour le publier.",
            buttons=[messages.button(reverse("wagtailadmin_pages:edit", args=[new_page.pk]), "Modifier")],
        )
        for hook in hooks.get_hooks("after_copy_page"):
            response = hook(request, page, new_page)
            if hasattr(response, "status_code"):
                return response
        return redirect(next_url) if next_url else redirect("wagtailadmin_explore", parent.pk)
    context = {"page": page, "form": form, "next": next_url}
    return TemplateResponse(request, "editorial/copy_project.html", context)


@transaction.atomic
def copy_as_draft(page, parent, cleaned_data, user):
    """A draft copy of the live project, with one revision by `user`: not the original's history."""
    action = CopyPageAction(
        page=page,
        to=parent,
        update_attrs={
            "title": cleaned_data["new_title"],
            "slug": cleaned_data["new_slug"],
            "reference": cleaned_data["new_reference"],
        },
        keep_live=False,
        copy_revisions=False,
        user=user,
    )
    return action.execute()
