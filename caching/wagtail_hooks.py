from wagtail import hooks

from .pages import cache_whole_page


@hooks.register("before_serve_page")
def cache_cop_pages(page, request, serve_args, serve_kwargs):
    cache_whole_page(request)
