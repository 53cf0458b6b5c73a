"""Settings shared by every environment. Complete on its own; dev, test and production
adjust it. Configuration comes from the environment and `.env` (python-decouple);
every variable is described in `.env.example`."""

from pathlib import Path

from decouple import Csv
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy

from .env import config, require

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = require("SECRET_KEY")
DEBUG = config("DEBUG", default=False, cast=bool)
ALLOWED_HOSTS = config("ALLOWED_HOSTS", default="localhost,.localhost,127.0.0.1", cast=Csv())
CSRF_TRUSTED_ORIGINS = config("CSRF_TRUSTED_ORIGINS", default="", cast=Csv())

# --- The platform and its schools -------------------------------------------------------
# The platform site is served on PLATFORM_DOMAIN; each school on <slug>.PLATFORM_DOMAIN.
PLATFORM_NAME = config("PLATFORM_NAME", default="Media Hub")
PLATFORM_DOMAIN = config("PLATFORM_DOMAIN", default="localhost")
PLATFORM_SCHEME = config("PLATFORM_SCHEME", default="http")
PLATFORM_PORT = config("PLATFORM_PORT", default=8000, cast=int)

# --- Applications: public schema vs. school schemas (django-tenants) ------------------------
SHARED_APPS = [
    "django_tenants",
    "core",  # no models: helpers every app shares
    "tenants",
    # Platform operators are users of the public schema; every school has its own users.
    "accounts",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    # Failed logins are recorded per schema: each school (and the platform) throttles its own.
    "axes",
    # No models: `manage.py seed_demo`, which works from the platform (it makes the schools).
    "demo",
    # The task queue, one for the platform, in the public schema (mediahub/settings/tasks.py).
    # After core, whose db_worker (tasks run in their school, with retries) replaces its own.
    "django_tasks",
    "django_tasks_db",
]

TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.admin",
    "django.contrib.postgres",
    "accounts",
    "home",
    "classrooms",
    "families",  # guardians, family codes, the consent ledger
    "invitations",
    "notifications",  # a person's notifications in the app (the menu's bell)
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.SchoolUsersConfig",  # wagtail.users, with roles on the user forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    # After wagtail.admin: its ready() replaces Wagtail's workflow emails with the school's own.
    "media_library",
    "galleries",
    "donations",
    "privacy",  # a student's export and erasure, the data retention setting
    "api",  # personal access tokens and the REST API at /api/v1/
    "modelcluster",
    "taggit",
    "axes",
    "rolepermissions",  # last, as django-role-permissions asks
]

INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.School"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "mediahub.urls_public"
ROOT_URLCONF = "mediahub.urls"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# New schools are cloned from this template schema (kept migrated with the schools) and
# their migrations are recorded as applied: ~1 s instead of ~5 s of migrations.
TENANT_BASE_SCHEMA = "template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# `SET search_path` once per connection and schema, not before every query (half the round
# trips of a page: measured in bench/, P1 and P2). Safe with this django-tenants: its backend
# forgets what it set on a rollback, a savepoint rollback (which undo a SET), a close and a
# switch of school.
TENANT_LIMIT_SET_CALLS = True
# `migrate_schemas --tenant` skips (and names) the schools that already have every migration
# applied: one query instead of ~0.4 s a school (tenants/migration_executor.py). False: every
# school runs `migrate`, e.g. to re-run the post-migrate role and permission sync.
GET_EXECUTOR_FUNCTION = "tenants.migration_executor.get_executor"
TENANT_MIGRATE_SKIP_CURRENT = config("TENANT_MIGRATE_SKIP_CURRENT", default=True, cast=bool)

MIDDLEWARE = [
    # A request id for the logs and error reports of every request, the probes' too.
    "mediahub.middleware.RequestIdMiddleware",
    # /healthz answers for any host, before the school is looked up from it.
    "mediahub.middleware.HealthCheckMiddleware",
    "tenants.middleware.SchoolTenantMiddleware",
    # Anonymous visitors' pages from the shared cache, before sessions and authentication: a
    # hit costs no query (core.pagecache). Headers of the middleware below are stored with
    # the page; those above (the request id) are added to every response.
    "core.pagecache.PageCacheMiddleware",
    "mediahub.middleware.SchoolLogContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "mediahub.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The page's language, by core.languages' rule (the person's choice, the cookie, the
    # school's default; never Accept-Language): after authentication, which it reads.
    "core.languages.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tenants.middleware.SchoolRedirectMiddleware",
    "classrooms.middleware.AdminObjectVisibilityMiddleware",
    "axes.middleware.AxesMiddleware",
]

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
                "tenants.context_processors.platform",
                "media_library.context_processors.review",
                "families.context_processors.family",
                # The menu's bell and "My consent", in one query (notifications, families).
                "mediahub.context_processors.menu",
            ],
        },
    },
]

WSGI_APPLICATION = "mediahub.wsgi.application"

# --- Database: PostgreSQL only ---------------------------------------------------------------
# DATABASE_URL names any PostgreSQL server; without it the embedded server (pgserver) is
# started on first use, with its data in EMBEDDED_PG_DIR.
EMBEDDED_PG_DIR = Path(config("EMBEDDED_PG_DIR", default="") or BASE_DIR / ".pgdata").resolve()
DATABASE_URL = config("DATABASE_URL", default="")
if not DATABASE_URL:
    from mediahub.embedded_db import database_url

    DATABASE_URL = database_url(EMBEDDED_PG_DIR)

import dj_database_url  # noqa: E402

DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        engine="tenants.postgresql_backend",
        conn_max_age=config("DB_CONN_MAX_AGE", default=0, cast=int),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches: Redis when REDIS_URL is set, else one per process; every key carries the school ----
from .cache import *  # noqa: E402, F403

# --- Accounts ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out accounts and addresses
    "accounts.backends.EmailOrUsernameBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's, its message in our catalogue (Django's Kiswahili lacks it).
    {"NAME": "accounts.password_validators.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
ROLEPERMISSIONS_MODULE = "accounts.roles"
# How long a teacher's invitation link works.
INVITATION_MAX_AGE_DAYS = config("INVITATION_MAX_AGE_DAYS", default=7, cast=int)
# How long the link that confirms a school registration's email works; an unconfirmed
# registration then gives its address back.
SCHOOL_APPLICATION_CONFIRM_HOURS = config("SCHOOL_APPLICATION_CONFIRM_HOURS", default=48, cast=int)
PASSWORD_RESET_TIMEOUT = config("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 24, cast=int)

# --- Failed logins (django-axes): logins.py --------------------------------------------------
from .logins import *  # noqa: E402, F403

# --- Email -------------------------------------------------------------------------------------
EMAIL_BACKEND = config("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = config("EMAIL_HOST", default="localhost")
EMAIL_PORT = config("EMAIL_PORT", default=25, cast=int)
EMAIL_HOST_USER = config("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = config("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = config("EMAIL_USE_TLS", default=False, cast=bool)
EMAIL_USE_SSL = config("EMAIL_USE_SSL", default=False, cast=bool)
# The folder of the file backend (django.core.mail.backends.filebased.EmailBackend).
EMAIL_FILE_PATH = config("EMAIL_FILE_PATH", default="") or None
DEFAULT_FROM_EMAIL = config("DEFAULT_FROM_EMAIL", default="Media Hub <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ----------------------------------------------------------------------
# English is the source language; Kiswahili the translation (locale/sw/LC_MESSAGES/django.po,
# compiled by `make install`). The Wagtail admin keeps the languages Wagtail ships.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("sw", "Kiswahili")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The menu's language switch remembers a visitor's choice for a year (core.language_switch).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = config("TIME_ZONE", default="Africa/Nairobi")
USE_I18N = True
USE_TZ = True

# --- Static files and media --------------------------------------------------------------------
STATIC_URL = "/static/"
# Where collectstatic gathers them, which nginx serves in production (deploy/nginx-site.conf).
STATIC_ROOT = Path(config("STATIC_ROOT", default="") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap comes from the npm registry at install time (package.json); never a CDN.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/swagger-ui", BASE_DIR / "node_modules" / "swagger-ui-dist"),  # the API's docs
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(config("MEDIA_ROOT", default="") or BASE_DIR / "media")
# Every stored file's path starts with the school's schema name.
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000  # Wagtail's page editor posts many fields
# Form fields other than files, held in memory: Django's 2.5 MB (a page with a long body).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Files in one request: Wagtail's media form sends two (the file and its thumbnail), every
# other form one. Each is held to its size limit while it arrives (upload_handlers.py), so
# this also bounds the disk one request can take.
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# Every upload goes to a temporary file, which stops growing at the file's size limit.
FILE_UPLOAD_HANDLERS = ["media_library.upload_handlers.BoundedUploadHandler"]

# Behind nginx: the `internal` location aliased to MEDIA_ROOT (deploy/nginx-site.conf), e.g.
# /_protected_media/. Local files are then sent by nginx (X-Accel-Redirect) once the app has
# checked who may have them; empty: the app sends them itself (media_library.serving).
MEDIA_ACCEL_REDIRECT_PREFIX = config("MEDIA_ACCEL_REDIRECT_PREFIX", default="")

# Cloudinary, when configured (cloudinary://KEY:SECRET@CLOUD, optionally ?upload_prefix=...):
# uploads go there, in a folder per school; otherwise to MEDIA_ROOT, also per school.
CLOUDINARY_URL = config("CLOUDINARY_URL", default="")
# On Cloudinary, links to files of work that is not public stop working after this many
# seconds (media_library.delivery); public work's links are permanent, for the CDN.
MEDIA_PRIVATE_URL_TTL_SECONDS = config("MEDIA_PRIVATE_URL_TTL_SECONDS", default=3600, cast=int)
# The key of Cloudinary's token-based authentication, if the account has it: expiring links
# then go through the CDN with renditions and video posters. Empty: private download links,
# which deliver originals only.
CLOUDINARY_AUTH_TOKEN_KEY = config("CLOUDINARY_AUTH_TOKEN_KEY", default="")
if MEDIA_PRIVATE_URL_TTL_SECONDS < 1:
    raise ImproperlyConfigured("MEDIA_PRIVATE_URL_TTL_SECONDS must be a number of seconds (>= 1).")
try:
    bytes.fromhex(CLOUDINARY_AUTH_TOKEN_KEY)
except ValueError:
    raise ImproperlyConfigured(
        "CLOUDINARY_AUTH_TOKEN_KEY must be the hexadecimal key of Cloudinary's token-based "
        "authentication (from the console), or empty."
    ) from None
# Largest upload accepted per kind of media, in megabytes.
MEDIA_MAX_UPLOAD_MB = {
    "image": config("MEDIA_MAX_IMAGE_MB", default=20, cast=int),
    "video": config("MEDIA_MAX_VIDEO_MB", default=500, cast=int),
    "audio": config("MEDIA_MAX_AUDIO_MB", default=100, cast=int),
    "document": config("MEDIA_MAX_DOCUMENT_MB", default=50, cast=int),
}
# Rate limits per signed-in person and per address, "<count>/<seconds>" (0/... switches one
# off): group -> scope -> (the variable that sets it, its default); None: no such limit.
RATE_LIMIT_VARIABLES = {
    # Uploads. A school's students often share one address: that limit is the looser one.
    "media_upload": {
        "user": ("UPLOAD_RATE_PER_USER", "30/3600"),
        "address": ("UPLOAD_RATE_PER_ADDRESS", "300/3600"),
    },
    # Wrong class codes (signing up, joining a class): failures only, not every try.
    "join_code": {
        "user": ("JOIN_CODE_FAILURES_PER_USER", "10/900"),
        "address": ("JOIN_CODE_FAILURES_PER_ADDRESS", "100/900"),
    },
    # School registrations sent from one address (each waits for an operator's review).
    "school_register": {
        "user": (None, "0/3600"),
        "address": ("SCHOOL_REGISTER_RATE_PER_ADDRESS", "3/86400"),
    },
}
RATE_LIMITS = {
    group: {
        scope: config(variable, default=default) if variable else default
        for scope, (variable, default) in scopes.items()
    }
    for group, scopes in RATE_LIMIT_VARIABLES.items()
}
# Pillow refuses images with more pixels than this (decompression bombs).
MEDIA_MAX_IMAGE_PIXELS = config("MEDIA_MAX_IMAGE_PIXELS", default=50_000_000, cast=int)
# A PDF is read by a PDF parser in a process of its own (media_library/validation/pdf_walk.py):
# one with more objects than this, or that takes longer to read, is refused as one we can't
# check, so a hostile PDF can't keep a worker busy.
MEDIA_PDF_MAX_OBJECTS = config("MEDIA_PDF_MAX_OBJECTS", default=200_000, cast=int)
MEDIA_PDF_CHECK_SECONDS = config("MEDIA_PDF_CHECK_SECONDS", default=10, cast=float)
# Videos and recordings are remuxed by ffmpeg without their tags (location, device), in a
# process of its own (media_library/validation/av_metadata.py): one that takes longer is refused.
MEDIA_FFMPEG_SECONDS = config("MEDIA_FFMPEG_SECONDS", default=300, cast=float)
# Videos and recordings: posters, delivery and uploads straight to Cloudinary.
from .video import *  # noqa: E402, F403

if CLOUDINARY_URL:
    STORAGES["default"] = {"BACKEND": "media_library.storage.CloudinaryStorage"}


# --- Wagtail -----------------------------------------------------------------------------------
# Settings load before the apps: these import tenants only when Wagtail first asks.
def _current_base_url() -> str:
    from tenants.urls_helpers import current_base_url

    return current_base_url()


def _current_site_name() -> str:
    from tenants.urls_helpers import current_site_name

    return current_site_name()


# Each school has its own Wagtail admin: its name (asked for when deleting pages) and the base
# URL of links in Wagtail's emails are the current school's, worked out each time they're read.
WAGTAIL_SITE_NAME = lazy(_current_site_name, str)()
WAGTAILADMIN_BASE_URL = lazy(_current_base_url, str)()
# Nothing in the admin may load from outside: schools have slow links, and tests have none.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The admin's password-reset email, sent by the worker like every other (accounts.forms).
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "accounts.forms.AdminPasswordResetForm"  # noqa: S105
# An approved workflow publishes a media page no wider than its owner's consents allow.
WAGTAIL_FINISH_WORKFLOW_ACTION = "media_library.workflow_finish.publish_within_consent"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf"]
# /documents/<id>/<name> checks who may see the document (media_library.wagtail_hooks), then
# redirects to its file: the stored_file view locally (which checks again), a link that
# expires on Cloudinary. Never "direct": pages would link the storage's URL unchecked.
WAGTAILDOCS_SERVE_METHOD = "redirect"
WAGTAILIMAGES_IMAGE_MODEL = "media_library.SchoolImage"
WAGTAILDOCS_DOCUMENT_MODEL = "media_library.SchoolDocument"
WAGTAILMEDIA = {
    "MEDIA_MODEL": "media_library.SchoolMedia",
    "MEDIA_FORM_BASE": "media_library.admin_forms.SchoolMediaForm",
}
# The admin's uploads follow the students' rules (media_library.admin_forms).
WAGTAILIMAGES_IMAGE_FORM_BASE = "media_library.admin_forms.SchoolImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "media_library.admin_forms.SchoolDocumentForm"

# --- Donations: M-Pesa Express (Daraja STK Push): their own module, for length ---------------
from .donations import *  # noqa: E402, F403

# --- Background work: the task queue, its worker and the scheduler ----------------------------
from .tasks import *  # noqa: E402, F403

# `manage.py seed_demo` makes accounts with a published password: only where this allows it
# (dev turns it on while DEBUG is on; production always off, whatever the environment says).
DEMO_SEED_ALLOWED = config("DEMO_SEED_ALLOWED", default=False, cast=bool)

# --- Logs and error reports: their own module ------------------------------------------------
from .logs import *  # noqa: E402, F403
