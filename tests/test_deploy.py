"""Production settings: they refuse to start half-configured, and every deployment choice
(HTTPS, proxy, cache, object storage, OpenSearch, sessions, lockout) comes from the environment.

Each case imports the settings in a fresh process with only the environment it names, as a
server would; `make test` also runs `check --deploy --fail-level WARNING` on them.
"""

import json
import os
import subprocess
import sys

from django.conf import settings

import pytest

SECRET = "k3Jd9-Xq2vLp0wRt7ZmB4nHc8FyGs1eUa6oIiTlKjWzQ5xMbNvC"
# The four variables a city's single server needs (README, "Déploiement").
SERVER = {
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "cop.clamart.example",
    "DATABASE_URL": "postgres://cop:motdepasse@db.internal:5432/cop",
    "COP_BASE_URL": "https://cop.clamart.example",
}
# Settings that a developer's or CI's shell may carry and that would change what is measured.
FROM_THE_SHELL = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "COP_BASE_URL",
    "CACHE_URL",
    "REDIS_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "OPENSEARCH_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_AGE",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "COP_LOGIN_MAX_FAILURES",
    "COP_LOGIN_COOL_OFF_MINUTES",
}

SHOW_SETTINGS = """
import json
from django.conf import settings
names = {names!r}
print(json.dumps({{name: getattr(settings, name, None) for name in names}}, default=str))
"""


def run_python(code, module, environ):
    env = {key: value for key, value in os.environ.items() if key not in FROM_THE_SHELL}
    env |= {"DJANGO_SETTINGS_MODULE": module, **environ}
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=settings.BASE_DIR,
    )


def production_settings(*names, **environ):
    """The values of the named settings when production starts with this environment."""
    result = run_python(SHOW_SETTINGS.format(names=names), "cop_site.settings.production", environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def deploy_check(**environ):
    code = "import django; from django.core.management import call_command; django.setup(); " + (
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    return run_python(code, "cop_site.settings.production", environ)


def starts(environ):
    return run_python("import django; django.setup()", "cop_site.settings.production", environ)


@pytest.mark.parametrize("missing", list(SERVER))
def test_production_refuses_to_start_without_any_of_its_four_variables(missing):
    result = starts({name: value for name, value in SERVER.items() if name != missing})
    assert result.returncode != 0
    assert f"{missing} doit être défini dans l'environnement" in result.stderr


def test_production_refuses_sqlite_and_an_address_without_its_scheme():
    result = starts({**SERVER, "DATABASE_URL": "sqlite:///db.sqlite3"})
    assert "DATABASE_URL doit commencer par postgres://" in result.stderr
    result = starts({**SERVER, "COP_BASE_URL": "cop.clamart.example"})
    assert "COP_BASE_URL doit commencer par https://" in result.stderr


@pytest.mark.parametrize(
    "cache", [{}, {"CACHE_URL": "redis://cache.internal:6379/0"}], ids=["database", "redis"]
)
def test_production_passes_the_deploy_check_with_its_four_variables_alone(cache):
    result = deploy_check(**SERVER, **cache)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_without_redis_every_process_shares_the_database_cache():
    values = production_settings("CACHES", **SERVER)
    for cache in values["CACHES"].values():
        assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
        assert cache["LOCATION"] == "cop_cache"


def test_links_in_mails_and_prints_use_the_public_address():
    values = production_settings("COP_BASE_URL", "WAGTAILADMIN_BASE_URL", **SERVER)
    assert set(values.values()) == {"https://cop.clamart.example"}


def test_the_deploy_check_warns_when_https_is_switched_off():
    result = deploy_check(**SERVER, CACHE_URL="redis://cache:6379/0", SECURE_HSTS_SECONDS="0")
    assert "security.W004" in result.stderr


def test_https_is_enforced_by_default():
    values = production_settings(
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
        "X_FRAME_OPTIONS",
        "SECURE_REFERRER_POLICY",
        **SERVER,
    )
    assert values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        # The proxy's header is trusted only when the operator says there is one.
        "SECURE_PROXY_SSL_HEADER": None,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_REFERRER_POLICY": "same-origin",
    }


def test_behind_a_tls_terminating_proxy_its_header_is_trusted_and_the_redirect_left_to_it():
    values = production_settings(
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_SSL_REDIRECT",
        **SERVER,
        SECURE_PROXY_SSL_HEADER="true",
        SECURE_SSL_REDIRECT="false",
    )
    assert values == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_SSL_REDIRECT": False,
    }


def test_static_files_are_served_by_whitenoise_with_hashed_names():
    values = production_settings("MIDDLEWARE", "STORAGES", **SERVER)
    middleware = values["MIDDLEWARE"]
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == (
        middleware.index("django.middleware.security.SecurityMiddleware") + 1
    )
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert values["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_several_servers_share_postgresql_redis_object_storage_and_opensearch():
    values = production_settings(
        "DATABASES",
        "CACHES",
        "STORAGES",
        "WAGTAILSEARCH_BACKENDS",
        **{**SERVER, "DATABASE_URL": "postgres://cop:secret@db.internal:5432/cop"},
        CACHE_URL="redis://cache.internal:6379/1",
        AWS_STORAGE_BUCKET_NAME="cop-media",
        AWS_S3_ENDPOINT_URL="https://s3.clamart.example",
        OPENSEARCH_URL="https://search.internal:9200",
    )
    database = values["DATABASES"]["default"]
    assert (database["ENGINE"], database["HOST"], database["NAME"]) == (
        "django.db.backends.postgresql",
        "db.internal",
        "cop",
    )
    assert values["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/1",
    }
    media = values["STORAGES"]["default"]
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"]["bucket_name"] == "cop-media"
    assert media["OPTIONS"]["endpoint_url"] == "https://s3.clamart.example"
    # Private bucket: files are read through the site's views, never from a public URL.
    assert (media["OPTIONS"]["default_acl"], media["OPTIONS"]["querystring_auth"]) == ("private", True)
    search = values["WAGTAILSEARCH_BACKENDS"]["default"]
    assert search["BACKEND"] == "modelsearch.backends.opensearch3"
    assert search["URLS"] == ["https://search.internal:9200"]


def test_one_server_keeps_its_files_on_disk_and_searches_in_postgresql():
    values = production_settings("STORAGES", "WAGTAILSEARCH_BACKENDS", **SERVER)
    assert values["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert values["WAGTAILSEARCH_BACKENDS"]["default"]["BACKEND"] == "search.backend"


def test_redis_url_is_understood_as_the_cache_url():
    values = production_settings("CACHES", **SERVER, REDIS_URL="redis://cache:6379/2")
    assert values["CACHES"]["default"]["LOCATION"] == "redis://cache:6379/2"


def test_sessions_and_lockout_come_from_the_environment():
    names = (
        "SESSION_COOKIE_AGE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "COP_LOGIN_MAX_FAILURES",
        "COP_LOGIN_COOL_OFF_MINUTES",
    )
    assert production_settings(*names, **SERVER) == {
        "SESSION_COOKIE_AGE": 8 * 60 * 60,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": False,
        "COP_LOGIN_MAX_FAILURES": 5,
        "COP_LOGIN_COOL_OFF_MINUTES": 15,
    }
    configured = production_settings(
        *names,
        **SERVER,
        SESSION_COOKIE_AGE="3600",
        SESSION_EXPIRE_AT_BROWSER_CLOSE="true",
        COP_LOGIN_MAX_FAILURES="3",
        COP_LOGIN_COOL_OFF_MINUTES="30",
    )
    assert list(configured.values()) == [3600, True, 3, 30]
