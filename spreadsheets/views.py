"""The editors' "Importer un tableau" in the admin (upload, preview, confirm) and the export downloads."""

import base64
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from axes.cops import current_cop
from axes.readers import Reader
from utils.typography import count, plural

from .exporter import CONTENT_TYPES, export_file
from .forms import UploadForm
from .importer import Mode, Outcome, apply_import, plan_import

IMPORT_PERMISSION = "spreadsheets.import_projects"
SESSION_KEY = "spreadsheets_pending_import"
EXPIRED = "Ce tableau n'est plus en attente de confirmation : chargez-le de nouveau."


def import_mode(user):
    """Whoever may publish on the COP publishes; an editor's changes go to the moderators."""
    can_publish = current_cop().permissions_for_user(user).can_publish_subpage()
    return Mode.PUBLISH if can_publish else Mode.SUBMIT


class ImportView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "Importer un tableau"
    header_icon = "upload"
    template_name = "spreadsheets/import.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(IMPORT_PERMISSION):
            return permission_denied(request)
        cop = current_cop()
        if cop is not None and cop.archived:
            messages.error(request, cop.read_only_message)
            return redirect("wagtailadmin_home")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.upload_form()))

    def post(self, request, *args, **kwargs):
        if "confirm" in request.POST:
            return self.confirm()
        form = self.upload_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        pending = {
            "token": uuid.uuid4().hex,
            "name": upload.name,
            "content": base64.b64encode(upload.read()).decode("ascii"),
            "create_services": form.cleaned_data.get("create_services", False),
            "skip_drafts": form.cleaned_data["skip_drafts"],
        }
        plan = self.plan(pending)
        if plan.is_valid:
            request.session[SESSION_KEY] = pending
        return self.render_to_response(self.get_context_data(form=form, plan=plan, pending=pending))

    def confirm(self):
        pending = self.request.session.get(SESSION_KEY)
        if not pending or pending["token"] != self.request.POST.get("token"):
            messages.error(self.request, EXPIRED)
            return redirect("spreadsheets_import")
        plan = self.plan(pending)
        if not plan.is_valid:
            context = self.get_context_data(form=self.upload_form(), plan=plan)
            return self.render_to_response(context)
        mode = import_mode(self.request.user)
        apply_import(plan, self.request.user, mode)
        del self.request.session[SESSION_KEY]
        messages.success(self.request, done_message(plan, mode))
        return redirect("spreadsheets_import")

    def plan(self, pending):
        content = base64.b64decode(pending["content"])
        mode = import_mode(self.request.user)
        return plan_import(
            pending["name"],
            content,
            mode,
            create_services=pending["create_services"],
            skip_drafts=pending.get("skip_drafts", False),
            user=self.request.user,
        )

    def upload_form(self, *args):
        may_create = self.request.user.has_perm("axes.add_service")
        return UploadForm(*args, may_create_services=may_create)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = kwargs.get("plan")
        context["publishes"] = import_mode(self.request.user) == Mode.PUBLISH
        if plan is not None and plan.is_valid:
            context["created"] = plan.by_outcome(Outcome.CREATED)
            context["changed"] = plan.by_outcome(Outcome.CHANGED)
            context["unchanged"] = plan.by_outcome(Outcome.UNCHANGED)
            context["skipped"] = plan.by_outcome(Outcome.SKIPPED)
        return context


def done_message(plan, mode):
    counts = plan.counts()
    created = counts[Outcome.CREATED]
    figures = (
        f"{count(created, 'projet')} {plural(created, 'créé')}, {count(counts[Outcome.CHANGED], 'modifié')}"
    )
    if counts[Outcome.SKIPPED]:
        figures += f", {count(counts[Outcome.SKIPPED], 'laissé')} de côté"
    if mode == Mode.PUBLISH:
        return f"Tableau importé et publié : {figures}."
    return f"Tableau importé : {figures}, soumis à la validation des modérateurs."


@login_required
def export_projects(request, kind):
    """Every published project in the import format, for any signed-in agent."""
    if kind not in CONTENT_TYPES:
        raise Http404("Format d'export inconnu.")
    response = HttpResponse(
        export_file(kind, Reader.of(request.user, request.cop)), content_type=CONTENT_TYPES[kind]
    )
    filename = f"cop-projets-{timezone.localdate():%Y-%m-%d}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
