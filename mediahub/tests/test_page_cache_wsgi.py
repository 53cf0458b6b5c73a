"""Page-cache hits before Django (mediahub.pagecache_wsgi, in front of the handler in
mediahub.wsgi): the same answer as a hit through the middleware, and everything else left to
Django. On the real Redis, with the page cache's own rules (core/tests/test_pagecache.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from conftest import client_for
from core import pagecache
from media_library.models import MediaPage
from mediahub.pagecache_wsgi import PageCacheHits

pytestmark = pytest.mark.django_db

SUNSET = "Sunset over the lake"  # the demo's public work


@pytest.fixture
def cached(redis_caches, settings, school):
    settings.PAGE_CACHE_ENABLED = True
    settings.TENANT_HOST_CACHE_SECONDS = 3600
    return school


class Django:
    """Stands for Django's handler behind the layer: counts what falls through."""

    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        start_response("418 I'm a teapot", [("Content-Type", "text/plain")])
        return [b"django"]


def _host(school) -> str:
    return school.domains.get(is_primary=True).domain


def _call(layer, school_or_host, path, **extra):
    host = school_or_host if isinstance(school_or_host, str) else _host(school_or_host)
    environ = RequestFactory().generic(extra.pop("method", "GET"), path, HTTP_HOST=host, **extra)
    environ = environ.environ
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, headers

    body = b"".join(layer(environ, start_response))
    return answer["status"], answer["headers"], body


def _middleware_hit(school, path, **extra):
    """A hit served by core.pagecache's middleware (through Django's handler)."""
    for _attempt in range(3):
        response = client_for(school).get(path, **extra)
        if response.get(pagecache.HEADER) == pagecache.HIT:
            return response
    pytest.fail(f"{path} never came from the cache")


def _work_path() -> str:
    return f"/work/{MediaPage.objects.get(title=SUNSET).pk}/"


@pytest.mark.parametrize("path", ["/dashboard/", "work", "/dashboard/?page=1"])
def test_a_hit_before_django_is_the_middlewares_hit(cached, path):
    path = _work_path() if path == "work" else path
    middleware = _middleware_hit(cached, path)
    django, host = Django(), _host(cached)
    with CaptureQueriesContext(connection) as queries:
        status, headers, body = _call(PageCacheHits(django), host, path)
    assert django.calls == 0 and len(queries) == 0
    assert status == "200 OK" and body == middleware.content
    names = [name.lower() for name, _value in headers]
    assert len(names) == len(set(names))  # each header once
    ours = {name.lower(): value for name, value in headers}
    theirs = {name.lower(): value for name, value in middleware.items()}
    assert ours.pop("x-request-id") != theirs.pop("x-request-id")
    assert ours == theirs
    assert ours[pagecache.HEADER.lower()] == pagecache.HIT
    assert "content-security-policy" in ours and "x-frame-options" in ours


def test_the_proxys_request_id_is_returned(cached):
    _middleware_hit(cached, "/dashboard/")
    _status, headers, _body = _call(
        PageCacheHits(Django()), cached, "/dashboard/", HTTP_X_REQUEST_ID="abc123"
    )
    assert dict(headers)["X-Request-ID"] == "abc123"


def test_the_language_cookie_is_served_in_its_language(cached, settings):
    _middleware_hit(cached, "/dashboard/")
    sw = _middleware_hit(cached, "/dashboard/", HTTP_COOKIE=f"{settings.LANGUAGE_COOKIE_NAME}=sw")
    django = Django()
    cookie = f"{settings.LANGUAGE_COOKIE_NAME}=sw"
    _status, headers, body = _call(PageCacheHits(django), cached, "/dashboard/", HTTP_COOKIE=cookie)
    assert django.calls == 0 and body == sw.content


def test_the_schools_default_language_is_the_keys_language(cached):
    """Without a cookie the key's language is the school's default: a school switched to
    Kiswahili gets its Kiswahili page from the layer, never the English one it served before
    (also on the one-round-trip path of a host seen before)."""
    english = _middleware_hit(cached, "/dashboard/")
    layer = PageCacheHits(Django())
    assert _call(layer, cached, "/dashboard/")[2] == english.content  # the host is now known
    cached.default_language = "sw"
    cached.save()  # drops the host's cached school and the school's pages
    sw = _middleware_hit(cached, "/dashboard/")
    assert b'<html lang="sw"' in sw.content
    django = Django()
    body = _call(PageCacheHits(django), cached, "/dashboard/")[2]
    assert django.calls == 0 and body == sw.content


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_COOKIE": "sessionid=x"},
        {"HTTP_COOKIE": "csrftoken=x"},
        {"HTTP_AUTHORIZATION": "Bearer x"},
        {"method": "POST"},
        {"HTTP_HOST": "unknown.localhost"},
    ],
)
def test_what_the_cache_does_not_serve_goes_to_django(cached, extra):
    _middleware_hit(cached, "/dashboard/")
    django = Django()
    environ_extra = dict(extra)
    if "HTTP_HOST" in environ_extra:
        environ = RequestFactory().get("/dashboard/", **environ_extra).environ
        assert PageCacheHits(django)(environ, lambda *args: None) == [b"django"]
    else:
        status, _headers, body = _call(PageCacheHits(django), cached, "/dashboard/", **extra)
        assert body == b"django"
    assert django.calls == 1


def test_a_miss_a_purged_page_and_the_cache_off_go_to_django(cached, settings):
    django = Django()
    layer = PageCacheHits(django)
    _call(layer, cached, "/")  # never visited: a miss
    assert django.calls == 1
    _middleware_hit(cached, "/dashboard/")
    pagecache._generation_incr(cached.schema_name)  # what a purge does once committed
    _call(layer, cached, "/dashboard/")
    assert django.calls == 2
    settings.PAGE_CACHE_ENABLED = False
    _call(layer, cached, "/dashboard/")
    assert django.calls == 3


def test_a_hosts_next_hit_is_one_round_trip_and_still_checks_the_school(cached, monkeypatch):
    """After a hit, the host's school and the page are read in one MGET (the schema guessed
    from that hit); the school read is still checked: once it is inactive (its host dropped
    from the cache), nothing more is served before Django."""
    from django.core.cache import caches

    _middleware_hit(cached, "/dashboard/")
    django, host = Django(), _host(cached)
    layer = PageCacheHits(django)
    assert _call(layer, host, "/dashboard/")[0] == "200 OK"  # two round trips; guess kept
    client = caches["default"]._cache
    calls = []
    for name in ("get", "get_many"):
        original = getattr(client, name)
        monkeypatch.setattr(
            client, name, lambda *a, _o=original, _n=name, **k: calls.append(_n) or _o(*a, **k)
        )
    status, _headers, body = _call(layer, host, "/dashboard/")
    assert status == "200 OK" and calls == ["get_many"] and django.calls == 0
    cached.is_active = False
    cached.save()  # drops the host's school from the cache (tenants.signals)
    calls.clear()
    assert _call(layer, host, "/dashboard/")[2] == b"django"
    assert django.calls == 1
