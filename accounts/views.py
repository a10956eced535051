from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.utils.module_loading import import_string

from .lockout import LockoutAuthenticationForm


class LoginView(auth_views.LoginView):
    """Django's sign-in, refused for a while after repeated failures (accounts/lockout.py)."""

    template_name = "accounts/login.html"
    authentication_form = LockoutAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.is_locked:
            response.status_code = 429
        return response

    def get_context_data(self, **kwargs):
        # The city's single sign-on (accounts/oidc.py), offered above the form of local accounts.
        return super().get_context_data(**kwargs, oidc_enabled=getattr(settings, "OIDC_ENABLED", False))


class LogoutView(auth_views.LogoutView):
    """Django's sign-out; an agent signed in by the city's provider is signed out there too.

    As mozilla-django-oidc's own logout view does, OIDC_OP_LOGOUT_URL_METHOD says where to send
    the agent (accounts/oidc.py: the provider's end-session endpoint), asked before Django's
    logout empties the session where the agent's ID token is.
    """

    logout_url = ""

    def post(self, request, *args, **kwargs):
        method = getattr(settings, "OIDC_OP_LOGOUT_URL_METHOD", "")
        if method and request.user.is_authenticated:
            self.logout_url = import_string(method)(request)
        return super().post(request, *args, **kwargs)

    def get_success_url(self):
        return self.logout_url or super().get_success_url()


@login_not_required
def session_check(request):
    """For the reverse proxy's auth_request (README, "Déploiement"): 204 for a signed-in agent,
    401 otherwise, so that the proxy serves image renditions from disk to agents only."""
    if request.user.is_authenticated or settings.COP_PUBLIC:
        return HttpResponse(status=204)
    return HttpResponse(status=401)
