"""Production settings: complete from the environment, loud when something is missing."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.management.utils import get_random_secret_key

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    # The environment only: a developer's .env (made from .env.example) must not change what
    # the production settings are tested with.
    "ENV_FILE": "",
    "DJANGO_SETTINGS_MODULE": "mediahub.settings.production",
    "SECRET_KEY": get_random_secret_key() + get_random_secret_key(),
    "DATABASE_URL": "postgres://mediahub:secret@db.internal:5432/mediahub",
    "ALLOWED_HOSTS": "mediahub.example.org,.mediahub.example.org",
    "PLATFORM_DOMAIN": "mediahub.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://mediahub.example.org,https://*.mediahub.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "DEFAULT_FROM_EMAIL": "Media Hub <no-reply@mediahub.example.org>",
    "MEDIA_ROOT": "/var/lib/mediahub/media",
    "CLOUDINARY_URL": "",
    "DARAJA_BASE_URL": "https://api.safaricom.co.ke",
    "DARAJA_CONSUMER_KEY": "live-consumer-key",
    "DARAJA_CONSUMER_SECRET": "live-consumer-secret",
    "DARAJA_SHORTCODE": "600000",
    "DARAJA_PASSKEY": "live-passkey",
    "REDIS_URL": "redis://cache.internal:6379/0",
}


def _manage(*args, **env):
    # The test process allows async-unsafe calls for Playwright; a deployment must not.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {**inherited, **PRODUCTION_ENV, **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_gives_no_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_missing_secret_key_is_a_clear_error():
    # An empty value in the environment wins over any .env in the checkout.
    result = _manage("check", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_missing_database_url_is_a_clear_error_not_the_embedded_database():
    result = _manage("check", DATABASE_URL="")
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr


def test_wrong_settings_of_expiring_file_links_are_clear_errors():
    result = _manage("check", CLOUDINARY_AUTH_TOKEN_KEY="not-hex")
    assert result.returncode != 0
    assert "CLOUDINARY_AUTH_TOKEN_KEY must be the hexadecimal key" in result.stderr
    result = _manage("check", MEDIA_PRIVATE_URL_TTL_SECONDS="0")
    assert result.returncode != 0
    assert "MEDIA_PRIVATE_URL_TTL_SECONDS must be a number of seconds" in result.stderr


def test_renditions_have_a_cache_of_their_own_keyed_by_school():
    from django.core.cache import caches
    from wagtail.images.models import AbstractRendition

    from media_library.models import SchoolRendition

    assert SchoolRendition.cache_backend is caches["renditions"]
    assert SchoolRendition.cache_backend is not caches["default"]
    assert issubclass(SchoolRendition, AbstractRendition)
    assert caches["renditions"].key_func.__module__ == "django_tenants.cache"


def _production_settings(**env) -> dict:
    """The production settings' values that the tests look at, as a process started with
    PRODUCTION_ENV (plus `env`) sees them; the variables whose defaults are tested are taken
    out of the inherited environment."""
    read = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'CONN_MAX_AGE': s.DATABASES['default']['CONN_MAX_AGE'], "
        "'CONN_HEALTH_CHECKS': s.DATABASES['default']['CONN_HEALTH_CHECKS'], "
        "'HSTS': s.SECURE_HSTS_SECONDS, 'PRELOAD': s.SECURE_HSTS_PRELOAD, "
        "'SUBDOMAINS': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'EMAIL_BACKEND': s.EMAIL_BACKEND, "
        "'SILENCED': s.SILENCED_SYSTEM_CHECKS, 'CACHES': s.CACHES, "
        "'TASKS': s.TASKS['default']['BACKEND']}))"
    )
    defaulted = (
        "DB_CONN_MAX_AGE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_PRELOAD",
        "EMAIL_BACKEND",
        "CACHE_PER_PROCESS",
        "CACHE_KEY_PREFIX",
    )
    inherited = {
        k: v
        for k, v in os.environ.items()
        if k != "DJANGO_ALLOW_ASYNC_UNSAFE" and k not in defaulted
    }
    result = subprocess.run(
        [sys.executable, "-c", read],
        cwd=ROOT,
        env={**inherited, **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_persistent_connections_and_a_short_hsts_by_default():
    values = _production_settings()
    assert values["CONN_MAX_AGE"] == 60
    assert values["CONN_HEALTH_CHECKS"] is True
    assert values["HSTS"] == 3600
    assert values["PRELOAD"] is False
    assert values["SUBDOMAINS"] is True
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    # Only preload's warning is silenced, and only while preload is off.
    assert values["SILENCED"] == ["security.W021"]


def test_tasks_go_to_the_database_queue_whatever_the_environment_says():
    values = _production_settings(TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend")
    assert values["TASKS"] == "core.task_backends.SchoolDatabaseBackend"


def test_the_defaults_are_raised_by_settings():
    values = _production_settings(
        DB_CONN_MAX_AGE="0", SECURE_HSTS_SECONDS="31536000", SECURE_HSTS_PRELOAD="True"
    )
    assert values["CONN_MAX_AGE"] == 0
    assert (values["HSTS"], values["PRELOAD"]) == (31_536_000, True)
    assert values["SILENCED"] == []


def test_preload_with_a_short_hsts_is_a_clear_error():
    result = _manage("check", SECURE_HSTS_SECONDS="3600", SECURE_HSTS_PRELOAD="True")
    assert result.returncode != 0
    assert "SECURE_HSTS_PRELOAD needs SECURE_HSTS_SECONDS of at least a year" in result.stderr


def test_a_year_of_hsts_with_preload_passes_check_deploy_with_nothing_silenced():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_PRELOAD="True",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_email_settings_are_a_clear_error():
    result = _manage("check", EMAIL_HOST="", EMAIL_BACKEND="")
    assert result.returncode != 0
    assert "EMAIL_HOST is not set and EMAIL_BACKEND names no other backend" in result.stderr
    # SMTP named explicitly, but to no host: the same error, not mail sent to localhost.
    result = _manage("check", EMAIL_HOST="", EMAIL_BACKEND=SMTP_BACKEND)
    assert result.returncode != 0
    assert "EMAIL_HOST is not set and EMAIL_BACKEND names no other backend" in result.stderr
    result = _manage("check", DEFAULT_FROM_EMAIL="")
    assert result.returncode != 0
    assert "DEFAULT_FROM_EMAIL is not set" in result.stderr


def test_another_email_backend_needs_no_smtp_host():
    values = _production_settings(
        EMAIL_HOST="", EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"
    )
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_missing_storage_choice_is_a_clear_error():
    result = _manage("check", MEDIA_ROOT="", CLOUDINARY_URL="")
    assert result.returncode != 0
    assert "Neither CLOUDINARY_URL nor MEDIA_ROOT is set" in result.stderr
    # Cloudinary alone is a choice: no MEDIA_ROOT needed.
    result = _manage("check", MEDIA_ROOT="", CLOUDINARY_URL="cloudinary://key:secret@cloud")
    assert result.returncode == 0, result.stderr


def test_production_caches_are_on_redis_keyed_by_school_and_time_out():
    values = _production_settings()
    default, renditions = values["CACHES"]["default"], values["CACHES"]["renditions"]
    assert default["BACKEND"] == renditions["BACKEND"]
    assert default["BACKEND"] == "core.cache_backend.ReusingRedisCache"  # Django's, reusing clients
    assert default["LOCATION"] == renditions["LOCATION"] == PRODUCTION_ENV["REDIS_URL"]
    assert (default["KEY_PREFIX"], renditions["KEY_PREFIX"]) == ("mediahub", "mediahub-renditions")
    assert default["KEY_FUNCTION"] == renditions["KEY_FUNCTION"] == "django_tenants.cache.make_key"
    # An unreachable Redis fails a request within seconds rather than hanging it.
    for cache in (default, renditions):
        assert 0 < cache["OPTIONS"]["socket_connect_timeout"] <= 5
        assert 0 < cache["OPTIONS"]["socket_timeout"] <= 5
    # Several platforms on one Redis: each its own prefix.
    prefixed = _production_settings(CACHE_KEY_PREFIX="staging")["CACHES"]
    assert prefixed["default"]["KEY_PREFIX"] == "staging"
    assert prefixed["renditions"]["KEY_PREFIX"] == "staging-renditions"


def test_production_without_redis_is_a_clear_error_unless_chosen_on_purpose():
    # Several workers each with a cache of their own would count rate limits apart.
    result = _manage("check", REDIS_URL="")
    assert result.returncode != 0
    assert "REDIS_URL is not set" in result.stderr
    assert "CACHE_PER_PROCESS=True" in result.stderr
    # A single app process may keep its own, said explicitly.
    values = _production_settings(REDIS_URL="", CACHE_PER_PROCESS="True")
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
