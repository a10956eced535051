"""Tests: PostgreSQL from DATABASE_URL (scripts/with_postgres.py sets it), fast hashing."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
COP_BASE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
# PDFs and chapter lengths (printing/) of a throwaway database: their names reuse its ids, so never
# in the directory of another run.
COP_PDF_CACHE_DIR = Path(tempfile.mkdtemp(prefix="cop-pdf-tests-"))
atexit.register(shutil.rmtree, COP_PDF_CACHE_DIR, ignore_errors=True)
# Each process its own cache: query counts stay those of the page, not of the cache's table.
# The production smoke test (tests/test_production.py) runs the database cache under gunicorn.
# The page cache is off: a test measures and reads the page's real work, not a copy kept by an
# earlier request. The tests of the cache turn it on (the `page_cache` fixture, tests/conftest.py).
COP_PAGE_CACHE = False
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cop"},
    "template_fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
# Queued PDF builds are only recorded: nothing renders behind a test's back (tests/test_printing.py
# runs them, and the database queue's worker).
TASKS = {**TASKS, "pdf": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # noqa: F405
