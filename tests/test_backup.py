"""A backup can be restored: scripts/backup.sh then scripts/restore.sh into an empty database of
the test cluster give back the same COP (pages, live revisions, drafts, services, links, files)."""

import importlib.util
import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

from .factories import ProjectPageFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCRIPTS = Path(settings.BASE_DIR) / "scripts"
RESTORED = "cop_restauree"


def postgres_bindir():
    """The same PostgreSQL tools as the test cluster's (scripts/with_postgres.py)."""
    spec = importlib.util.spec_from_file_location("with_postgres", SCRIPTS / "with_postgres.py")
    with_postgres = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(with_postgres)
    return with_postgres.find_bindir()


def conninfo(database):
    params = connection.settings_dict
    return make_conninfo(
        dbname=database,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=str(params["PORT"]) if params["PORT"] else None,
    )


def run_script(name, *args, database, media):
    env = {**os.environ, "DATABASE_URL": conninfo(database), "MEDIA_ROOT": str(media)}
    if bindir := postgres_bindir():
        env["PG_BINDIR"] = str(bindir)
    return subprocess.run(
        ["bash", SCRIPTS / name, *map(str, args)], env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture
def restored_database():
    with psycopg.connect(conninfo(connection.settings_dict["NAME"]), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(RESTORED)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(RESTORED)))
    yield RESTORED
    with psycopg.connect(conninfo(connection.settings_dict["NAME"]), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(RESTORED)))


@pytest.fixture
def small_cop(axis, ambition, project, relation_usagers, education):
    """A COP with history: every page published, one project three times, then a draft of it."""
    revised = ProjectPageFactory(
        parent=ambition,
        reference="16.2",
        title="Identité numérique",
        pilot_service=education,
        services=[ServiceFactory(name="Culture")],
    )
    for page in (axis, ambition, project, revised):
        page.save_revision().publish()
    for progress in (20, 60):
        revised.progress = progress
        revised.save_revision().publish()
    revised.title = "Identité numérique (brouillon)"
    revised.save_revision()
    UserFactory(username="camille").services.add(relation_usagers)
    return revised


@pytest.fixture
def media(tmp_path):
    media = tmp_path / "site" / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "note.txt").write_text("Note jointe au projet 16.2")
    return media


def read_cop(database):
    """What makes the COP, read with plain SQL: every table of the database, row by row,
    and the state of every sequence (so that new pages get fresh ids after a restore)."""
    with psycopg.connect(conninfo(database)) as reader:
        tables = reader.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
        everything_in = sql.SQL("SELECT * FROM {}")
        contents = {
            table: sorted(map(tuple, reader.execute(everything_in.format(sql.Identifier(table)))), key=repr)
            for (table,) in tables
        }
        sequences = dict(reader.execute("SELECT sequencename, last_value FROM pg_sequences").fetchall())
        named = {
            "pages": reader.execute(
                "SELECT path, title, live, has_unpublished_changes, live_revision_id, latest_revision_id "
                "FROM wagtailcore_page ORDER BY path"
            ).fetchall(),
            "live revisions": reader.execute(
                "SELECT r.id, r.content FROM wagtailcore_revision r "
                "JOIN wagtailcore_page p ON p.live_revision_id = r.id ORDER BY r.id"
            ).fetchall(),
            "services": reader.execute("SELECT name, slug FROM axes_service ORDER BY slug").fetchall(),
            "project services": reader.execute(
                "SELECT p.reference, s.slug FROM axes_projectservice ps "
                "JOIN axes_projectpage p ON p.page_ptr_id = ps.content_object_id "
                "JOIN axes_service s ON s.id = ps.tag_id ORDER BY 1, 2"
            ).fetchall(),
        }
    return named, contents, sequences


def test_a_backup_restored_into_an_empty_database_gives_back_the_same_cop(
    small_cop, media, tmp_path, restored_database
):
    original = connection.settings_dict["NAME"]
    backup = run_script("backup.sh", tmp_path / "sauvegardes", database=original, media=media)
    assert backup.returncode == 0, backup.stderr
    dump = next((tmp_path / "sauvegardes").glob("cop-*.dump"))
    archive = next((tmp_path / "sauvegardes").glob("cop-*-media.tar.gz"))

    restored_media = tmp_path / "restauration" / "media"
    restore = run_script("restore.sh", dump, archive, database=restored_database, media=restored_media)
    assert restore.returncode == 0, restore.stderr

    named, contents, sequences = read_cop(original)
    assert len(named["pages"]) == 6  # Wagtail's root, the COP's home, an axis, an ambition, two projects
    assert len(named["live revisions"]) == 4
    assert ("16.2", "culture") in named["project services"]
    assert any(has_draft for _, _, _, has_draft, _, _ in named["pages"])
    assert read_cop(restored_database) == (named, contents, sequences)
    assert (restored_media / "documents" / "note.txt").read_text() == "Note jointe au projet 16.2"


def test_a_restore_refuses_a_database_that_is_not_empty(small_cop, media, tmp_path):
    original = connection.settings_dict["NAME"]
    backup = run_script("backup.sh", tmp_path, database=original, media=media)
    assert backup.returncode == 0, backup.stderr
    before = read_cop(original)
    restore = run_script("restore.sh", next(tmp_path.glob("cop-*.dump")), database=original, media=media)
    assert restore.returncode == 1
    assert "restaurez dans une base vide" in restore.stderr
    assert read_cop(original) == before
