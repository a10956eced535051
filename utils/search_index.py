"""Search indexing deferred for one block of work (an import, the demo), in its own thread only.

Creating and publishing a page saves it three times, and the database backend recomputes a
statistic over the whole index at each save: slow, and slower as the COP grows. Inside
`deferred_search_index()`, the saves of the current thread (or task) are only noted, and their
objects are indexed from the database once, in batches, when the block succeeds. A save made
meanwhile by another request, in another thread, is indexed at once as usual.

`defer_indexing_on_save` puts the one handler that knows this in the place of modelsearch's,
once, at startup (UtilsConfig.ready).
"""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import post_save

from modelsearch import index
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.search.backends import get_search_backends

CHUNK_SIZE = 500

# The objects saved so far by the deferring block of this thread or task; None outside one.
deferred_objects = ContextVar("deferred_objects", default=None)


def defer_indexing_on_save():
    """Replaces modelsearch's post_save handler, for each indexed model, by one that may defer."""
    for model in index.get_indexed_models():
        if post_save.disconnect(post_save_signal_handler, sender=model):
            post_save.connect(index_on_save, sender=model)


def index_on_save(instance, **kwargs):
    if not note_if_deferred(instance):
        post_save_signal_handler(instance, **kwargs)


def index_now_or_later(instance):
    """Indexes `instance` now, or at the end of the current thread's deferring block."""
    if not note_if_deferred(instance):
        index.insert_or_update_object(instance)


def note_if_deferred(instance):
    pending = deferred_objects.get()
    if pending is not None:
        pending[type(instance)].add(instance.pk)
    return pending is not None


@contextmanager
def deferred_search_index():
    """Indexes what the block saves once, at its end, with what the database then holds."""
    pending = defaultdict(set)
    token = deferred_objects.set(pending)
    try:
        yield
    finally:
        deferred_objects.reset(token)
    index_objects(pending)


def index_objects(ids_by_model):
    backends = list(get_search_backends(with_auto_update=True))
    for model, ids in ids_by_model.items():
        ids = sorted(ids)
        for start in range(0, len(ids), CHUNK_SIZE):
            objects = list(model.get_indexed_objects().filter(pk__in=ids[start : start + CHUNK_SIZE]))
            for backend in backends:
                backend.add_bulk(model, objects)
