"""Production: everything secret or site-specific comes from the environment, with no
defaults; a missing one stops the process with a message naming it."""

from django.core.exceptions import ImproperlyConfigured

from .env import config, require

# Checked before base is imported so that base never falls back to the embedded database.
require("SECRET_KEY")
require("DATABASE_URL")
require("ALLOWED_HOSTS")
require("PLATFORM_DOMAIN")

from .base import *  # noqa: E402, F403

YEAR_SECONDS = 31_536_000

if DONATIONS_ENABLED:  # noqa: F405
    # Real money: the live Daraja app, never the sandbox defaults of base.
    DARAJA_BASE_URL = require("DARAJA_BASE_URL")
    DARAJA_CONSUMER_KEY = require("DARAJA_CONSUMER_KEY")
    DARAJA_CONSUMER_SECRET = require("DARAJA_CONSUMER_SECRET")
    DARAJA_SHORTCODE = require("DARAJA_SHORTCODE")
    DARAJA_PASSKEY = require("DARAJA_PASSKEY")

DEBUG = False
# The demo's accounts have a published password: never on a real platform.
DEMO_SEED_ALLOWED = False
PLATFORM_SCHEME = config("PLATFORM_SCHEME", default="https")
PLATFORM_PORT = config("PLATFORM_PORT", default=443, cast=int)

# One JSON object per log line, for the log collector (LOG_FORMAT=text for lines to read).
LOG_FORMAT = config("LOG_FORMAT", default="json")
LOGGING = logging_config(LOG_FORMAT)  # noqa: F405

# Persistent database connections (checked before reuse: base sets conn_health_checks).
DATABASES["default"]["CONN_MAX_AGE"] = config("DB_CONN_MAX_AGE", default=60, cast=int)  # noqa: F405

# Email: SMTP to EMAIL_HOST when it is set; otherwise EMAIL_BACKEND must name another backend
# explicitly (console, a provider's...). Never a silent SMTP to localhost. The sender too:
# relays refuse base's no-reply@localhost.
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = config("EMAIL_HOST", default="")
EMAIL_BACKEND = config("EMAIL_BACKEND", default=SMTP_BACKEND if EMAIL_HOST else "")
if not EMAIL_HOST and EMAIL_BACKEND in ("", SMTP_BACKEND):
    raise ImproperlyConfigured(
        "EMAIL_HOST is not set and EMAIL_BACKEND names no other backend: set EMAIL_HOST "
        "(with EMAIL_PORT, EMAIL_HOST_USER, ...) to send by SMTP, or EMAIL_BACKEND to another "
        "backend (see .env.example)."
    )
DEFAULT_FROM_EMAIL = require("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# One cache shared by every worker and server (Redis): with a cache per process, each gunicorn
# worker would count rate limits on its own (letting through several times the limit) and ask
# Daraja for a token of its own. A single app process may keep its own, said on purpose.
CACHE_PER_PROCESS = config("CACHE_PER_PROCESS", default=False, cast=bool)
if not REDIS_URL and not CACHE_PER_PROCESS:  # noqa: F405
    raise ImproperlyConfigured(
        "REDIS_URL is not set: production keeps its cache (rate limits, the Daraja token, "
        "renditions) in Redis, shared by every process. Set REDIS_URL (redis://host:6379/0), "
        "or CACHE_PER_PROCESS=True for a single app process that may keep its own "
        "(see .env.example)."
    )

# Background work on the database queue, run by `manage.py db_worker`, whatever
# TASKS_BACKEND says: never inside a request (the immediate backend is the tests').
TASKS = {"default": {"BACKEND": "core.task_backends.SchoolDatabaseBackend"}}

# Uploads go to Cloudinary or to a folder chosen on purpose, never to the checkout's media/.
if not CLOUDINARY_URL and not config("MEDIA_ROOT", default=""):  # noqa: F405
    raise ImproperlyConfigured(
        "Neither CLOUDINARY_URL nor MEDIA_ROOT is set: production stores uploads on Cloudinary "
        "(CLOUDINARY_URL) or in a folder of its own (MEDIA_ROOT). Set one (see .env.example)."
    )

# HTTPS everywhere, behind a proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = config("SECURE_SSL_REDIRECT", default=True, cast=bool)
# HSTS starts short: a browser that saw it keeps to HTTPS for that long, so a mistake (a school
# host without a certificate) must not last a year. Raise SECURE_HSTS_SECONDS to a year
# (31536000) once HTTPS works on every host; then SECURE_HSTS_PRELOAD may be turned on.
SECURE_HSTS_SECONDS = config("SECURE_HSTS_SECONDS", default=3600, cast=int)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # the schools are subdomains of the platform
SECURE_HSTS_PRELOAD = config("SECURE_HSTS_PRELOAD", default=False, cast=bool)
if SECURE_HSTS_PRELOAD and SECURE_HSTS_SECONDS < YEAR_SECONDS:
    # Browsers' preload lists take a site only with a max-age of a year or more.
    raise ImproperlyConfigured(
        "SECURE_HSTS_PRELOAD needs SECURE_HSTS_SECONDS of at least a year (31536000)."
    )
if not SECURE_HSTS_PRELOAD:
    # `check --deploy` asks for preload (security.W021). Preloading is a commitment browsers
    # ship and that takes months to undo: off during the ramp-up, on purpose, not an omission.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# No script reads either cookie: the upload script takes the CSRF token from its form.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
