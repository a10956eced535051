"""An import defers the search indexing of its own saves only: another request's save, in another
thread of the same server (GUNICORN_THREADS > 1), is indexed at once."""

import threading

from django.db import connection

import pytest

from axes.models import ProjectPage
from utils.search_index import deferred_search_index

from .factories import ProjectPageFactory

# The other thread writes through its own connection: the rows must be committed for both to see;
# the COP root that the migrations created comes back after the flushes of other such tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def found(words):
    return {page.pk for page in ProjectPage.objects.search(words)}


def retitle(project, title):
    project.title = title
    project.save()


def retitle_in_another_thread(project, title):
    def run():
        try:
            retitle(ProjectPage.objects.get(pk=project.pk), title)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def test_a_save_in_another_thread_during_an_import_is_indexed_at_once(ambition):
    imported, edited = ProjectPageFactory(parent=ambition), ProjectPageFactory(parent=ambition)
    with deferred_search_index():
        retitle(imported, "Tamarin importé")
        retitle_in_another_thread(edited, "Pangolin modifié")
        assert found("Pangolin") == {edited.pk}
        assert found("Tamarin") == set()
    assert found("Tamarin") == {imported.pk}
