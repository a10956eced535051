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
WAGTAILADMIN_BASE_URL = "http://testserver"
# PDFs and chapter lengths (printing/) of a throwaway database: their names reuse its ids, so never
# in the directory of another run.
COP_PDF_CACHE_DIR = Path(tempfile.mkdtemp(prefix="cop-pdf-tests-"))
atexit.register(shutil.rmtree, COP_PDF_CACHE_DIR, ignore_errors=True)
