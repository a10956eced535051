"""Which COP a request reads: `request.cop`, the current COP at `/…`, another under `/cops/<slug>/…`."""

from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject

from axes.cops import ARCHIVE_PREFIX, cops, cops_scope, current_cop, is_current


class CopMiddleware:
    """Sets `request.cop`, and reads the COPs once for the whole request (axes/cops.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with cops_scope():
            request.cop = SimpleLazyObject(current_cop)
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.pop("cop_slug", None)
        if slug is None:
            return None
        cop = cops().by_slug.get(slug)
        if cop is None:
            raise Http404("Aucun COP à cette adresse.")
        if is_current(cop):
            # The current COP answers at its own URLs: /cops/<its slug>/x/ is /x/.
            prefix = f"/{ARCHIVE_PREFIX}/{slug}/"
            full_path = request.get_full_path()
            return redirect(full_path.replace(prefix, "/", 1))
        request.cop = cop
        return None
