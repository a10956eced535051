"""Settings shared by every environment, safe by default: values come from the environment."""

import os
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The COP is for the city's agents: every page needs a signed-in user unless this opens it.
COP_PUBLIC = env_bool("COP_PUBLIC")

# Demo accounts with known passwords exist only where a settings module allows them.
COP_DEMO_ACCOUNTS = False

INSTALLED_APPS = [
    "home",
    "axes",
    "history",
    "search",
    "indicators",
    "accounts",
    "editorial",
    "spreadsheets",
    "caching",
    "digests",
    "printing",
    "followup",
    "api",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.CopUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Last: its ready() takes the place of the search indexing handlers that wagtail.search connects.
    "utils",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accounts.csp.CopCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.PrivateSiteMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "editorial.middleware.OneSaveAtATimeMiddleware",
    # Which COP the request reads (request.cop), before the cached pages, which are each COP's own.
    "home.cops.CopMiddleware",
    # Last, so that the headers of the middleware above go on the pages it serves from the cache too.
    "caching.pages.WholePageCacheMiddleware",
]

ROOT_URLCONF = "cop_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "caching.context_processors.page_cache",
                "axes.context_processors.reader",
                "axes.context_processors.terms",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cop_site.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
WAGTAILADMIN_LOGIN_URL = LOGIN_URL

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail's page editor can exceed Django's default of 1,000 fields per form.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cop@localhost")

WAGTAIL_SITE_NAME = "Cahier d'objectifs partagés"
# The site's public address: links in e-mails, QR codes and printed pages. `migrate` makes the
# Wagtail Site follow it (home/site_address.py). The quickstart's address by default.
COP_BASE_URL = os.environ.get("COP_BASE_URL", "http://127.0.0.1:8000").strip().rstrip("/")
WAGTAILADMIN_BASE_URL = COP_BASE_URL
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
# The editorial workflow (README): Wagtail's e-mails to moderators and authors, comments in the editor.
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
WAGTAILADMIN_COMMENTS_ENABLED = True
# An approval publishes the revision the moderator was shown, not the latest one (editorial/workflow.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "editorial.workflow.publish_reviewed_revision"
WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français")]
WAGTAIL_I18N_ENABLED = False
# ASCII slugs: URLs that agents paste into mails stay readable (no %C3%A9).
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# A project not published again for this many months is "sans mise à jour": the editors' dashboard
# lists it and the référents' weekly reminder (followup/) asks its service about it.
COP_STALE_AFTER_MONTHS = int(os.environ.get("COP_STALE_AFTER_MONTHS", "6"))
# While a yearly review (followup/ campaigns) is open, the référents' weekly reminder lists their
# projects still unanswered once its deadline is this many days away or fewer (and past it).
COP_CAMPAIGN_REMINDER_DAYS = int(os.environ.get("COP_CAMPAIGN_REMINDER_DAYS", "14"))

# French full-text search on PostgreSQL, accent folding on SQLite (search/backend.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backend"}}

# The largest spreadsheet an import accepts (README, "Import et export"): 2 Mo hold some 5,000
# projects in CSV, twice the largest COP measured, while keeping a rogue upload out of memory.
COP_IMPORT_MAX_BYTES = int(os.environ.get("COP_IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
# What an import reads at most (spreadsheets/formats.py): rows under the header, columns, and an
# XLSX's size once uncompressed (the export of 5,000 projects makes 6 Mo). A file beyond them is
# refused before it is parsed, so that a workbook crafted to swell costs a second, not minutes.
COP_IMPORT_MAX_ROWS = int(os.environ.get("COP_IMPORT_MAX_ROWS", "5000"))
COP_IMPORT_MAX_COLUMNS = int(os.environ.get("COP_IMPORT_MAX_COLUMNS", "50"))
COP_IMPORT_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("COP_IMPORT_MAX_UNCOMPRESSED_BYTES", str(16 * 1024 * 1024))
)

# The PDFs (printing/), kept as files named by their content until a publication changes it.
COP_PDF_CACHE_DIR = Path(os.environ.get("COP_PDF_CACHE_DIR", BASE_DIR / "var" / "pdf"))

# Background tasks (django-tasks). Wagtail's own tasks run at once, in the request, as they always
# have; the PDFs are rebuilt after each publication by the worker (`manage.py db_worker --backend
# pdf`, README "Déploiement"), from a queue kept in the database.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "pdf": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# Uploads (README, "Déploiement"): documents stream through Wagtail's view, which checks the
# reader's rights behind the login middleware; the reverse proxy never serves media/documents/.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(os.environ.get("COP_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# No SVG: an SVG is a document that can carry scripts.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(os.environ.get("COP_IMAGE_MAX_BYTES", str(10 * 1024 * 1024)))
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(5 * 1024 * 1024)))

# One cache for every process and server: the login lockout counts there, and the page cache
# keeps pages and fragments there. Redis when CACHE_URL (or REDIS_URL) names one; otherwise a
# table of the database, which `migrate` creates (caching/apps.py).
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
CACHE_TABLE = "cop_cache"
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Some 900 fragments for the demo COP (up to three per page), and agents' whole pages.
            "OPTIONS": {"MAX_ENTRIES": 20_000, "CULL_FREQUENCY": 4},
        }
    )
}

# Rendered page fragments (caching/), keyed on the COP's publication, in the shared cache.
# COP_PAGE_CACHE=false renders every page in full (the load test compares both).
COP_PAGE_CACHE = env_bool("COP_PAGE_CACHE", True)
CACHES["template_fragments"] = (
    CACHES["default"] if COP_PAGE_CACHE else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
)

# The read API (api/, README "API de lecture"): each client application's token may make
# COP_API_RATE requests (a number per second, minute, hour or day), counted in the shared cache.
COP_API_RATE = os.environ.get("COP_API_RATE", "1000/hour").strip()
# Wagtail's API v2: at most this many items per request (`limit`). Its links are on COP_BASE_URL.
WAGTAILAPI_LIMIT_MAX = 100

# Sessions (README, "Déploiement"): an agent stays signed in for SESSION_COOKIE_AGE seconds
# (8 hours, a working day, by default), or until the browser closes if asked.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE")

# Login lockout (accounts/lockout.py): after COP_LOGIN_MAX_FAILURES failed sign-ins for one
# username (however spelt) or account, it is refused until COP_LOGIN_COOL_OFF_MINUTES after the
# last attempt. Agents share the town hall's address behind its NAT, so an address gets many more
# tries, counted per cool-off window, before it is refused.
COP_LOGIN_MAX_FAILURES = int(os.environ.get("COP_LOGIN_MAX_FAILURES", "5"))
COP_LOGIN_MAX_FAILURES_PER_IP = int(os.environ.get("COP_LOGIN_MAX_FAILURES_PER_IP", "50"))
COP_LOGIN_COOL_OFF_MINUTES = int(os.environ.get("COP_LOGIN_COOL_OFF_MINUTES", "15"))
# Where the client's address is, in request.META: REMOTE_ADDR, or HTTP_X_REAL_IP behind a proxy.
COP_CLIENT_IP_HEADER = os.environ.get("COP_CLIENT_IP_HEADER", "REMOTE_ADDR")
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.lockout.LockoutAdminLoginForm"

X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content Security Policy (accounts/csp.py). The COP runs only its own script files; style
# attributes carry data (status bar widths, axis colours), style elements stay forbidden.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Wagtail's admin writes inline scripts and styles, frames its own preview, and shows images
# and embeds from elsewhere (oEmbed thumbnails).
COP_ADMIN_PATH_PREFIX = "/admin/"
COP_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# The admin's "new Wagtail version" banner asks releases.wagtail.org from the editor's browser:
# the city upgrades on its own schedule, and the admin's policy keeps connections to the site.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: it would hand a hash of each agent's e-mail address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Directory sign-in (README, "Annuaire de la ville"): each part is on when its variables are set;
# local accounts (administrators, the quickstart's demo accounts) keep working beside them.
from .ldap import *  # noqa: E402, F403
from .oidc import *  # noqa: E402, F403

AUTHENTICATION_BACKENDS = [
    *LDAP_AUTHENTICATION_BACKENDS,  # noqa: F405
    *OIDC_AUTHENTICATION_BACKENDS,  # noqa: F405
    "django.contrib.auth.backends.ModelBackend",
]
