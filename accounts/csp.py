"""Content Security Policy: a strict policy for the COP, a looser one for the Wagtail admin."""

from django.conf import settings

from csp.middleware import CSPMiddleware
from csp.utils import default_config

from . import oidc


class CopCSPMiddleware(CSPMiddleware):
    """Sends COP_ADMIN_CONTENT_SECURITY_POLICY under the admin, CONTENT_SECURITY_POLICY elsewhere.

    Wagtail's admin still writes inline scripts (inline panels, date pickers) and styles, which
    the site's own policy forbids; a view's csp_* decorators still take precedence.

    With the city's single sign-on (accounts/oidc.py), form-action also allows the provider: the
    sign-out form's response sends the agent to its end-session endpoint, and Chromium holds the
    redirects that follow a form to the form's policy.
    """

    def process_response(self, request, response):
        # Wagtail renders a preview as a dummy request to the page's own URL, inside the admin's
        # request: the admin's policy, set on the way out of that one, must be the one sent.
        if getattr(request, "is_dummy", False):
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if parts.config is None and is_admin_path(request.path_info):
            parts.config = default_config(settings.COP_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        if oidc.is_enabled() and (origins := oidc.provider_origins()):
            update = dict(parts.update or {})
            update["form-action"] = [*update.get("form-action", []), *origins]
            parts.update = update
        return parts


def is_admin_path(path):
    return path.startswith(settings.COP_ADMIN_PATH_PREFIX)
