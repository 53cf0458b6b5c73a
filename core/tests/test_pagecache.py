"""The page cache's mechanism (core.pagecache) on the real Redis: what is stored, what is
served to whom, the key, the generation. The purge events: mediahub/tests/test_page_cache_purges."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from conftest import client_as, client_for, user_named
from core import pagecache
from media_library.models import MediaPage

pytestmark = pytest.mark.django_db

SUNSET = "Sunset over the lake"  # the demo's public work, with a donate block
GUARDIAN = "mama.amina@greenwood.test"


@pytest.fixture
def cached(redis_caches, settings, school):
    settings.PAGE_CACHE_ENABLED = True
    settings.TENANT_HOST_CACHE_SECONDS = 3600  # a hit then costs no query at all
    return school


def _work_path() -> str:
    return f"/work/{MediaPage.objects.get(title=SUNSET).pk}/"


def _state(response) -> str | None:
    return response.get(pagecache.HEADER)


def _warm(school, path: str):
    """Visits until a hit (the first render may make renditions, whose saves purge)."""
    for _attempt in range(3):
        response = client_for(school).get(path)
        if _state(response) == pagecache.HIT:
            return response
    pytest.fail(f"{path} never came from the cache")


@pytest.mark.parametrize("path", ["/dashboard/", "work"])
def test_a_visitor_gets_a_cached_page_without_cookie_or_csrf_token(cached, path):
    path = _work_path() if path == "work" else path
    hit = _warm(cached, path)
    assert hit.status_code == 200
    assert not hit.cookies
    assert b"csrfmiddlewaretoken" not in hit.content
    if path != "/dashboard/":
        assert b"Donate with M-Pesa" in hit.content  # the donate form is on the cached page


@pytest.mark.parametrize("login", ["amina", "grace", GUARDIAN])
def test_a_signed_in_person_never_gets_a_cached_page(cached, login):
    """A visitor warms the page; a student, a teacher, a guardian of the school then get
    their own, rendered for them: their name, their menu, a CSRF token."""
    shown = user_named(login).get_short_name()
    for path in ("/dashboard/", _work_path()):
        visitor = _warm(cached, path)
        response = client_as(cached, login).get(path)
        assert _state(response) is None  # bypassed: neither looked up nor stored
        assert response.content != visitor.content
        assert b"csrfmiddlewaretoken" in response.content  # the sign-out form
        assert shown.encode() in response.content
        assert b"Sign out" in response.content and b"Sign out" not in visitor.content
        # ...and their visit did not replace the visitors' copy
        assert b"Sign out" not in _warm(cached, path).content


@pytest.mark.parametrize("cookie", ["sessionid", "csrftoken", "messages", "some_sign_in_cookie"])
def test_any_cookie_bypasses_the_cache(cached, cookie):
    _warm(cached, "/dashboard/")
    client = client_for(cached)
    client.cookies[cookie] = "x"
    assert _state(client.get("/dashboard/")) is None


def test_undeclared_query_parameters_are_never_stored(cached):
    for _attempt in range(3):
        response = client_for(cached).get("/dashboard/?utm_source=whatsapp")
        assert _state(response) != pagecache.HIT
    assert _state(_warm(cached, "/dashboard/?page=1")) == pagecache.HIT
    for _attempt in range(2):  # a declared parameter, but no page number
        assert _state(client_for(cached).get(f"/dashboard/?page={'9' * 20}")) != pagecache.HIT


def test_only_get_and_head_are_served(cached):
    _warm(cached, "/dashboard/")
    assert _state(client_for(cached).head("/dashboard/")) == pagecache.HIT
    assert _state(client_for(cached).post("/dashboard/")) is None


def test_a_hit_keeps_inner_headers_and_gets_its_own_request_id(cached):
    first = _warm(cached, "/dashboard/")
    second = client_for(cached).get("/dashboard/")
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert second[header] == first[header]
    assert second["X-Request-ID"] != first["X-Request-ID"]


def test_a_hit_costs_no_query(cached):
    path = _work_path()
    _warm(cached, path)
    client = client_for(cached)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert _state(response) == pagecache.HIT
    assert len(queries) == 0, [q["sql"] for q in queries]


def test_each_school_has_its_own_pages(cached, riverside):
    _warm(cached, "/dashboard/")
    response = client_for(riverside).get("/dashboard/")
    assert _state(response) != pagecache.HIT
    assert b"Riverside" in response.content


def test_the_language_is_part_of_the_key(cached, settings):
    """The language cookie's choice is in the key; Accept-Language is ignored (core.languages:
    a shared phone's browser language is not the child's choice)."""
    factory = RequestFactory(HTTP_HOST="greenwood.localhost")
    english = factory.get("/dashboard/")
    swahili = factory.get("/dashboard/")
    swahili.COOKIES[settings.LANGUAGE_COOKIE_NAME] = "sw"
    browser_sw = factory.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="sw")
    assert pagecache.language_of(swahili) == "sw"
    assert pagecache.language_of(browser_sw) == "en"
    assert pagecache.page_key(english) != pagecache.page_key(swahili)
    assert pagecache.page_key(english) == pagecache.page_key(browser_sw)


def test_a_render_that_started_before_a_purge_is_never_served(cached):
    """The generation is read when the request begins: a purge committed while the page was
    rendering (from data read before it) makes that render's entry stale at once."""

    def view(request):
        pagecache.page_cache_allow(request)
        pagecache._generation_incr("greenwood")  # what a purge does once its write commits
        return HttpResponse("old data")

    middleware = pagecache.PageCacheMiddleware(view)
    request = RequestFactory(HTTP_HOST="greenwood.localhost").get("/somewhere/")
    with schema_context("greenwood"):
        connection.set_schema("greenwood")
        assert middleware(request)[pagecache.HEADER] == pagecache.MISS
        request = RequestFactory(HTTP_HOST="greenwood.localhost").get("/somewhere/")
        assert middleware(request).get(pagecache.HEADER) != pagecache.HIT


def test_a_page_lives_no_longer_than_half_an_expiring_link(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.MEDIA_PRIVATE_URL_TTL_SECONDS = 3600
    assert pagecache.page_cache_seconds() == 600
    settings.MEDIA_PRIVATE_URL_TTL_SECONDS = 300
    assert pagecache.page_cache_seconds() == 150


def test_off_means_off(redis_caches, settings, school):
    settings.PAGE_CACHE_ENABLED = False
    for _attempt in range(3):
        assert _state(client_for(school).get("/dashboard/")) is None
