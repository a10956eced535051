"""The référents' proposal forms, of a project's update and of an indicator's new value: on the site,
since référents never enter the Wagtail admin."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from axes.cops import cop_reverse
from axes.models import ProjectPage
from axes.models.milestones import in_planned_order
from axes.readers import Reader
from indicators.models import Indicator
from indicators.progress import Progress, with_unit

from .archives import archived_cop, refusal
from .forms import ProposalForm, ValueProposalForm
from .proposals import proposal_blocker, submit_proposal, submit_value_proposal, value_proposal_blocker
from .roles import can_propose_update, can_propose_value

NOT_A_REFERENT = (
    "Seuls les référents des services qui portent ce projet peuvent en proposer une mise à jour. "
    "Si c'est votre cas, demandez à un administrateur du COP de l'indiquer sur votre compte."
)
NOT_THE_INDICATORS_REFERENT = (
    "Seuls les référents du service responsable de cet indicateur peuvent en proposer une nouvelle valeur. "
    "Si c'est votre cas, demandez à un administrateur du COP de l'indiquer sur votre compte."
)
VALUE_SUBMITTED = (
    "Merci : votre valeur a été transmise aux modérateurs. "
    "Elle apparaîtra sur l'indicateur dès qu'ils l'auront validée."
)
SUBMITTED = (
    "Merci : votre proposition a été transmise aux modérateurs. "
    "Le projet sera mis à jour dès qu'ils l'auront validée."
)


@require_http_methods(["GET", "POST"])
def propose_update(request, reference):
    in_cop = ProjectPage.objects.live().filter(path__startswith=request.cop.path)
    project = in_cop.filter(reference__iexact=reference).first()
    if project is None:
        raise Http404(f"Aucun projet de référence {reference}.")
    if (cop := archived_cop(project)) is not None:
        return TemplateResponse(request, "403.html", {"reason": refusal(cop)}, status=403)
    if not can_propose_update(request.user, project):
        return TemplateResponse(request, "403.html", {"reason": NOT_A_REFERENT}, status=403)
    blocker = proposal_blocker(project, request.user)
    milestones = in_planned_order(project.milestones.all(), timezone.localdate())
    form = ProposalForm(
        request.POST or None, initial=ProposalForm.initial_from(project), milestones=milestones
    )
    if request.method == "POST" and blocker is None and form.is_valid():
        try:
            submit_proposal(project, request.user, form.changes(), form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, SUBMITTED)
            return redirect(project.url)
    context = {"project": project, "form": form, "blocker": blocker}
    return TemplateResponse(request, "editorial/proposal_form.html", context)


@require_http_methods(["GET", "POST"])
def propose_indicator_value(request, slug):
    readable = Indicator.objects.readable_by(Reader.of(request.user, request.cop)).with_series()
    indicator = readable.filter(slug=slug).first()
    if indicator is None:
        raise Http404(f"Aucun indicateur « {slug} ».")
    if request.cop.archived:
        return TemplateResponse(request, "403.html", {"reason": refusal(request.cop)}, status=403)
    if not can_propose_value(request.user, indicator):
        return TemplateResponse(request, "403.html", {"reason": NOT_THE_INDICATORS_REFERENT}, status=403)
    blocker = value_proposal_blocker(indicator, request.user)
    form = ValueProposalForm(request.POST or None, unit=indicator.unit)
    if request.method == "POST" and blocker is None and form.is_valid():
        data = form.cleaned_data
        try:
            submit_value_proposal(indicator, request.user, data["date"], data["value"], data["note"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, VALUE_SUBMITTED)
            return redirect(cop_reverse(request.cop, "indicator_detail", slug=indicator.slug))
    latest = Progress.of(indicator).latest
    context = {
        "indicator": indicator,
        "indicator_url": cop_reverse(request.cop, "indicator_detail", slug=indicator.slug),
        "latest": latest,
        "latest_value": with_unit(latest.value, indicator.unit) if latest else "",
        "form": form,
        "blocker": blocker,
    }
    return TemplateResponse(request, "editorial/value_proposal_form.html", context)
