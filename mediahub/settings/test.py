"""Tests: `make test`. A random secret per run (tests need no .env), fast hashing, outbox email."""

import os

from decouple import Config, RepositoryEmpty
from django.core.management.utils import get_random_secret_key

# Generated, never stored: the tests must run on a fresh clone with no .env.
os.environ.setdefault("SECRET_KEY", get_random_secret_key())
# Error reports never leave the tests: a developer's SENTRY_DSN in .env must not reach them
# (the tests of error reporting point it at a server of their own).
os.environ["SENTRY_DSN"] = ""

from .base import *  # noqa: E402, F403

DEBUG = False
DEMO_SEED_ALLOWED = True  # the session's database starts as the demo (conftest.py)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The browser tests' live server is another process: conftest's live_site sets these to the
# file backend and a temporary folder, where the tests read its emails. Read from the
# environment only: a developer's .env (console or SMTP) must not reach the tests.
_environment = Config(RepositoryEmpty())
EMAIL_BACKEND = _environment(
    "EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend"
)
EMAIL_FILE_PATH = _environment("EMAIL_FILE_PATH", default="") or None
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None  # collectstatic is for production; here static files come from the finders
# Tests use local storage unless a test points the SDK at the fake Cloudinary API
# (media_library/tests/conftest.py); a developer's real account in .env never reaches them.
CLOUDINARY_URL = _environment("CLOUDINARY_URL", default="")
CLOUDINARY_AUTH_TOKEN_KEY = _environment("CLOUDINARY_AUTH_TOKEN_KEY", default="")
# A cache per process, unless the environment names a Redis: the shared cache's tests start
# one and hand it to their server processes (mediahub/tests/redis_server.py). Never a developer's
# Redis from .env: tests clear the cache, which empties the whole Redis database.
REDIS_URL = _environment("REDIS_URL", default="")
CACHES = cache_settings(REDIS_URL, "test")  # noqa: F405
# Off unless a test turns it on (settings.PAGE_CACHE_ENABLED = True): most tests look at
# freshly rendered pages.
PAGE_CACHE_ENABLED = False
# Off too, unless a test turns it on: a test's schools and domains are rolled back without
# any signal, and a host cached by one test would name a schema the next one never made.
TENANT_HOST_CACHE_SECONDS = 0
# Off for the same reason (settings rows rolled back without a signal), unless a test turns it on.
MEDIA_SHARING_CACHE_SECONDS = 0
# Daraja is the local simulator the donations tests start (donations/tests/conftest.py sets
# the variable for the live server too); never a developer's sandbox or live app from .env.
# Unset, it is a closed port: a test that forgot the simulator fails, and reaches nobody.
DARAJA_BASE_URL = _environment("DARAJA_BASE_URL", default="http://127.0.0.1:9")
DARAJA_CONSUMER_KEY = _environment("DARAJA_CONSUMER_KEY", default="test-key")
DARAJA_CONSUMER_SECRET = _environment("DARAJA_CONSUMER_SECRET", default="test-secret")
DARAJA_CALLBACK_BASE_URL = ""
DONATIONS_ENABLED = True

# The suite uploads far more than a student would: rate limits are off, except in the tests
# of the limits themselves, which set their own (in the environment, for a server process:
# mediahub/tests/test_shared_cache.py).
RATE_LIMITS = {
    group: {
        scope: _environment(variable, default="0/3600") if variable else "0/3600"
        for scope, (variable, _default) in scopes.items()
    }
    for group, scopes in RATE_LIMIT_VARIABLES.items()  # noqa: F405
}

# Tasks run at once, inside the test, in the current school. The tests of the real worker
# (conftest.run_worker) enqueue on the database backend and run `manage.py db_worker`,
# which they give TASKS_BACKEND in its environment.
TASKS = {
    "default": {
        "BACKEND": _environment(
            "TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
