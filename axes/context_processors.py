from functools import partial

from django.utils.functional import SimpleLazyObject

from .models.terminology import DEFAULT
from .readers import Reader


def reader_key(request):
    return Reader.of(request.user, getattr(request, "cop", None)).key


def reader(request):
    """What the templates' cached fragments vary on besides the publication: which restricted pages
    the agent may see in the COP being read. A callable, so that a page without a cached fragment
    never queries it."""
    return {"cop_reader": partial(reader_key, request)}


def terms(request):
    """The words of the COP being read (`terms.axis.title`, `terms.project.title_plural`…), looked up
    only if a template uses them."""
    cop = getattr(request, "cop", None)
    return {"terms": SimpleLazyObject(lambda: cop.terms if cop else DEFAULT)}
