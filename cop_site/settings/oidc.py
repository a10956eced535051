"""Sign-in through the city's OpenID Connect provider (README, "Authentification unique"): on when
OIDC_RP_CLIENT_ID is set.

The provider is named by its discovery document (OIDC_OP_DISCOVERY_URL), which accounts/oidc.py
reads at the first sign-in, never here: the site starts while the provider is away. Without a
discovery document, each endpoint is given. mozilla-django-oidc reads the OIDC_* settings.
"""

import os

from django.core.exceptions import ImproperlyConfigured

# Without a discovery document, the endpoints that signing in needs (the logout one is optional:
# without it, signing out of the COP leaves the provider's session alone).
_REQUIRED_ENDPOINTS = ("OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT")


def oidc_settings(environ):
    """The OIDC settings that `environ` describes; ImproperlyConfigured, in French, when it is
    half done."""

    def value(name, default=""):
        return environ.get(name, default).strip()

    client_id = value("OIDC_RP_CLIENT_ID")
    if not client_id:
        return {"OIDC_ENABLED": False, "OIDC_AUTHENTICATION_BACKENDS": []}

    def missing(name, meaning):
        return ImproperlyConfigured(
            f"OIDC_RP_CLIENT_ID est défini, mais {name} manque dans l'environnement : {meaning}."
        )

    if not value("OIDC_RP_CLIENT_SECRET"):
        raise missing("OIDC_RP_CLIENT_SECRET", "le secret du client, donné par le fournisseur d'identité")
    sign_algo = value("OIDC_RP_SIGN_ALGO", "RS256")
    endpoints = {
        name: value(name)
        for name in (*_REQUIRED_ENDPOINTS, "OIDC_OP_JWKS_ENDPOINT", "OIDC_OP_LOGOUT_ENDPOINT")
    }
    discovery_url = value("OIDC_OP_DISCOVERY_URL")
    if not discovery_url:
        required = [*_REQUIRED_ENDPOINTS]
        if sign_algo.startswith(("RS", "ES")):
            # The provider's public keys check the signature of its tokens.
            required.append("OIDC_OP_JWKS_ENDPOINT")
        for name in required:
            if not endpoints[name]:
                raise missing(
                    name,
                    "donnez OIDC_OP_DISCOVERY_URL, l'adresse du document "
                    ".well-known/openid-configuration du fournisseur, ou chacun de ses points d'accès",
                )
    try:
        timeout = float(value("OIDC_TIMEOUT", "5"))
    except ValueError:
        raise ImproperlyConfigured("OIDC_TIMEOUT doit être un nombre de secondes, par exemple 5.") from None

    return {
        "OIDC_ENABLED": True,
        "OIDC_AUTHENTICATION_BACKENDS": ["accounts.oidc.DirectoryOIDCBackend"],
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": value("OIDC_RP_CLIENT_SECRET"),
        "OIDC_OP_DISCOVERY_URL": discovery_url,
        # Empty: read from the discovery document (accounts/oidc.py), which they override.
        **endpoints,
        "OIDC_RP_SIGN_ALGO": sign_algo,
        "OIDC_RP_SCOPES": value("OIDC_RP_SCOPES", "openid email profile"),
        # Some providers accept the client's secret only in an Authorization header.
        "OIDC_TOKEN_USE_BASIC_AUTH": value("OIDC_TOKEN_USE_BASIC_AUTH").lower() in {"1", "true", "yes", "on"},
        # Seconds to wait for the provider (discovery, tokens, keys, user info).
        "OIDC_TIMEOUT": timeout,
        "OIDC_USE_PKCE": True,
        # The agent's ID token, kept in their session, lets the provider end its own session with
        # the COP's (accounts/oidc.py, provider_logout_url).
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_OP_LOGOUT_URL_METHOD": "accounts.oidc.provider_logout_url",
        # Which claims say what (accounts/oidc.py): the username; the services, a string or a list,
        # matched by name or alias; the groups that OIDC_ROLE_GROUPS maps to COP roles
        # ("Éditeurs=cop-editeurs;Modérateurs=cop-moderateurs"; empty: roles are given in the COP).
        "OIDC_CLAIM_USERNAME": value("OIDC_CLAIM_USERNAME", "preferred_username"),
        "OIDC_CLAIM_SERVICES": value("OIDC_CLAIM_SERVICES", "department"),
        "OIDC_CLAIM_ROLES": value("OIDC_CLAIM_ROLES", "groups"),
        "OIDC_ROLE_GROUPS": value("OIDC_ROLE_GROUPS"),
    }


globals().update(oidc_settings(os.environ))
