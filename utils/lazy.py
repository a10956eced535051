"""Context values that a page computes only when a template reads them."""

from functools import cache

from django.utils.functional import SimpleLazyObject, new_method_proxy


class LazyValue(SimpleLazyObject):
    """A value computed the first time it is read, then kept: inside a cached fragment it is
    never read, and the page served from the cache skips its queries.

    Numbers too: `{{ count|pluralize }}` reads them with float().
    """

    __int__ = new_method_proxy(int)
    __float__ = new_method_proxy(float)
    __index__ = new_method_proxy(lambda value: value.__index__())


def lazy_context(build, names):
    """The values named `names` of the dict that `build()` returns, each a LazyValue; `build`
    runs once, when a template first reads one of them."""
    build_once = cache(build)
    return {name: LazyValue(lambda name=name: build_once()[name]) for name in names}
