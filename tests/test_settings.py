"""Settings come from the environment and are safe by default."""

import datetime
import os
import subprocess
import sys

from django.template import Context, Template
from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db


SHOW_SETTINGS = (
    "from django.conf import settings; "
    "print(settings.DEBUG, settings.COP_PUBLIC, settings.DATABASES['default']['ENGINE'])"
)


def import_settings(module, **environ):
    """Imports a settings module in a fresh process with only the given environment settings."""
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "COP_PUBLIC"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env |= {"DJANGO_SETTINGS_MODULE": module, **environ}
    return subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS], env=env, capture_output=True, text=True, check=False
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = import_settings("cop_site.settings.production", ALLOWED_HOSTS="cop.example")
    assert result.returncode != 0
    assert "SECRET_KEY doit être défini" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = import_settings("cop_site.settings.production", SECRET_KEY="x" * 50)
    assert "ALLOWED_HOSTS doit être défini" in result.stderr


def test_production_starts_private_and_without_debug_when_configured():
    result = import_settings(
        "cop_site.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="cop.example",
        DATABASE_URL="postgres://cop@db/cop",
        COP_BASE_URL="https://cop.example",
    )
    assert result.stdout.split() == ["False", "False", "django.db.backends.postgresql"]


def test_the_quickstart_defaults_to_sqlite():
    result = import_settings("cop_site.settings.dev")
    assert result.stdout.split() == ["True", "False", "django.db.backends.sqlite3"]


def test_dates_are_shown_in_french_and_in_paris_time():
    midnight_in_paris = datetime.datetime(2024, 6, 30, 22, 30, tzinfo=datetime.UTC)
    rendered = Template("{{ moment|date:'l j F Y, H:i' }}").render(Context({"moment": midnight_in_paris}))
    assert rendered == "lundi 1 juillet 2024, 00:30"


def test_the_wagtail_admin_is_in_french(admin_client):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'lang="fr"' in html
    assert "Tableau de bord" in html
