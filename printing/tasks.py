"""The PDFs rebuilt in the background, by the worker of the database queue (django-tasks):
`manage.py db_worker --backend pdf` (README, "Déploiement").

Once a publication is committed (signals.py), one task looks for the PDFs whose content changed
and queues the build of each, the booklet first. An agent who asks for a PDF before its build gets
the newest complete file at once (views.py), and queues its build too. A task waiting in the queue
will see every change committed before it starts, so a call already waiting is not queued again:
a burst of publications queues each build once.

A save in the page editor queues the count of its chapter's printed length (lengths.py) the same
way: an editor's request never lays a chapter out, and one count waits per chapter at most.
"""

from functools import partial

from django.db import transaction

from django_tasks import TaskResultStatus, task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from axes.cops import cops_scope
from axes.models import AxisPage
from axes.readers import Reader

from . import documents, lengths

BACKEND = "pdf"
# The worker takes the highest priority first: finding what changed, then the booklet (ready
# within 10 s of a publication, scripts/bench.py measures it), then the other PDFs.
FINDING_PRIORITY = 20
BOOKLET_PRIORITY = 10
# An editor who has just saved waits for it; a chapter takes a second or two.
LENGTH_PRIORITY = 5


@task(backend=BACKEND, priority=FINDING_PRIORITY)
@cops_scope()
def rebuild_changed_pdfs():
    """Queues the build of each PDF that any signed-in agent reads whose current file is not written."""
    for document in documents.every_document():
        if not document.is_written(document.fingerprint()):
            queue_build(document)


@task(backend=BACKEND)
@cops_scope()
def build_pdf(key, hidden_paths, scope=""):
    """Writes the current file of the PDF `key` as the reader of the COP at `scope` who does not see
    `hidden_paths` reads it."""
    document = documents.find(key, Reader(tuple(hidden_paths), scope))
    if document is not None:
        document.cached_path()


@task(backend=BACKEND, priority=LENGTH_PRIORITY)
@cops_scope()
def count_chapter_length(axis_pk):
    """Counts the printed pages of the chapter of the axis `axis_pk` as its drafts are now."""
    axis = AxisPage.objects.filter(pk=axis_pk).first()
    if axis is not None:
        lengths.count_chapter_length(axis)


def queue_length_count(axis):
    """Once (and if) the save's transaction is committed, so that the worker reads what was saved."""
    transaction.on_commit(partial(queue_once, count_chapter_length, axis.pk))


def queue_rebuild():
    """After a change that readers see, once (and if) its transaction is committed."""
    transaction.on_commit(partial(queue_once, rebuild_changed_pdfs))


def queue_build(document):
    priority = BOOKLET_PRIORITY if document.key == documents.BOOKLET_KEY else build_pdf.priority
    reader = document.reader
    queue_once(build_pdf.using(priority=priority), document.key, list(reader.hidden_paths), reader.scope)


def queue_once(task, *args):
    if not is_waiting(task, args):
        task.enqueue(*args)


def is_waiting(task, args):
    """Whether the same call waits in the queue, not started yet."""
    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False  # a queue that cannot be read: the tests' dummy backend
    return DBTaskResult.objects.filter(
        backend_name=backend.alias,
        task_path=task.module_path,
        status=TaskResultStatus.READY,
        args_kwargs={"args": list(args), "kwargs": {}},
    ).exists()
