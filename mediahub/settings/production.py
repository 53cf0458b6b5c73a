"""Production: everything secret or site-specific comes from the environment, with no
defaults; a missing one stops the process with a message naming it."""

from .env import config, require

# Checked before base is imported so that base never falls back to the embedded database.
require("SECRET_KEY")
require("DATABASE_URL")
require("ALLOWED_HOSTS")
require("PLATFORM_DOMAIN")

from .base import *  # noqa: E402, F403

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
EMAIL_BACKEND = config("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

# HTTPS everywhere, behind a proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = config("SECURE_SSL_REDIRECT", default=True, cast=bool)
SECURE_HSTS_SECONDS = config("SECURE_HSTS_SECONDS", default=31_536_000, cast=int)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
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
