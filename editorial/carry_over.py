"""Carrying a project over into the current COP ("Reprendre dans le nouveau COP"), from the admin.

An editor opens a project of another COP (an archived one, usually) and picks the ambition of the
current COP that takes it up, and its reference there. The copy is a draft of the current COP that
`continues` the old project: the moderators publish it, as any other page. The old COP is only
read, so the archive's hooks (editorial/archives.py), which refuse changes inside it, let it be.
"""

from django import forms
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.widgets import Button
from wagtail.coreutils import find_available_slug
from wagtail.log_actions import log
from wagtail.permissions import page_permission_policy

from axes.cops import cop_of, current_cop, is_current
from axes.models import AmbitionPage, ProjectPage
from axes.models.terminology import capitalised

ACTION_LABEL = "Reprendre dans le nouveau COP"
NO_CURRENT_COP = "Aucun COP n'est en cours : un administrateur doit d'abord en choisir un."
CURRENT_COP_ARCHIVED = (
    "Le COP en cours, « {title} », est archivé : rien ne peut y être repris. "
    "Un administrateur doit d'abord choisir le nouveau COP, ou rouvrir celui-ci."
)
ALREADY_IN_CURRENT_COP = "{label} est déjà dans le COP en cours : il n'y a rien à reprendre."
ALREADY_CARRIED_OVER = "{label} a déjà sa reprise dans le COP en cours : {continuation}."
NOT_ALLOWED = "Vous ne pouvez pas ajouter de page au COP en cours : demandez-le à un éditeur."


class CarryOverForm(forms.Form):
    """Where the project goes in the current COP, and under which reference, in that COP's words."""

    ambition = forms.ModelChoiceField(queryset=AmbitionPage.objects.none())
    reference = ProjectPage._meta.get_field("reference").formfield(label="Référence dans le nouveau COP")

    def __init__(self, *args, project, cop, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.cop = cop
        terms = cop.terminology
        ambition = self.fields["ambition"]
        ambition.queryset = ambitions_open_to(user, cop)
        ambition.label = f"{terms.ambition.title} du nouveau COP"
        ambition.label_from_instance = lambda page: f"{page.label} · {page.title}"
        ambition.empty_label = f"Choisissez {terms.ambition.a}"
        ambition.error_messages = {
            "required": f"Choisissez {terms.ambition.a} du COP en cours.",
            "invalid_choice": f"Choisissez {terms.ambition.a} du COP en cours, dans la liste.",
        }
        reference = self.fields["reference"]
        reference.initial = project.reference
        reference.help_text = (
            "Unique dans le COP en cours ; par défaut, la référence d'origine. La reprise est un "
            "brouillon : elle ne sera publiée qu'une fois validée par les modérateurs."
        )
        reference.error_messages["required"] = "Indiquez la référence dans le nouveau COP."

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        # The short links (/projets/<ref>/) ignore case: 16.3a and 16.3A would be one address.
        taken = ProjectPage.objects.filter(path__startswith=self.cop.path, reference__iexact=reference)
        if taken.exists():
            other = capitalised(self.cop.terminology.project.other)
            raise forms.ValidationError(
                f"{other} du COP en cours porte déjà la référence {reference} : choisissez-en une autre."
            )
        return reference


def ambitions_open_to(user, cop):
    """The ambitions of `cop` under which `user` may add a project, by number."""
    ambitions = AmbitionPage.objects.descendant_of(cop).order_by("number")
    if user.is_superuser:
        return ambitions
    return ambitions.filter(
        pk__in=[page.pk for page in ambitions if page.permissions_for_user(user).can_add_subpage()]
    )


def may_carry_over(user, page):
    """Whether `user` sees the action on `page`: a project of another COP than the current one, which
    is open (not archived) and to which `user` may add pages. Cheap: the explorer asks for each row."""
    if page.specific_class is not ProjectPage:
        return False
    cop = current_cop()
    return (
        cop is not None
        and not cop.archived
        and not is_current(cop_of(page))
        and page_permission_policy.user_has_permission_for_instance(user, "add", cop)
    )


def carry_over_button(page, user, priority):
    if not may_carry_over(user, page):
        return []
    url = reverse("cop_carry_over", args=[page.pk])
    return [Button(ACTION_LABEL, url, icon_name="resubmit", priority=priority)]


def header_buttons(page, user, view_name, next_url=None):
    return carry_over_button(page, user, priority=35)


def listing_more_buttons(page, user, next_url=None):
    return carry_over_button(page, user, priority=25)


def carry_over_urls():
    return [path("cop/reprendre/<int:page_id>/", carry_over, name="cop_carry_over")]


def carry_over(request, page_id):
    """The form, then the draft in the current COP and its editor; or a French refusal."""
    project = get_object_or_404(ProjectPage, pk=page_id)
    cop = current_cop()
    back_to = get_valid_next_url_from_request(request) or reverse(
        "wagtailadmin_explore", args=[project.get_parent().pk]
    )
    refusal = refusal_of(request.user, project, cop)
    if refusal:
        messages.error(request, refusal, buttons=refusal_buttons(project, cop))
        return redirect(back_to)
    form = CarryOverForm(
        request.POST if request.method == "POST" else None, project=project, cop=cop, user=request.user
    )
    if form.is_bound and form.is_valid():
        new_project = carry_over_as_draft(project, form.cleaned_data, request.user)
        messages.success(
            request,
            f"Reprise enregistrée en brouillon : {project.label} devient {new_project.label} dans "
            f"« {cop.title} ». Complétez-la, puis soumettez-la aux modérateurs pour la publier.",
        )
        return redirect("wagtailadmin_pages:edit", new_project.pk)
    context = {"page": project, "form": form, "cop": cop, "old_cop": cop_of(project), "next": back_to}
    return TemplateResponse(request, "editorial/carry_over.html", context)


def refusal_of(user, project, cop):
    """Why `user` may not carry `project` over into `cop` (in French), or None."""
    if cop is None:
        return NO_CURRENT_COP
    if cop.archived:
        return CURRENT_COP_ARCHIVED.format(title=cop.title)
    if is_current(cop_of(project)):
        return ALREADY_IN_CURRENT_COP.format(label=project.label)
    carried = continuation_in(project, cop)
    if carried is not None:
        continuation = f"{carried.label} · {carried.draft_title}"
        return ALREADY_CARRIED_OVER.format(label=project.label, continuation=continuation)
    if not page_permission_policy.user_has_permission_for_instance(user, "add", cop):
        return NOT_ALLOWED
    return None


def refusal_buttons(project, cop):
    carried = continuation_in(project, cop) if cop is not None else None
    if carried is None:
        return []
    return [messages.button(reverse("wagtailadmin_pages:edit", args=[carried.pk]), "Ouvrir la reprise")]


def continuation_in(project, cop):
    """The version of `project` carried over into `cop`, published or not, if any."""
    return project.continuations.filter(path__startswith=cop.path).order_by("path").first()


@transaction.atomic
def carry_over_as_draft(project, cleaned_data, user):
    """A draft under the chosen ambition, that continues `project`: its text, status, progress,
    dates and services, with one revision by `user` (the old project's history stays in the old COP,
    read from the new page through "Suite de")."""
    ambition = cleaned_data["ambition"]
    new_project = ProjectPage(
        title=project.title,
        slug=find_available_slug(ambition, project.slug),
        reference=cleaned_data["reference"],
        summary=project.summary,
        body=project.body,
        status=project.status,
        progress=project.progress,
        start_date=project.start_date,
        due_date=project.due_date,
        pilot_service_id=project.pilot_service_id,
        continues=project,
        live=False,
        owner=user,
    )
    new_project.services.set(list(project.services.all()))
    ambition.add_child(instance=new_project)
    revision = new_project.save_revision(user=user, log_action=False)
    log(instance=new_project, action="wagtail.create", user=user, revision=revision, content_changed=True)
    return new_project
