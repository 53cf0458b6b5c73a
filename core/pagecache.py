"""The page cache for anonymous visitors: whole responses in the shared cache (Redis), per
school, opt-in (deny by default). docs/architecture.md "Page cache" has the why.

- A view marks its response as cacheable (`page_cacheable`, or `page_cache_allow` for
  Wagtail pages, see core.wagtail_hooks); nothing else is ever stored.
- `PageCacheMiddleware` sits right after the school is found from the host (before sessions,
  CSRF and authentication): a hit is one MGET (the school's generation and the entry) and no
  query. A request carrying any cookie but the language's (a session, the CSRF token, a
  sign-in, messages) bypasses the cache entirely: no lookup, no store. In production,
  mediahub.pagecache_wsgi answers hits before Django's handler with the same functions
  (`lookup_wanted`, `lookup`, `hit_headers`): the rules live here only.
- A response is stored only when it is a 200 to a GET without cookies, sets no cookie, used no
  CSRF token, is not private/no-store, and its query string holds only the parameters the view
  declared (with short values): random query strings cannot fill Redis.
- Purging a school is one INCR of its generation (`page_cache_purge`, after the commit). An
  entry holds the generation read when its request began and is served only while that is
  still the school's generation: a render that read data before a commit cannot be served
  after the commit's purge. Old entries are overwritten or expire (PAGE_CACHE_SECONDS).
"""

from __future__ import annotations

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse
from django_tenants.utils import get_public_schema_name, schema_context

from .languages import language_for_request

HEADER = "X-Page-Cache"
HIT, MISS = "hit", "miss"
GENERATION_KEY = "pagecache:generation"
ENTRY_KEY = "pagecache:page:{digest}"
# A declared query parameter's value longer than this is not stored (`?page=` is a number).
QUERY_VALUE_MAX = 8
# Response headers an outer middleware adds per request: never stored with the page.
PER_REQUEST_HEADERS = frozenset({"x-request-id", HEADER.lower()})
# Vary values the key already covers (Cookie: a request with cookies never gets here; the
# language cookie is in the key). Accept-Language is not: no page of ours follows it.
VARY_COVERED = frozenset({"cookie"})
REQUEST_ATTRIBUTE = "page_cache_query"  # set by page_cacheable: the declared query parameters
GENERATION_ATTRIBUTE = "page_cache_generation"


def _cache():
    return caches["default"]


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", False)


def page_cache_seconds() -> int:
    """How long an entry lives: PAGE_CACHE_SECONDS, and never longer than half of an expiring
    file link's lifetime (media_library.delivery: a link handed out stays valid for at least
    nine tenths of MEDIA_PRIVATE_URL_TTL_SECONDS), should a visitor's page ever hold one."""
    seconds = settings.PAGE_CACHE_SECONDS
    link_ttl = getattr(settings, "MEDIA_PRIVATE_URL_TTL_SECONDS", None)
    if link_ttl:
        seconds = min(seconds, link_ttl // 2)
    return max(seconds, 0)


def page_cache_allow(request, *, query=()) -> None:
    """Mark the response to `request` as cacheable for visitors, with these query parameters
    allowed in its address (any other keeps it out of the cache)."""
    setattr(request, REQUEST_ATTRIBUTE, frozenset(query))


def page_cacheable(view=None, *, query=("page",)):
    """Decorator of a view whose anonymous response may be cached (see the module)."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(request, *args, **kwargs):
            page_cache_allow(request, query=query)
            return function(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def language_of(request) -> str:
    """The language a visitor's page is rendered in: the one decision the key needs, by the
    same rule as every page (core.languages: for a visitor, the language cookie, else the
    school's default; never Accept-Language). Runs before authentication: no user here."""
    return language_for_request(request)


def page_key(request) -> str:
    """The entry's key: the school (the cache's key function prefixes the schema), the host,
    the path, the query string (sorted; only declared parameters are ever stored) and the
    language. Hashed, so a long address makes no long key."""
    query = sorted(request.GET.lists())
    raw = "\n".join((request.get_host(), request.path, repr(query), language_of(request)))
    return ENTRY_KEY.format(digest=hashlib.sha256(raw.encode()).hexdigest())


def _bypass(request) -> bool:
    """Cookies other than the language's mean a person who may be signed in, or holds a
    token: their page is their own, always rendered."""
    if request.method not in ("GET", "HEAD"):
        return True
    cookies = set(request.COOKIES) - {settings.LANGUAGE_COOKIE_NAME}
    return bool(cookies) or "HTTP_AUTHORIZATION" in request.META


def lookup_wanted(request, schema_name: str | None) -> bool:
    """Whether `request` may be served from the cache (and its response stored): the cache
    is on, the school is not the platform (its schema; None: not known yet) and nothing
    bypasses it. The one test of the rules, for the middleware and for mediahub.wsgi's hits
    before Django."""
    if not enabled() or schema_name == get_public_schema_name():
        return False
    return not _bypass(request)


def lookup(request) -> tuple[str, int | None, dict | None]:
    """The request's key, the school's generation (None when the cache has none yet) and
    the entry stored under that generation (None: a miss), in the current schema: one
    MGET. Shared by the middleware and mediahub.wsgi."""
    key = page_key(request)
    found = _cache().get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    return key, generation, fresh(found.get(key), generation)


def fresh(entry: dict | None, generation: int | None) -> dict | None:
    """The entry when it was stored under the school's current generation, else None."""
    if entry is None or generation is None or entry["generation"] != generation:
        return None
    return entry


def hit_headers(entry: dict) -> list[tuple[str, str]]:
    """The headers of a hit, before the per-request ones (the request id): what was stored
    with the page, and X-Page-Cache: hit."""
    return [*entry["headers"], (HEADER, HIT)]


def _query_allowed(request, allowed: frozenset) -> bool:
    return all(
        name in allowed and all(len(value) <= QUERY_VALUE_MAX for value in values)
        for name, values in request.GET.lists()
    )


def _storable(request, response) -> bool:
    allowed = getattr(request, REQUEST_ATTRIBUTE, None)
    if allowed is None or response.status_code != 200 or response.streaming:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if request.META.get("CSRF_COOKIE_USED"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control:
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    return vary <= VARY_COVERED and _query_allowed(request, allowed)


def _response_from(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in hit_headers(entry):
        response[name] = value
    return response


class PageCacheMiddleware:
    """The lookup and the store (see the module). After the tenant middleware, which has set
    the school's schema: every key is the school's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not lookup_wanted(request, connection.schema_name):
            return self.get_response(request)
        key, generation, entry = lookup(request)
        if entry is not None:
            return _response_from(entry)
        cache = _cache()
        if generation is None:
            generation = _generation_init(cache)
        setattr(request, GENERATION_ATTRIBUTE, generation)
        response = self.get_response(request)
        if request.method == "GET" and _storable(request, response):
            entry = {
                "generation": generation,
                "status": response.status_code,
                "headers": [
                    (name, value)
                    for name, value in response.items()
                    if name.lower() not in PER_REQUEST_HEADERS
                ],
                "content": response.content,
            }
            cache.set(key, entry, page_cache_seconds())
            response[HEADER] = MISS
        return response


def _generation_incr(schema_name: str) -> None:
    with schema_context(schema_name):
        cache = _cache()
        key = cache.make_and_validate_key(GENERATION_KEY)
        client = getattr(cache, "_cache", None)
        if hasattr(client, "get_client"):  # Redis: one round trip, atomic (MULTI/EXEC)
            pipeline = client.get_client(key, write=True).pipeline()
            pipeline.set(key, time.time_ns(), nx=True)  # only when Redis lost it (see below)
            pipeline.incr(key)
            pipeline.execute()
            return
        # Each process's own cache (development): add-then-incr is enough for one process.
        _generation_init(cache)
        cache.incr(GENERATION_KEY)


def _generation_init(cache) -> int:
    """A school's first generation, or one Redis lost (evicted, restarted): the time in ns,
    never a number old entries were stored under, so none of them is served again."""
    cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
    return cache.get(GENERATION_KEY)


def _purge_pending(callback, schema_name: str) -> bool:
    return getattr(callback, "page_cache_schema", None) == schema_name and not getattr(
        callback, "done", False
    )


def page_cache_purge(schema_name: str | None = None) -> None:
    """Every cached page of the school (the current one by default) is stale once the
    current transaction commits: one INCR of its generation, shared by every app server."""
    if not enabled():
        return
    schema_name = schema_name or connection.schema_name
    if schema_name == get_public_schema_name():
        return
    # One INCR per school and transaction, however many rows it writes.
    pending = getattr(connection, "run_on_commit", None) or []
    if any(_purge_pending(entry[1], schema_name) for entry in pending):
        return

    def purge() -> None:
        purge.done = True  # the tests' on-commit capture runs it but leaves it in the list
        _generation_incr(schema_name)

    purge.page_cache_schema = schema_name
    transaction.on_commit(purge)


def page_cache_generation(schema_name: str) -> int:
    """The school's generation (tests and the benchmark)."""
    with schema_context(schema_name):
        return _cache().get(GENERATION_KEY)


# The name core.pagecache_purges uses.
page_cache_purge_on_commit = page_cache_purge
