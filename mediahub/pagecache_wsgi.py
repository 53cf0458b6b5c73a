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
"""

from __future__ import annotations

from http import HTTPStatus

from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection

from core import pagecache
from core.observability import request_id_from
from mediahub.middleware import HEALTH_PATH, REQUEST_ID_HEADER
from tenants.middleware import SchoolTenantMiddleware, school_cached


def _entry(request) -> dict | None:
    """The fresh entry for `request`, or None (Django then answers it)."""
    if request.path_info == HEALTH_PATH or not pagecache.lookup_wanted(request, None):
        return None
    try:
        hostname = SchoolTenantMiddleware.hostname_from_request(request)
    except DisallowedHost:
        return None
    # As the tenant middleware: the school from the host in the public schema, then the
    # school's schema for the page's keys (the cache's key function reads it).
    connection.set_schema_to_public()
    school = school_cached(hostname)
    if school is None or not school.is_active:
        return None
    if not pagecache.lookup_wanted(request, school.schema_name):
        return None
    connection.set_tenant(school)
    return pagecache.lookup(request)[2]


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
