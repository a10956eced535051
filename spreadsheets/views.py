"""The editors' imports in the admin (upload, preview, confirm), of projects ("Importer un tableau") and
of indicator values, and the export downloads."""

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

from .exporter import CONTENT_TYPES, export_file, export_values_file
from .forms import UploadForm, ValueUploadForm
from .importer import Mode, Outcome, apply_import, plan_import
from .value_importer import ValueOutcome, apply_value_import, plan_value_import, value_import_mode

IMPORT_PERMISSION = "spreadsheets.import_projects"
# Whoever may change an indicator may change its values, in the admin as by a file.
VALUE_IMPORT_PERMISSION = "indicators.change_indicator"
SESSION_KEY = "spreadsheets_pending_import"
VALUE_SESSION_KEY = "spreadsheets_pending_value_import"
EXPIRED = "Ce tableau n'est plus en attente de confirmation : chargez-le de nouveau."


def import_mode(user):
    """Whoever may publish on the COP publishes; an editor's changes go to the moderators."""
    can_publish = current_cop().permissions_for_user(user).can_publish_subpage()
    return Mode.PUBLISH if can_publish else Mode.SUBMIT


class SpreadsheetImportView(WagtailAdminTemplateMixin, TemplateView):
    """Upload, preview, confirm: the file is planned when uploaded, kept in the session while its
    preview is shown, and planned again when confirmed, against the COP as it stands then.

    Each import gives its `upload_form`, `plan`, `mode` (publish or submit), `apply` and `done_message`.
    """

    header_icon = "upload"
    permission = ""
    session_key = ""
    url_name = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
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
            **self.options(form),
        }
        plan = self.plan(pending)
        if plan.is_valid:
            request.session[self.session_key] = pending
        return self.render_to_response(self.get_context_data(form=form, plan=plan, pending=pending))

    def confirm(self):
        pending = self.request.session.get(self.session_key)
        if not pending or pending["token"] != self.request.POST.get("token"):
            messages.error(self.request, EXPIRED)
            return redirect(self.url_name)
        plan = self.plan(pending)
        if not plan.is_valid:
            context = self.get_context_data(form=self.upload_form(), plan=plan)
            return self.render_to_response(context)
        mode = self.mode()
        self.apply(plan, mode)
        del self.request.session[self.session_key]
        messages.success(self.request, self.done_message(plan, mode))
        return redirect(self.url_name)

    def content(self, pending):
        return base64.b64decode(pending["content"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["publishes"] = self.mode() == Mode.PUBLISH
        return context

    def options(self, form):
        """What the form asks of the import besides the file, kept with it until confirmed."""
        return {}


class ImportView(SpreadsheetImportView):
    page_title = "Importer un tableau"
    template_name = "spreadsheets/import.html"
    permission = IMPORT_PERMISSION
    session_key = SESSION_KEY
    url_name = "spreadsheets_import"

    def options(self, form):
        return {
            "create_services": form.cleaned_data.get("create_services", False),
            "skip_drafts": form.cleaned_data["skip_drafts"],
        }

    def plan(self, pending):
        return plan_import(
            pending["name"],
            self.content(pending),
            self.mode(),
            create_services=pending["create_services"],
            skip_drafts=pending.get("skip_drafts", False),
            user=self.request.user,
        )

    def mode(self):
        return import_mode(self.request.user)

    def apply(self, plan, mode):
        apply_import(plan, self.request.user, mode)

    def done_message(self, plan, mode):
        return done_message(plan, mode)

    def upload_form(self, *args):
        may_create = self.request.user.has_perm("axes.add_service")
        return UploadForm(*args, may_create_services=may_create)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = kwargs.get("plan")
        if plan is not None and plan.is_valid:
            context["created"] = plan.by_outcome(Outcome.CREATED)
            context["changed"] = plan.by_outcome(Outcome.CHANGED)
            context["unchanged"] = plan.by_outcome(Outcome.UNCHANGED)
            context["skipped"] = plan.by_outcome(Outcome.SKIPPED)
        return context


class ValueImportView(SpreadsheetImportView):
    """The indicators' values: whoever may change indicators imports; who may publish them publishes."""

    page_title = "Importer des valeurs d'indicateurs"
    template_name = "spreadsheets/value_import.html"
    permission = VALUE_IMPORT_PERMISSION
    session_key = VALUE_SESSION_KEY
    url_name = "spreadsheets_import_values"

    def options(self, form):
        return {"skip_drafts": form.cleaned_data["skip_drafts"]}

    def plan(self, pending):
        return plan_value_import(
            pending["name"], self.content(pending), skip_drafts=pending.get("skip_drafts", False)
        )

    def mode(self):
        return value_import_mode(self.request.user)

    def apply(self, plan, mode):
        apply_value_import(plan, self.request.user, mode)

    def done_message(self, plan, mode):
        figures = ", ".join(
            count(len(plan.by_outcome(outcome)), outcome.value)
            for outcome in (ValueOutcome.ADDED, ValueOutcome.CHANGED)
        )
        indicators = count(len(plan.changed), "indicateur")
        if mode == Mode.PUBLISH:
            return f"Valeurs importées et publiées : {figures} ({indicators})."
        return f"Valeurs importées : {figures} ({indicators}), soumises à la validation des modérateurs."

    def upload_form(self, *args):
        return ValueUploadForm(*args)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = kwargs.get("plan")
        if plan is not None and plan.is_valid:
            context["changed"] = plan.changed
            context["unchanged"] = plan.unchanged
            context["skipped"] = plan.skipped
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


def download(content, kind, what):
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    filename = f"cop-{what}-{timezone.localdate():%Y-%m-%d}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export_projects(request, kind):
    """Every published project in the import format, for any signed-in agent."""
    if kind not in CONTENT_TYPES:
        raise Http404("Format d'export inconnu.")
    return download(export_file(kind, Reader.of(request.user, request.cop)), kind, "projets")


@login_required
def export_indicator_values(request, kind):
    """The published values of the indicators that the agent may read, in the values' import format."""
    if kind not in CONTENT_TYPES:
        raise Http404("Format d'export inconnu.")
    return download(export_values_file(kind, Reader.of(request.user, request.cop)), kind, "indicateurs")
