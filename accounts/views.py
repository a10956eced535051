from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse

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


@login_not_required
def session_check(request):
    """For the reverse proxy's auth_request (README, "Déploiement"): 204 for a signed-in agent,
    401 otherwise, so that the proxy serves image renditions from disk to agents only."""
    if request.user.is_authenticated or settings.COP_PUBLIC:
        return HttpResponse(status=204)
    return HttpResponse(status=401)
