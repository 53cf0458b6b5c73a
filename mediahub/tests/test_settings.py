"""Production settings: complete from the environment, loud when something is missing."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.management.utils import get_random_secret_key

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "mediahub.settings.production",
    "SECRET_KEY": get_random_secret_key() + get_random_secret_key(),
    "DATABASE_URL": "postgres://mediahub:secret@db.internal:5432/mediahub",
    "ALLOWED_HOSTS": "mediahub.example.org,.mediahub.example.org",
    "PLATFORM_DOMAIN": "mediahub.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://mediahub.example.org,https://*.mediahub.example.org",
    "DARAJA_BASE_URL": "https://api.safaricom.co.ke",
    "DARAJA_CONSUMER_KEY": "live-consumer-key",
    "DARAJA_CONSUMER_SECRET": "live-consumer-secret",
    "DARAJA_SHORTCODE": "600000",
    "DARAJA_PASSKEY": "live-passkey",
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
