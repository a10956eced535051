"""Single sign-on with the city's OpenID Connect provider: settings, claims, failures, sign-out.

What needs no provider is here; signing in through a real one, in Chromium, is in
tests/test_oidc_browser.py.
"""

import html
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured

import pytest

from accounts import oidc
from accounts.directory import ADMINISTRATORS
from cop_site.settings.oidc import oidc_settings
from editorial import roles

from .factories import UserFactory
from .oidc_server import use_oidc

pytestmark = pytest.mark.django_db

CITY = {"OIDC_RP_CLIENT_ID": "cop", "OIDC_RP_CLIENT_SECRET": "secret"}
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://sso.ville.example/auth",
    "OIDC_OP_TOKEN_ENDPOINT": "https://sso.ville.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://sso.ville.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://sso.ville.example/jwks",
    "OIDC_OP_LOGOUT_ENDPOINT": "https://sso.ville.example/logout",
}


def page_text(response):
    return html.unescape(response.content.decode())


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


@pytest.fixture
def city_endpoints(settings):
    """OIDC on, with endpoints given one by one: no network."""
    use_oidc(
        settings,
        {**CITY, **ENDPOINTS, "OIDC_ROLE_GROUPS": "Éditeurs=cop-editeurs;Administrateurs=cop-admins"},
    )
    yield
    oidc.forget_provider_configuration()


# Settings


def test_without_a_client_id_oidc_is_off():
    assert oidc_settings({}) == {"OIDC_ENABLED": False, "OIDC_AUTHENTICATION_BACKENDS": []}


def test_a_client_id_without_its_secret_is_refused_in_french():
    with pytest.raises(ImproperlyConfigured, match="OIDC_RP_CLIENT_SECRET manque dans l'environnement"):
        oidc_settings(
            {"OIDC_RP_CLIENT_ID": "cop", "OIDC_OP_DISCOVERY_URL": "https://sso.ville.example/.well"}
        )


@pytest.mark.parametrize(
    "missing",
    [
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
    ],
)
def test_without_a_discovery_document_each_endpoint_is_required(missing):
    environ = {**CITY, **ENDPOINTS}
    del environ[missing]
    with pytest.raises(ImproperlyConfigured) as error:
        oidc_settings(environ)
    assert f"{missing} manque" in str(error.value)
    assert "OIDC_OP_DISCOVERY_URL" in str(error.value)


def test_a_provider_without_an_end_session_endpoint_is_accepted():
    environ = {**CITY, **ENDPOINTS}
    del environ["OIDC_OP_LOGOUT_ENDPOINT"]
    assert oidc_settings(environ)["OIDC_ENABLED"]


def test_a_discovery_url_is_enough_and_the_defaults_are_safe():
    values = oidc_settings(
        {**CITY, "OIDC_OP_DISCOVERY_URL": "https://sso.ville.example/.well-known/openid-configuration"}
    )
    assert values["OIDC_AUTHENTICATION_BACKENDS"] == ["accounts.oidc.DirectoryOIDCBackend"]
    assert values["OIDC_OP_AUTHORIZATION_ENDPOINT"] == ""  # read from the document at first use
    assert values["OIDC_USE_PKCE"] and values["OIDC_STORE_ID_TOKEN"]
    assert values["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert values["OIDC_RP_SCOPES"] == "openid email profile"
    assert values["OIDC_OP_LOGOUT_URL_METHOD"] == "accounts.oidc.provider_logout_url"
    assert (values["OIDC_CLAIM_USERNAME"], values["OIDC_CLAIM_SERVICES"], values["OIDC_CLAIM_ROLES"]) == (
        "preferred_username",
        "department",
        "groups",
    )
    assert values["OIDC_ROLE_GROUPS"] == ""  # roles are given in the COP until the city maps them


def test_the_site_refuses_to_start_with_half_an_oidc_configuration():
    environ = {key: value for key, value in os.environ.items() if not key.startswith("OIDC_")}
    environ |= {"DJANGO_SETTINGS_MODULE": "cop_site.settings.dev", "OIDC_RP_CLIENT_ID": "cop"}
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.DEBUG"],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert (
        "ImproperlyConfigured: OIDC_RP_CLIENT_ID est défini, mais OIDC_RP_CLIENT_SECRET manque"
        in result.stderr
    )


# The login page


def test_without_oidc_the_login_page_has_only_the_local_form(client):
    text = page_text(client.get("/connexion/"))
    assert "Se connecter avec le compte de la ville" not in text
    assert client.get("/connexion/oidc/").status_code == 404
    assert client.get("/connexion/oidc/retour/?code=x&state=y").status_code == 404


def test_the_citys_sign_in_comes_above_the_local_form_and_keeps_the_next_page(client, city_endpoints):
    text = page_text(client.get("/connexion/?next=/mon-service/"))
    button = text.index(
        'href="/connexion/oidc/?next=/mon-service/">Se connecter avec le compte de la ville</a>'
    )
    assert (
        button < text.index("<h2>Compte local</h2>") < text.index('<form method="post" action="/connexion/"')
    )


def test_the_sign_in_link_sends_the_agent_to_the_provider_with_pkce(client, city_endpoints):
    response = client.get("/connexion/oidc/?next=/mon-service/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (
        f"{location.scheme}://{location.netloc}{location.path}" == ENDPOINTS["OIDC_OP_AUTHORIZATION_ENDPOINT"]
    )
    query = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert query["client_id"] == "cop"
    assert query["redirect_uri"] == "http://testserver/connexion/oidc/retour/"
    assert query["scope"] == "openid email profile"
    assert query["code_challenge_method"] == "S256" and query["code_challenge"]
    assert query["state"] in client.session["oidc_states"]
    assert client.session["oidc_login_next"] == "/mon-service/"


# Failures come back to the login page, in French


def started_sign_in(client):
    """The state of a sign-in started in this browser."""
    location = client.get("/connexion/oidc/?next=/mon-service/")["Location"]
    return parse_qs(urlsplit(location).query)["state"][0]


def test_an_agent_who_cancels_at_the_provider_is_told_so(client, city_endpoints):
    state = started_sign_in(client)
    response = client.get(f"/connexion/oidc/retour/?error=access_denied&state={state}", follow=True)
    assert response.redirect_chain[-1] == ("/connexion/?next=%2Fmon-service%2F", 302)
    assert messages_of(response) == [oidc.CANCELLED]
    assert state not in client.session.get("oidc_states", {})  # never usable again


def test_an_error_at_the_provider_is_told_in_french(client, city_endpoints):
    state = started_sign_in(client)
    response = client.get(f"/connexion/oidc/retour/?error=server_error&state={state}", follow=True)
    assert response.status_code == 200
    assert messages_of(response) == [oidc.REFUSED]


def test_a_callback_with_a_state_this_browser_never_sent_is_refused_without_an_error_page(
    client, city_endpoints
):
    started_sign_in(client)
    response = client.get("/connexion/oidc/retour/?code=stolen&state=forged", follow=True)
    assert response.status_code == 200
    assert messages_of(response) == [oidc.EXPIRED]
    assert not response.context["user"].is_authenticated


def test_a_callback_without_any_sign_in_started_is_refused(client, city_endpoints):
    response = client.get("/connexion/oidc/retour/?code=stolen&state=forged", follow=True)
    assert response.status_code == 200
    assert messages_of(response) == [oidc.EXPIRED]


# The provider's discovery document


@contextmanager
def http_server(handler_class):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class DiscoveryHandler(http.server.BaseHTTPRequestHandler):
    requests = 0

    def do_GET(self):
        type(self).requests += 1
        issuer = f"http://{self.headers['Host']}"
        document = {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/auth",
            "token_endpoint": f"{issuer}/token",
            "userinfo_endpoint": f"{issuer}/me",
            "jwks_uri": f"{issuer}/jwks",
            "end_session_endpoint": f"{issuer}/session/end",
        }
        body = json.dumps(document).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_the_discovery_document_is_read_once_and_shared_through_the_cache(settings, client):
    DiscoveryHandler.requests = 0
    with http_server(DiscoveryHandler) as issuer:
        use_oidc(settings, {**CITY, "OIDC_OP_DISCOVERY_URL": f"{issuer}/.well-known/openid-configuration"})
        assert client.get("/connexion/oidc/")["Location"].startswith(f"{issuer}/auth?")
        assert client.get("/connexion/oidc/")["Location"].startswith(f"{issuer}/auth?")
        assert DiscoveryHandler.requests == 1
        oidc._documents.clear()  # another process: the shared cache has it
        assert oidc.endpoint("OIDC_OP_LOGOUT_ENDPOINT") == f"{issuer}/session/end"
        assert DiscoveryHandler.requests == 1
        oidc.forget_provider_configuration()


@pytest.fixture
def provider_away(settings):
    """OIDC configured with a discovery document on a port where nothing listens."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    use_oidc(
        settings,
        {**CITY, "OIDC_OP_DISCOVERY_URL": f"http://127.0.0.1:{port}/.well-known/openid-configuration"},
    )


@pytest.mark.usefixtures("provider_away")
def test_a_provider_that_does_not_answer_sends_back_to_the_login_page_in_french(client):
    response = client.get("/connexion/oidc/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/connexion/", 302)]
    assert messages_of(response) == [oidc.UNREACHABLE]
    assert "Se connecter avec le compte de la ville" in page_text(response)


def test_a_provider_that_hangs_costs_the_timeout_not_a_worker(settings, client):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # accepts, never answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/.well-known/openid-configuration"
        use_oidc(settings, {**CITY, "OIDC_OP_DISCOVERY_URL": url, "OIDC_TIMEOUT": "0.5"})
        started = time.monotonic()
        response = client.get("/connexion/oidc/", follow=True)
        assert time.monotonic() - started < 5
    assert messages_of(response) == [oidc.UNREACHABLE]


class NotDiscoveryHandler(DiscoveryHandler):
    def do_GET(self):
        body = b"<!DOCTYPE html><title>Portail de la ville</title>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_a_page_that_is_no_discovery_document_is_a_provider_away(settings, client):
    with http_server(NotDiscoveryHandler) as portal:
        use_oidc(settings, {**CITY, "OIDC_OP_DISCOVERY_URL": f"{portal}/"})
        response = client.get("/connexion/oidc/", follow=True)
    assert messages_of(response) == [oidc.UNREACHABLE]


# Claims make the agent's account


def backend():
    return oidc.DirectoryOIDCBackend()


def test_an_agent_is_found_by_username_whatever_its_case_and_takes_the_claims(
    city_endpoints, relation_usagers, education
):
    agent = UserFactory(username="cmartin", first_name="Ancien", email="ancien@ville.example")
    agent.groups.add(Group.objects.get(name=roles.REFERENTS))
    claims = {
        "sub": "1",
        "preferred_username": "CMartin",
        "given_name": "Camille",
        "family_name": "Martin",
        "email": "camille.martin@ville.example",
        "department": "relation usagers",
        "groups": ["agents", "COP-Editeurs"],
    }
    [found] = backend().filter_users_by_claims(claims)
    assert found == agent
    user = backend().update_user(found, claims)
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.email) == (
        "Camille",
        "Martin",
        "camille.martin@ville.example",
    )
    assert user.directory == "oidc"
    assert list(user.services.all()) == [relation_usagers]
    assert user.directory_services == ["relation usagers"]
    # Éditeurs comes from the provider; Référents de service, which no mapping names, stays the COP's.
    assert set(user.groups.values_list("name", flat=True)) == {roles.EDITORS, roles.REFERENTS}
    assert not user.is_superuser


def test_a_new_agent_is_created_at_first_sign_in_with_services_from_a_list_claim(
    city_endpoints, relation_usagers, education
):
    claims = {
        "sub": "2",
        "preferred_username": "dleroy",
        "department": ["Éducation", "Relation usagers"],
        "groups": "cop-admins",
    }
    user = backend().create_user(claims)
    assert user.pk and user.username == "dleroy"
    assert not user.has_usable_password()
    assert set(user.services.all()) == {relation_usagers, education}
    assert user.is_superuser  # "Administrateurs" is the superuser flag, not a group
    claims["groups"] = []
    user = backend().update_user(user, claims)
    assert not user.is_superuser and ADMINISTRATORS not in user.groups.values_list("name", flat=True)


def test_a_dotted_claim_name_reaches_into_keycloaks_realm_roles(settings, city_endpoints):
    settings.OIDC_CLAIM_ROLES = "realm_access.roles"
    profile = oidc.profile_from_claims(
        {"preferred_username": "x", "realm_access": {"roles": ["cop-editeurs"]}}
    )
    assert profile.roles == {roles.EDITORS}


def test_claims_without_a_username_sign_nobody_in(city_endpoints):
    assert not backend().verify_claims({"sub": "3", "email": "x@ville.example"})
    assert backend().verify_claims({"sub": "3", "preferred_username": "x"})


def test_an_agent_deactivated_in_the_cop_is_signed_out_at_their_next_request(client, city_endpoints):
    agent = UserFactory(username="cmartin")
    signed_in_through_the_provider(client, agent)
    assert client.get("/connexion/").context["user"] == agent
    agent.is_active = False
    agent.save()
    assert not client.get("/connexion/").context["user"].is_authenticated


def test_the_password_form_never_reaches_the_provider(city_endpoints, rf):
    request = rf.post("/connexion/?code=x&state=y")
    assert backend().authenticate(request, username="agent", password="secret") is None


# Signing out


def signed_in_through_the_provider(client, user):
    client.force_login(user, backend="accounts.oidc.DirectoryOIDCBackend")
    session = client.session
    session["oidc_id_token"] = "the.id.token"
    session.save()


def test_signing_out_an_agent_of_the_provider_signs_them_out_there_too(client, city_endpoints):
    signed_in_through_the_provider(client, UserFactory(username="cmartin"))
    response = client.post("/deconnexion/")
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == ENDPOINTS["OIDC_OP_LOGOUT_ENDPOINT"]
    assert parse_qs(location.query) == {
        "id_token_hint": ["the.id.token"],
        "post_logout_redirect_uri": ["http://testserver/connexion/"],
        "client_id": ["cop"],
    }
    assert not client.get("/connexion/").context["user"].is_authenticated


def test_a_local_account_signs_out_of_the_cop_only(client, city_endpoints):
    client.force_login(UserFactory(username="admin"))
    response = client.post("/deconnexion/")
    assert response["Location"] == "/connexion/"


@pytest.mark.usefixtures("provider_away")
def test_when_the_provider_is_away_at_sign_out_the_agent_is_still_signed_out_and_told(client):
    signed_in_through_the_provider(client, UserFactory(username="cmartin"))
    response = client.post("/deconnexion/", follow=True)
    assert response.redirect_chain == [("/connexion/", 302)]
    assert not response.context["user"].is_authenticated
    assert messages_of(response) == [oidc.SIGNED_OUT_LOCALLY]


def form_action(response):
    policy = response["Content-Security-Policy"]
    return next(part for part in policy.split("; ") if part.startswith("form-action")).split()[1:]


def test_the_sign_out_form_may_lead_to_the_provider_when_oidc_is_on(settings, client, admin_client):
    assert form_action(client.get("/connexion/")) == ["'self'"]
    use_oidc(
        settings,
        {
            **CITY,
            "OIDC_OP_DISCOVERY_URL": "https://sso.ville.example/realms/ville/.well-known/openid-configuration",
        },
    )
    assert form_action(client.get("/connexion/")) == ["'self'", "https://sso.ville.example"]
    assert form_action(admin_client.get("/admin/")) == ["'self'", "https://sso.ville.example"]
