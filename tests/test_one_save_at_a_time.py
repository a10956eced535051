"""The editor's autosave never writes an older form over the version just submitted, even when the
two requests are served at the same time by two workers (a failure seen in CI's browser tests).

Transactional: each request runs in its own thread, on its own connection, as under gunicorn.
"""

import threading
from dataclasses import dataclass

from django.db import connection
from django.urls import reverse

from wagtail import hooks
from wagtail.test.utils.form_data import querydict_from_html

import pytest

from editorial import roles
from indicators.models import Indicator

from .clients import client_for
from .factories import IndicatorFactory
from .test_editorial import edit_url, member

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SUBMITTED_NAME = "Nom soumis à la validation, après l'enregistrement automatique"
WAIT_S = 10
# Long enough for an unhindered submission to be served in full on a busy machine.
SUBMISSION_S = 3


def in_a_thread(name, request):
    def run():
        try:
            request()
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


@dataclass
class Editor:
    """One of the admin's editors: its URL, its form's id and the field that names the object."""

    url: str
    form_id: str
    name_field: str
    edited: object

    def form(self, client, **changes):
        data = querydict_from_html(client.get(self.url).content.decode(), form_id=self.form_id)
        data.update(changes)
        return data

    def latest(self):
        return type(self.edited).objects.get(pk=self.edited.pk)


@pytest.fixture(params=["page", "indicator"])
def editor(request, project, relation_usagers):
    """The page editor on project 16.1, or the snippet editor on an indicator, each published."""
    if request.param == "page":
        project.save_revision().publish()
        return Editor(edit_url(project), "page-edit-form", "title", project)
    indicator = IndicatorFactory(service=relation_usagers)
    url = reverse(Indicator.snippet_viewset.get_url_name("edit"), args=[indicator.pk])
    return Editor(url, "w-editor-form", "name", indicator)


@pytest.fixture
def autosave_held_after_reading():
    """Holds the autosave's thread once Wagtail's editor has read the latest revision, before it
    checks and saves its form: `read` is set then, and the autosave goes on at `release`."""
    read, release = threading.Event(), threading.Event()

    def hold(request, instance):
        if threading.current_thread().name == "autosave":
            read.set()
            release.wait(WAIT_S)

    with hooks.register_temporarily([("before_edit_page", hold), ("before_edit_snippet", hold)]):
        yield read, release
    release.set()


def test_an_autosave_served_beside_the_submission_does_not_write_over_it(editor, autosave_held_after_reading):
    read, release = autosave_held_after_reading
    user = client_for(member("editeur", roles.EDITORS))
    earlier_form = editor.form(user)
    submitted_form = editor.form(user, **{editor.name_field: SUBMITTED_NAME, "action-submit": "Soumettre"})

    autosave = lambda: user.post(editor.url, earlier_form, HTTP_ACCEPT="application/json")  # noqa: E731
    autosaving = in_a_thread("autosave", autosave)
    assert read.wait(WAIT_S)
    submitting = in_a_thread("submission", lambda: user.post(editor.url, submitted_form))
    submitting.join(SUBMISSION_S)
    release.set()
    autosaving.join(WAIT_S)
    submitting.join(WAIT_S)

    latest = editor.latest()
    assert getattr(latest.get_latest_revision_as_object(), editor.name_field) == SUBMITTED_NAME
    assert latest.workflow_states.get().current_task_state.revision == latest.get_latest_revision()
