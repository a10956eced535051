#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL cluster started from this machine's binaries.

    scripts/with_postgres.py COMMAND [ARG ...]

The cluster lives in a temporary directory, listens only on a Unix socket there, and is
removed when the command ends; the command gets its address in DATABASE_URL. Without
PostgreSQL binaries it refuses to run the command: the tests and the bench measure the
production database, and a run on SQLite would pass while skipping what only PostgreSQL does.
The quickstart (`make run`) needs no PostgreSQL.
"""

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

DATABASE = "cop"
ROLE = "cop"


def find_bindir():
    candidates = []
    if pg_config := shutil.which("pg_config"):
        result = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(result.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for candidate in candidates:
        if candidate and all((Path(candidate) / tool).exists() for tool in ("initdb", "pg_ctl")):
            return Path(candidate)
    return None


def cluster_owner():
    """initdb refuses to run as root, so root hands the cluster to an unprivileged account."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    sys.exit("Aucun compte non privilégié (postgres, nobody) pour lancer PostgreSQL en tant que root.")


def run_as(owner, command, check=True, **kwargs):
    if owner:
        command = ["runuser", "-u", owner.pw_name, "--", *command]
    return subprocess.run(command, check=check, **kwargs)


def start_cluster(bindir, owner, directory):
    data = directory / "data"
    quiet = {"stdout": subprocess.DEVNULL}
    run_as(
        owner,
        [bindir / "initdb", "-D", data, "-U", ROLE, "--auth=trust", "-E", "UTF8", "--no-locale"],
        **quiet,
    )
    # Durability is pointless for a cluster that is thrown away: trade it for speed.
    options = f"-k {directory} -c listen_addresses='' -F -c full_page_writes=off -c synchronous_commit=off"
    run_as(
        owner,
        [bindir / "pg_ctl", "-D", data, "-o", options, "-l", directory / "server.log", "-w", "start"],
        **quiet,
    )
    run_as(owner, [bindir / "createdb", "-h", directory, "-U", ROLE, DATABASE])
    return f"postgres://{ROLE}@{quote(str(directory), safe='')}/{DATABASE}"


def main(command):
    if not command:
        sys.exit(__doc__)
    bindir = find_bindir()
    if bindir is None:
        sys.exit(
            "ERREUR : aucun binaire PostgreSQL (initdb, pg_ctl) trouvé, ni par pg_config ni dans "
            "/usr/lib/postgresql/*/bin. Les tests tournent sur PostgreSQL, la base de production, "
            "jamais sur SQLite. Installez-le (Debian : apt-get install postgresql postgresql-contrib), "
            "puis relancez. Pour seulement essayer le site sur SQLite : make run."
        )

    owner = cluster_owner()
    directory = Path(tempfile.mkdtemp(prefix="cop-pg-"))
    if owner:
        os.chown(directory, owner.pw_uid, owner.pw_gid)
    try:
        url = start_cluster(bindir, owner, directory)
        print(f"PostgreSQL jetable ({bindir.parent.name}) démarré dans {directory}", file=sys.stderr)
        return subprocess.run(command, env={**os.environ, "DATABASE_URL": url}, check=False).returncode
    finally:
        run_as(
            owner,
            [bindir / "pg_ctl", "-D", directory / "data", "-m", "immediate", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
