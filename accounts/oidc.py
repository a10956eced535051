"""Sign-in through the city's OpenID Connect provider (README, "Authentification unique").

mozilla-django-oidc speaks the protocol: the authorization code flow with PKCE, the ID token
checked against the provider's keys. This module adds what the COP needs beside it:

- the provider's endpoints, read from its discovery document at first use and kept for an hour
  (the site starts, and local accounts sign in, while the provider is away);
- agents found by their username claim, and made at each sign-in what the claims say
  (accounts/directory.py: name, e-mail, roles, services);
- a failure at the provider, or a provider that does not answer, back on the sign-in page with a
  French message, never an error page;
- signing out of the COP signs out at the provider too.
"""

import hashlib
import logging
import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme

import jwt
import requests
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .directory import DirectoryProfile, apply_profile, parse_role_mapping
from .models import Directory

LOGGER = logging.getLogger(__name__)

# The settings that name an endpoint, and the discovery document's name for each. A setting that
# is given wins over the document.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}
REQUIRED_IN_DISCOVERY = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
DISCOVERY_SECONDS = 60 * 60

UNREACHABLE = (
    "Le service d'authentification de la ville ne répond pas. Réessayez dans quelques minutes\u00a0; "
    "si cela dure, prévenez le service informatique."
)
CANCELLED = "Connexion annulée\u00a0: vous n'avez pas validé la connexion avec le compte de la ville."
REFUSED = (
    "Le service d'authentification de la ville a refusé la connexion. Réessayez\u00a0; si cela dure, "
    "prévenez le service informatique."
)
EXPIRED = (
    "Cette demande de connexion a expiré ou n'a pas été faite depuis ce navigateur. Cliquez de nouveau "
    "sur «\u00a0Se connecter avec le compte de la ville\u00a0»."
)
FAILED = (
    "La connexion avec le compte de la ville a échoué. Réessayez\u00a0; si cela dure, prévenez le "
    "service informatique."
)
INACTIVE = "Ce compte est désactivé dans le COP\u00a0: adressez-vous à l'administrateur du COP."
SIGNED_OUT_LOCALLY = (
    "Vous êtes déconnecté du COP, mais le service d'authentification de la ville ne répond pas\u00a0: "
    "fermez votre navigateur pour fermer aussi votre session du compte de la ville."
)


def is_enabled():
    return getattr(settings, "OIDC_ENABLED", False)


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read."""


# The discovery documents that this process has read: {url: (document, until)}. The shared cache
# spares the other processes the request; this spares each page's policy (accounts/csp.py) a
# look-up in the shared cache.
_documents = {}


def _cache_key(url):
    return "cop-oidc-discovery:" + hashlib.sha256(url.encode()).hexdigest()


def provider_configuration(fetch=True):
    """The provider's discovery document ({} without OIDC_OP_DISCOVERY_URL). Read at most once an
    hour; without `fetch`, only if already read. ProviderUnavailable if it cannot be read."""
    url = getattr(settings, "OIDC_OP_DISCOVERY_URL", "")
    if not url:
        return {}
    document, until = _documents.get(url, (None, 0))
    if document is not None and until > time.monotonic():
        return document
    if not fetch:
        return {}
    document = cache.get(_cache_key(url))
    if document is None:
        document = _fetch_discovery(url)
        cache.set(_cache_key(url), document, DISCOVERY_SECONDS)
    _documents[url] = (document, time.monotonic() + DISCOVERY_SECONDS)
    return document


def forget_provider_configuration():
    """After the provider changes its endpoints (or between tests)."""
    urls = {*_documents, getattr(settings, "OIDC_OP_DISCOVERY_URL", "")}
    cache.delete_many([_cache_key(url) for url in urls if url])
    _documents.clear()


def _fetch_discovery(url):
    try:
        response = requests.get(
            url,
            timeout=settings.OIDC_TIMEOUT,
            verify=getattr(settings, "OIDC_VERIFY_SSL", True),
            proxies=getattr(settings, "OIDC_PROXY", None),
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"{url}: {error}") from error
    if not isinstance(document, dict) or not all(
        isinstance(document.get(k), str) for k in REQUIRED_IN_DISCOVERY
    ):
        raise ProviderUnavailable(f"{url}: not an OpenID Connect discovery document")
    return document


def endpoint(setting, fetch=True):
    """The endpoint that `setting` names, or else the discovery document's ("" if neither)."""
    return getattr(settings, setting, "") or provider_configuration(fetch).get(ENDPOINTS[setting], "")


def provider_origins():
    """The provider's origins that the sign-out form's redirect may go to (accounts/csp.py),
    without asking the provider: its discovery document's, its end-session endpoint's."""
    urls = [getattr(settings, "OIDC_OP_DISCOVERY_URL", ""), endpoint("OIDC_OP_LOGOUT_ENDPOINT", fetch=False)]
    origins = []
    for url in filter(None, urls):
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if parts.scheme and parts.netloc and origin not in origins:
            origins.append(origin)
    return origins


def claim(claims, name):
    """The claim `name`; a dotted name also reaches into objects (Keycloak's `realm_access.roles`)
    when no claim has that very name."""
    if not name:
        return None
    if name in claims:
        return claims[name]
    value = claims
    for part in name.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def claim_values(claims, name):
    """A claim's values as a list of strings: the claim may be a string or a list."""
    value = claim(claims, name)
    if value is None:
        return []
    values = value if isinstance(value, list | tuple) else [value]
    return [str(item).strip() for item in values if item is not None and str(item).strip()]


def claim_text(claims, name):
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def profile_from_claims(claims):
    """What the provider says of the agent, as the directory profile that accounts/directory.py applies."""
    mapping = parse_role_mapping(settings.OIDC_ROLE_GROUPS)
    groups = {value.casefold() for value in claim_values(claims, settings.OIDC_CLAIM_ROLES)}
    return DirectoryProfile(
        directory=Directory.OIDC,
        first_name=claim_text(claims, "given_name"),
        last_name=claim_text(claims, "family_name"),
        email=claim_text(claims, "email"),
        roles={role for role, group in mapping.items() if group.casefold() in groups},
        managed_roles=set(mapping),
        service_values=claim_values(claims, settings.OIDC_CLAIM_SERVICES),
    )


class DirectoryOIDCBackend(OIDCAuthenticationBackend):
    """Agents signed in by the city's provider: found by their username claim, whatever its case,
    created at their first sign-in, and updated from the claims at each one."""

    def __init__(self, *args, **kwargs):
        # No endpoint read here, unlike the parent: Django builds the backend at every request of
        # a signed-in agent (get_user), and the endpoints may wait on the provider.
        self.UserModel = get_user_model()

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: endpoint("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: endpoint("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: endpoint("OIDC_OP_JWKS_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        # Only the callback view, which hands over the sign-in's nonce, signs in through the
        # provider: a username and password are for the other backends.
        if not is_enabled() or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed by the user info endpoint's: some providers (Entra ID)
        put the username and groups in the ID token only."""
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The user info is not about the ID token's subject.")
        return {**payload, **userinfo}

    def get_or_create_user(self, access_token, id_token, payload):
        audience = payload.get("aud")
        if self.OIDC_RP_CLIENT_ID not in ([audience] if isinstance(audience, str) else audience or []):
            raise SuspiciousOperation("The ID token was not issued to the COP.")
        return super().get_or_create_user(access_token, id_token, payload)

    def verify_claims(self, claims):
        if claim_text(claims, settings.OIDC_CLAIM_USERNAME):
            return True
        LOGGER.warning(
            "OIDC sign-in refused: no %s claim among %s", settings.OIDC_CLAIM_USERNAME, sorted(claims)
        )
        return False

    def describe_user_by_claims(self, claims):
        return f"username {claim_text(claims, settings.OIDC_CLAIM_USERNAME)}"

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(
            username__iexact=claim_text(claims, settings.OIDC_CLAIM_USERNAME)
        )

    def create_user(self, claims):
        return self.update_user(
            self.UserModel(username=claim_text(claims, settings.OIDC_CLAIM_USERNAME)), claims
        )

    def update_user(self, user, claims):
        return apply_profile(user, profile_from_claims(claims))

    # Django's, not the parent's: an agent deactivated in the COP is signed out at their next request.
    get_user = ModelBackend.get_user


def back_to_login(request, message):
    """The sign-in page with `message`, and the page the agent was going to still in `next`."""
    messages.error(request, message)
    url = reverse("login")
    next_url = request.session.get("oidc_login_next")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        url += "?" + urlencode({"next": next_url})
    return HttpResponseRedirect(url)


@method_decorator(login_not_required, name="dispatch")
class ProviderSignInView(OIDCAuthenticationRequestView):
    """Sends the agent to the provider's sign-in, with the state, nonce and PKCE challenge kept in
    their session."""

    def __init__(self, **kwargs):
        # The endpoint is read at the request, from the discovery document if need be.
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request):
        if not is_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = endpoint("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable as error:
            LOGGER.warning("OIDC provider unavailable: %s", error)
            return back_to_login(request, UNREACHABLE)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class ProviderCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the agent back: signed in, or on the sign-in page with the reason."""

    user = None

    def get(self, request):
        if not is_enabled():
            raise Http404
        try:
            return super().get(request)
        except SuspiciousOperation as error:
            # A state that no sign-in started in this browser: replayed, forged, or too old.
            LOGGER.warning("OIDC callback refused: %s", error)
            return back_to_login(request, EXPIRED)
        except (ProviderUnavailable, requests.ConnectionError, requests.Timeout) as error:
            LOGGER.warning("OIDC provider unavailable: %s", error)
            return back_to_login(request, UNREACHABLE)
        except (requests.RequestException, jwt.InvalidTokenError, ValueError) as error:
            LOGGER.warning("OIDC sign-in failed: %s", error)
            return back_to_login(request, FAILED)

    def login_failure(self):
        error = self.request.GET.get("error")
        if error == "access_denied":
            message = CANCELLED
        elif error:
            LOGGER.warning("OIDC provider error: %s %s", error, self.request.GET.get("error_description", ""))
            message = REFUSED
        elif self.user is not None and not self.user.is_active:
            message = INACTIVE
        elif "oidc_states" not in self.request.session:
            message = EXPIRED
        else:
            message = FAILED
        return back_to_login(self.request, message)


def provider_logout_url(request):
    """Where signing out sends the agent (OIDC_OP_LOGOUT_URL_METHOD, asked before the session
    ends): for an agent signed in by the provider, its end-session endpoint, which ends its own
    session too and sends them back to the sign-in page; the sign-in page otherwise."""
    sign_in_page = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    if not (is_enabled() and id_token):
        return sign_in_page
    try:
        end_session = endpoint("OIDC_OP_LOGOUT_ENDPOINT")
    except ProviderUnavailable as error:
        LOGGER.warning("OIDC provider unavailable at sign-out: %s", error)
        messages.warning(request, SIGNED_OUT_LOCALLY)
        return sign_in_page
    if not end_session:
        return sign_in_page
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(sign_in_page),
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{end_session}{'&' if '?' in end_session else '?'}{query}"
