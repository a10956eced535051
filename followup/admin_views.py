"""The campaigns in the Wagtail admin: moderators open them (a snippet), follow each service's
answers on the admin's home, and close them, which records the COP's edition at the review."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from axes.cops import current_cop
from utils.typography import day

from .campaigns import ALREADY_CLOSED, CampaignRefusal, close, completion_by_service, open_campaign, overall
from .models import ONE_OPEN_CAMPAIGN, Campaign

CLOSE_LABEL = "Clore la campagne"
CLOSE_PERMISSION = "followup.change_campaign"
CLOSED_NOT_EDITED = "Cette campagne est close : elle ne se modifie plus."
PAST_DEADLINE = "La date limite est déjà passée : choisissez un jour à venir."
CLOSED_MESSAGE = (
    "La campagne « {name} » est close. Le COP tel qu'il est publié ce soir est l'édition « {name} » "
    "du {date}, que propose la comparaison des évolutions."
)


class CampaignForm(WagtailAdminModelForm):
    """Opens a campaign in a COP that is not archived and has none open; its COP never changes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["cop"].disabled = True
        else:
            self.initial.setdefault("cop", current_cop())
            self.initial.setdefault("name", f"Revue annuelle {timezone.localdate().year}")

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if "deadline" in self.changed_data and deadline < timezone.localdate():
            raise forms.ValidationError(PAST_DEADLINE)
        return deadline

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and not self.instance.is_open:
            raise forms.ValidationError(CLOSED_NOT_EDITED)
        cop = cleaned_data.get("cop")
        if cop is None:
            return cleaned_data
        if cop.archived:
            self.add_error("cop", f"{cop.archive_label} : on n'y ouvre pas de campagne.")
        elif Campaign.objects.open().filter(cop=cop).exclude(pk=self.instance.pk).exists():
            self.add_error("cop", ONE_OPEN_CAMPAIGN)
        return cleaned_data

    def save(self, commit=True):
        if self.instance._state.adding and self.for_user is not None:
            self.instance.opened_by = self.for_user
        return super().save(commit)


def may_close(user, campaign):
    return campaign.is_open and user.has_perm(CLOSE_PERMISSION)


def close_button(campaign, user, priority):
    if not may_close(user, campaign):
        return []
    return [
        Button(
            CLOSE_LABEL,
            reverse("cop_close_campaign", args=[campaign.pk]),
            icon_name="lock",
            priority=priority,
        )
    ]


def listing_buttons(snippet, user, next_url=None):
    return close_button(snippet, user, priority=40) if isinstance(snippet, Campaign) else []


class CampaignEditView(EditView):
    @property
    def header_more_buttons(self):
        return super().header_more_buttons + close_button(self.object, self.request.user, priority=40)


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "tasks"
    menu_label = "Campagnes de mise à jour"
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["name", "cop", "deadline", "state_label"]
    list_filter = ["cop"]
    ordering = ["-opened_at"]
    search_fields = ["name"]
    search_backend_name = None
    edit_handler = ObjectList(
        [FieldPanel("cop", widget=forms.Select), FieldPanel("name"), FieldPanel("deadline")],
        base_form_class=CampaignForm,
    )
    edit_view_class = CampaignEditView


def close_campaign(request, pk):
    """Asks the moderator to confirm, then closes the campaign; refuses a second close in French."""
    campaign = get_object_or_404(Campaign.objects.select_related("cop"), pk=pk)
    if not request.user.has_perm(CLOSE_PERMISSION):
        raise PermissionDenied
    listing = reverse("wagtailsnippets_followup_campaign:list")
    if request.method == "POST":
        try:
            campaign = close(campaign, request.user)
        except CampaignRefusal as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, CLOSED_MESSAGE.format(name=campaign.name, date=day(campaign.edition.date))
            )
        return redirect(listing)
    if not campaign.is_open:
        messages.error(request, ALREADY_CLOSED.format(name=campaign.name, date=day(campaign.closed_at)))
        return redirect(listing)
    context = {
        "campaign": campaign,
        "completion": overall(completion_by_service(campaign)),
        "listing": listing,
    }
    return TemplateResponse(request, "followup/close_campaign.html", context)


def campaign_admin_urls():
    return [path("cop/campagnes/<int:pk>/clore/", close_campaign, name="cop_close_campaign")]


class CampaignPanel(Component):
    """The open campaign of the current COP on the admin's home: each service's answers, in two queries."""

    name = "cop_campaign"
    template_name = "followup/campaign_panel.html"
    order = 60

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        cop = current_cop()
        campaign = open_campaign(cop)
        context = {
            "cop": cop,
            "campaign": campaign,
            "may_open": request.user.has_perm("followup.add_campaign"),
        }
        if campaign is not None:
            completions = completion_by_service(campaign)
            context.update(
                completions=completions,
                overall=overall(completions),
                may_close=may_close(request.user, campaign),
            )
        return context
