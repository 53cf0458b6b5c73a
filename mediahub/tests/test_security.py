"""Security settings that hold in every response: the Content-Security-Policy (strict on the
front end, with no inline scripts anywhere in the front end's templates), secure and
HttpOnly cookies in production, and the upload form's rate limits."""

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django_tenants.utils import schema_context

from classrooms.models import Classroom
from conftest import client_as, client_for
from core.ratelimit import MESSAGE_RATE_LIMITED
from media_library.tests import samples
from mediahub import middleware
from mediahub.tests.test_settings import _manage

ROOT = Path(__file__).resolve().parents[2]
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "HTTP_ACCEPT": "application/json"}


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("host", "path", "login"),
    [
        ("greenwood", "/", None),
        ("greenwood", "/dashboard/", None),
        ("greenwood", "/upload/", "amina"),
        ("greenwood", "/accounts/login/", None),
        ("greenwood", "/no-such-page/", None),
        ("localhost", "/", None),
    ],
)
def test_the_front_end_has_a_strict_content_security_policy(greenwood, host, path, login):
    client = (
        client_as(greenwood, login)
        if login
        else client_for(greenwood if host != "localhost" else host)
    )
    response = client.get(path)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"] + policy["default-src"]


@pytest.mark.django_db
def test_the_wagtail_admin_has_its_own_looser_policy_still_closed_to_other_origins(greenwood):
    response = client_as(greenwood, "grace").get("/admin/")
    policy = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["default-src"] == ["'self'"]
    assert not any(value.startswith("http") for values in policy.values() for value in values)


@pytest.mark.parametrize(
    ("cloudinary_url", "origins"),
    [
        ("", ["'self'"]),
        (
            "cloudinary://key:secret@school-cloud",
            ["'self'", "https://res.cloudinary.com", "https://api.cloudinary.com"],
        ),
        (
            "cloudinary://key:secret@school-cloud/media.example.org"
            "?upload_prefix=https://api-eu.cloudinary.com",
            ["'self'", "https://media.example.org", "https://api-eu.cloudinary.com"],
        ),
    ],
)
def test_media_may_come_from_cloudinarys_cdn_and_its_api(settings, cloudinary_url, origins):
    """Files of work that is not public are private download links, on the API's host."""
    settings.CLOUDINARY_URL = cloudinary_url
    for admin in (False, True):
        policy = _directives(middleware.policy(admin=admin))
        assert policy["img-src"] == [*origins, "data:", "blob:"]
        assert policy["media-src"] == [*origins, "blob:"]


def test_the_front_end_templates_have_no_inline_scripts_or_handlers():
    front_end = [
        path
        for path in (ROOT / "templates").rglob("*.html")
        if not {"wagtailadmin", "wagtailusers", "admin"} & set(path.relative_to(ROOT).parts)
    ]
    assert len(front_end) > 10
    for path in front_end:
        html = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", html, flags=re.I):
            assert "src=" in tag, f"inline script in {path}"
        assert not re.search(r"\son[a-z]+\s*=", html, flags=re.I), f"event handler in {path}"
        assert "javascript:" not in html.lower(), path


def test_production_cookies_are_secure_and_http_only():
    names = [
        f"{cookie}_COOKIE_{flag}"
        for cookie in ("SESSION", "CSRF")
        for flag in ("SECURE", "HTTPONLY")
    ]
    code = (
        "from django.conf import settings; print(" + ", ".join(f"settings.{n}" for n in names) + ")"
    )
    result = _manage("shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["True"] * 4


def _upload(client, title: str):
    with schema_context("greenwood"):
        art = Classroom.objects.get(name="Art").pk
    form = {
        "title": title,
        "classroom": art,
        "visibility": "class",
        "file": samples.uploaded(samples.png(), "a.png", "image/png"),
    }
    return client.post("/upload/", form, **XHR)


@pytest.mark.django_db
def test_uploads_are_rate_limited_per_person(school, settings):
    cache.clear()
    settings.RATE_LIMITS = {"media_upload": {"user": "2/3600", "address": "0/3600"}}
    amina = client_as(school, "amina")
    assert [_upload(amina, f"Work {i}").status_code for i in range(2)] == [201, 201]

    refused = _upload(amina, "One too many")

    assert refused.status_code == 429
    [error] = refused.json()["errors"]["__all__"]
    assert error["message"] == MESSAGE_RATE_LIMITED.format(
        what="uploads", minutes=int(refused["Retry-After"]) // 60 or 1
    )
    assert int(refused["Retry-After"]) > 0
    # Another student is not held back by Amina's uploads.
    assert _upload(client_as(school, "brian"), "Brian's").status_code == 201
    # Looking at the form is not counted.
    assert amina.get("/upload/").status_code == 200


@pytest.mark.django_db
def test_uploads_are_rate_limited_per_address(school, settings):
    cache.clear()
    settings.RATE_LIMITS = {"media_upload": {"user": "0/3600", "address": "2/3600"}}
    assert _upload(client_as(school, "amina"), "A").status_code == 201
    assert _upload(client_as(school, "brian"), "B").status_code == 201

    refused = _upload(client_as(school, "cynthia"), "C")  # the same address (the test client's)

    assert refused.status_code == 429
    with schema_context("greenwood"):
        from media_library.models import MediaPage

        assert not MediaPage.objects.filter(title="C").exists()
