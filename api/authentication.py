"""Who reads the API: a client application with an active token (`Authorization: Bearer <key>`,
or `Token <key>`), never a browser's session. It reads what any signed-in agent reads."""

from django.conf import settings
from django.utils import timezone

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken

KEYWORDS = (b"bearer", b"token")
CHALLENGE = "Bearer"


class ApiClient:
    """The application behind a token, as `request.user`: no account, no permission of its own."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = id = None

    def __init__(self, token):
        self.token = token

    def __str__(self):
        return self.token.name

    def has_perm(self, perm, obj=None):
        return False

    def has_perms(self, perm_list, obj=None):
        return False


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise AuthenticationFailed from error
        token = ApiToken.objects.for_key(key)
        if token is None:
            raise AuthenticationFailed
        token.record_use(timezone.now())
        return ApiClient(token), token

    def authenticate_header(self, request):
        return CHALLENGE


class HasApiToken(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, ApiToken)


class TokenRateThrottle(SimpleRateThrottle):
    """COP_API_RATE requests per token, counted in the shared cache (every server process sees them)."""

    scope = "api_token"

    def get_rate(self):
        return settings.COP_API_RATE

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
