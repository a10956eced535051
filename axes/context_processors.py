from functools import partial

from .readers import Reader


def reader_key(request):
    return Reader.of(request.user, getattr(request, "cop", None)).key


def reader(request):
    """What the templates' cached fragments vary on besides the publication: which restricted pages
    the agent may see in the COP being read. A callable, so that a page without a cached fragment
    never queries it."""
    return {"cop_reader": partial(reader_key, request)}
