"""A campaign on the site, for the référents (who never enter the Wagtail admin): their services'
projects, each with its answer, confirmed up to date in one click or updated by a proposal."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST

from axes.cops import cop_reverse
from axes.models.terminology import capitalised
from axes.readers import Reader
from axes.tree import reference_sort_key

from .campaigns import (
    Completion,
    answers_by_project,
    campaign_projects,
    confirm_refusal,
    is_referent,
    piloted_by,
    record_answer,
)
from .models import Answer, Campaign

CAMPAIGN_NOT_FOUND = "Aucune campagne n° {pk} dans ce COP."
PROJECT_NOT_FOUND = "Aucun projet de référence {reference} dans ce COP."


def campaign_or_404(request, pk):
    # `request.cop` is lazy: with no COP at all, it stands for None.
    cop_id = getattr(request.cop, "pk", None)
    campaign = Campaign.objects.filter(pk=pk, cop_id=cop_id).select_related("cop").first()
    if campaign is None:
        raise Http404(CAMPAIGN_NOT_FOUND.format(pk=pk))
    return campaign


def readable_projects(request, campaign):
    return Reader.of(request.user, campaign.cop).pages(campaign_projects(campaign))


@require_GET
def campaign_detail(request, pk):
    """The campaign's projects that the agent's services pilot, service by service, with their answers."""
    campaign = campaign_or_404(request, pk)
    services = list(request.user.services.order_by("name"))
    projects = sorted(
        piloted_by(readable_projects(request, campaign), services),
        key=lambda project: reference_sort_key(project.reference),
    )
    groups = service_groups(services, projects, answers_by_project(campaign, projects))
    context = {
        "campaign": campaign,
        "groups": groups,
        "completion": sum((group["completion"] for group in groups), Completion()),
        "may_answer": campaign.is_open and not campaign.cop.archived and is_referent(request.user),
        "up_to_date": Answer.UP_TO_DATE,
    }
    return TemplateResponse(request, "followup/campaign_detail.html", context)


def service_groups(services, projects, answers):
    """For each service, its projects with their answers, and how many have one."""
    groups = []
    for service in services:
        piloted = [project for project in projects if project.pilot_service_id == service.pk]
        rows = [(project, answers.get(project.pk)) for project in piloted]
        answered = sum(1 for _, answer in rows if answer is not None)
        groups.append({"service": service, "rows": rows, "completion": Completion(answered, len(rows))})
    return groups


@require_POST
def confirm_up_to_date(request, pk, reference):
    """ "À jour": the project's answer, once (a second click changes nothing), by its pilot's référent."""
    campaign = campaign_or_404(request, pk)
    project = readable_projects(request, campaign).filter(reference__iexact=reference).first()
    if project is None:
        raise Http404(PROJECT_NOT_FOUND.format(reference=reference))
    if refusal := confirm_refusal(campaign, project, request.user):
        return TemplateResponse(request, "403.html", {"reason": refusal}, status=403)
    level = project.terms.project
    the_project = level.the_numbered(project.reference)
    if record_answer(campaign, project, request.user, Answer.UP_TO_DATE):
        messages.success(
            request,
            f"Merci : {the_project} est {level.agreed('confirmé')} à jour pour « {campaign.name} ».",
        )
    else:
        messages.info(request, f"{capitalised(the_project)} était déjà {level.agreed('confirmé')} à jour.")
    return redirect(f"{cop_reverse(campaign.cop, 'campaign_detail', pk=campaign.pk)}#projet-{project.pk}")
