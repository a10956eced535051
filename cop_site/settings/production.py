"""Production: refuses to start without its secret key, hosts, PostgreSQL database and public
address; HTTPS, behind a proxy.

Every value comes from the environment (README, "Déploiement"; `.env.example` lists them).
`manage.py check --deploy --fail-level WARNING` passes with these defaults (`make test` runs it).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False


def required(name, meaning, prefixes=()):
    """Refuses to start without the variable, or when it does not start as it must."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} doit être défini dans l'environnement : {meaning}.")
    if prefixes and not value.startswith(prefixes):
        raise ImproperlyConfigured(f"{name} doit commencer par {' ou '.join(prefixes)} : {meaning}.")


required("SECRET_KEY", "une longue chaîne aléatoire, gardée secrète")
required("ALLOWED_HOSTS", "les noms d'hôte du site, séparés par des virgules")
required("DATABASE_URL", "l'adresse de la base PostgreSQL", ("postgres://", "postgresql://"))
required(
    "COP_BASE_URL", "l'adresse publique du site, par exemple https://cop.ville.fr", ("https://", "http://")
)

# HTTPS. Behind a proxy that terminates TLS, SECURE_PROXY_SSL_HEADER=true trusts its
# X-Forwarded-Proto header (the proxy must set it, overwriting the client's own); the redirect
# to HTTPS may be left to the proxy with SECURE_SSL_REDIRECT=false.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
if env_bool("SECURE_PROXY_SSL_HEADER"):  # noqa: F405
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)  # noqa: F405
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)  # noqa: F405
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)  # noqa: F405
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)  # noqa: F405

# Static files: collected at build time, served by WhiteNoise with hashed names (cached for
# ever by browsers) and pre-compressed; media files are never served by Django.
MIDDLEWARE.insert(  # noqa: F405
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"  # noqa: F405

# Several application servers (README, "Plusieurs serveurs"): uploads on S3-compatible object
# storage through django-storages (requirements-cluster.txt) when a bucket is named. The bucket
# stays private: files are read through the site's own views, with short-lived signed URLs.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Search on OpenSearch when OPENSEARCH_URL is set; otherwise the database backend and its
# French PostgreSQL configuration (search/backend.py).
OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL", "")
if OPENSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {  # noqa: F405
        "default": {
            "BACKEND": "modelsearch.backends.opensearch3",
            "URLS": [OPENSEARCH_URL],
            "INDEX_PREFIX": os.environ.get("OPENSEARCH_INDEX_PREFIX", "cop_"),
            "TIMEOUT": 5,
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
