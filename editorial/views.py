"""The référent's proposal form: on the site, since référents never enter the Wagtail admin."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from axes.models import ProjectPage

from .archives import archived_cop, refusal
from .forms import ProposalForm
from .proposals import proposal_blocker, submit_proposal
from .roles import can_propose_update

NOT_A_REFERENT = (
    "Seuls les référents des services qui portent ce projet peuvent en proposer une mise à jour. "
    "Si c'est votre cas, demandez à un administrateur du COP de l'indiquer sur votre compte."
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
    form = ProposalForm(request.POST or None, initial=ProposalForm.initial_from(project))
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
