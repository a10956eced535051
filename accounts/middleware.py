from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware


class PrivateSiteMiddleware(LoginRequiredMiddleware):
    """Sends anonymous visitors to the login page, unless COP_PUBLIC opens the site.

    The setting is read per request so that a test (or an operator) can flip it
    without rebuilding the middleware chain.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.COP_PUBLIC:
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
