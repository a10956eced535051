"""A real OpenLDAP server for the tests of directory sign-in (tests/test_ldap.py).

The tests start Debian's slapd themselves, as scripts/with_postgres.py starts PostgreSQL: in a
temporary directory, on a free port of 127.0.0.1, with the city's directory of
tests/directory/ville.ldif loaded by slapadd, and the password policy overlay that OpenLDAP
installations use to lock accounts (pwdAccountLockedTime: the default LDAP_DISABLED_FILTER).
Without slapd the tests fail, never skip: `.ci/run` installs it.
"""

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

SLAPD = Path("/usr/sbin/slapd")
SLAPADD = Path("/usr/sbin/slapadd")
LDAPMODIFY = "ldapmodify"
SCHEMAS = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")
LDIF = Path(__file__).parent / "directory" / "ville.ldif"

SUFFIX = "dc=ville,dc=fr"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "administrateur-de-test"
# The COP's service account, in the LDIF.
SERVICE_DN = f"uid=cop,ou=services,{SUFFIX}"
SERVICE_PASSWORD = "compte-de-service-cop"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"

CONFIG = """\
include {schemas}/core.schema
include {schemas}/cosine.schema
include {schemas}/inetorgperson.schema
include {schemas}/nis.schema
modulepath {modules}
moduleload back_mdb
# OpenLDAP 2.5's password policy overlay brings its own schema (pwdPolicy, pwdAccountLockedTime).
moduleload ppolicy
pidfile {directory}/slapd.pid

database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{admin_dn}"
rootpw {admin_password}
directory {directory}/data
overlay ppolicy
ppolicy_default "cn=default,ou=policies,{suffix}"
# As in a city's directory: agents bind with their password; only signed-in accounts read.
access to attrs=userPassword by anonymous auth by self write by * none
access to * by users read by * none
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Slapd:
    """One slapd, which `reset()` brings back to the LDIF's directory."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}"
        self.config = directory / "slapd.conf"
        self.log = directory / "slapd.log"
        self.process = None
        self.changed = False
        self.config.write_text(
            CONFIG.format(
                schemas=SCHEMAS,
                modules=MODULES,
                directory=directory,
                suffix=SUFFIX,
                admin_dn=ADMIN_DN,
                admin_password=ADMIN_PASSWORD,
            )
        )

    def start(self):
        data = self.directory / "data"
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir()
        subprocess.run(
            [SLAPADD, "-q", "-f", self.config, "-l", LDIF], check=True, capture_output=True, text=True
        )
        with self.log.open("w") as log:
            # -d keeps slapd in the foreground, so that the process is the server.
            self.process = subprocess.Popen(
                [SLAPD, "-f", self.config, "-h", f"{self.uri}/", "-d", "0"], stdout=log, stderr=log
            )
        self.wait_until_ready()
        self.changed = False

    def wait_until_ready(self, seconds=10):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"slapd s'est arrêté au démarrage :\n{self.log.read_text()}")
            if self.answers():
                return
            time.sleep(0.05)
        self.stop()
        pytest.fail(f"slapd ne répond pas sur {self.uri} après {seconds} s :\n{self.log.read_text()}")

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                pass
        except OSError:
            return False
        result = subprocess.run(
            ["ldapwhoami", "-x", "-H", self.uri, "-D", SERVICE_DN, "-w", SERVICE_PASSWORD],
            capture_output=True,
            check=False,
        )
        return result.returncode == 0

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def reset(self):
        self.stop()
        self.start()

    def modify(self, ldif):
        """Changes the directory as its administrators would, with ldapmodify."""
        self.changed = True
        subprocess.run(
            [LDAPMODIFY, "-x", "-H", self.uri, "-D", ADMIN_DN, "-w", ADMIN_PASSWORD],
            input=ldif,
            text=True,
            check=True,
            capture_output=True,
        )


@pytest.fixture(scope="session", name="slapd")
def slapd_fixture():
    missing = [str(path) for path in (SLAPD, SLAPADD) if not path.exists()]
    missing += [tool for tool in (LDAPMODIFY, "ldapwhoami") if not shutil.which(tool)]
    if missing:
        pytest.fail(
            "Les tests de connexion par l'annuaire démarrent leur propre OpenLDAP, mais il manque "
            f"{', '.join(missing)} : installez-les (Debian : apt-get install slapd ldap-utils), "
            "puis relancez."
        )
    directory = Path(tempfile.mkdtemp(prefix="cop-slapd-"))
    server = Slapd(directory)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(name="directory")
def directory_fixture(slapd):
    """The city's directory as the LDIF has it, whatever the previous test changed."""
    if slapd.changed:
        slapd.reset()
    return slapd
