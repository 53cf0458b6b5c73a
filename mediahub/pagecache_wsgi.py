"""Page-cache hits served before Django (mediahub.wsgi wraps Django's WSGI handler with
`PageCacheHits`). A hit through the middleware (core.pagecache) pays for Django's handler
(its signals, the request and response objects, the middleware in front of the cache), about
as much again as the lookup itself; here a hit is the lookup alone.

Nothing is decided twice: the rules (`pagecache.lookup_wanted`), the key and the generation
check (`pagecache.lookup`) and the stored headers (`pagecache.hit_headers`) are the
middleware's own functions, on a Django request built from the same environ; the school is
the one the tenant middleware reads from the shared cache (`tenants.middleware.
school_cached`). What the middleware in front of the cache adds to a hit is added here the
same way: the request id (mediahub.middleware.RequestIdMiddleware). Anything else falls
through to Django unchanged: any cookie but the language's, a host whose school is not in
the cache (or inactive, or the platform), a miss, a stale entry, /healthz, and any error
(Django then meets it again, and reports it as usual).

A hit is one Redis round trip once the host has had one in this process: the school of the
host and the page are read together, the page's keys made with the schema the host had
then; the school read is compared with it, and anything else takes the two round trips.
"""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection

from core import pagecache
from core.observability import request_id_from
from mediahub.middleware import HEALTH_PATH, REQUEST_ID_HEADER
from tenants.middleware import SchoolTenantMiddleware, host_key, school_cached

# host -> its school at its last hit in this process: a guess only, which lets the school and
# the page be read in one round trip (the page's key needs the school's default language); the
# school is read and compared anyway.
_schema_guesses: dict[str, object] = {}
_UNSURE = object()


def _entry(request) -> dict | None:
    """The fresh entry for `request`, or None (Django then answers it)."""
    if request.path_info == HEALTH_PATH or not pagecache.lookup_wanted(request, None):
        return None
    try:
        hostname = SchoolTenantMiddleware.hostname_from_request(request)
    except DisallowedHost:
        return None
    guess = _schema_guesses.get(hostname)
    if (
        guess is not None
        and settings.TENANT_HOST_CACHE_SECONDS
        and isinstance(caches["default"], RedisCache)
    ):
        entry = _entry_in_one_round_trip(request, hostname, guess)
        if entry is not _UNSURE:
            return entry
    # As the tenant middleware: the school from the host in the public schema, then the
    # school's schema for the page's keys (the cache's key function reads it).
    connection.set_schema_to_public()
    school = school_cached(hostname)
    if school is None or not school.is_active:
        return None
    request.tenant = school  # as the tenant middleware: the key's language reads its default
    if not pagecache.lookup_wanted(request, school.schema_name):
        return None
    connection.set_tenant(school)
    entry = pagecache.lookup(request)[2]
    if entry is not None:
        _schema_guesses[hostname] = school
    return entry


def _entry_in_one_round_trip(request, hostname: str, guess):
    """One MGET of the host's school (public schema) and of the page's generation and entry
    in the schema guessed: the entry when the school read is that schema's, active, and the
    entry fresh; _UNSURE when the school is another or none (the two round trips decide)."""
    cache = caches["default"]
    schema = guess.schema_name
    request.tenant = guess
    connection.set_schema_to_public()
    host = cache.make_and_validate_key(host_key(hostname))
    connection.set_schema(schema)  # the page's keys are the school's (the key function)
    generation_key = cache.make_and_validate_key(pagecache.GENERATION_KEY)
    page = cache.make_and_validate_key(pagecache.page_key(request))
    found = cache._cache.get_many([host, generation_key, page])  # RedisCache.get_many's MGET
    school = found.get(host)
    if (
        school is None
        or school.schema_name != schema
        or school.default_language != guess.default_language  # the key's language
        or not school.is_active
    ):
        _schema_guesses.pop(hostname, None)
        return _UNSURE
    request.tenant = school
    if not pagecache.lookup_wanted(request, school.schema_name):
        return None
    connection.set_tenant(school)
    return pagecache.fresh(found.get(page), found.get(generation_key))


class PageCacheHits:
    """WSGI middleware: answers page-cache hits, hands everything else to `application`."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        request = WSGIRequest(environ)
        try:
            entry = _entry(request)
        except Exception:  # Redis unreachable...: Django meets it again and reports it
            entry = None
        if entry is None:
            return self.application(environ, start_response)
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        headers = [*pagecache.hit_headers(entry), (REQUEST_ID_HEADER, request_id)]
        status = entry["status"]
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [entry["content"]]
