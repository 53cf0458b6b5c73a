"""The caches: Redis when REDIS_URL is set, shared by every process and every app server (rate
limits count across them, one Daraja token serves them all, renditions and Wagtail's site
root paths are looked up once); one cache per process otherwise (development). Part of the
base settings (base.py imports them all); every variable is in `.env.example`.

Every key starts with the school's schema (django_tenants.cache.make_key), then the platform's
CACHE_KEY_PREFIX: "greenwood:mediahub:1:ratelimit:...". Django's RedisCache uses redis-py,
whose connections parse replies with hiredis when it is installed (requirements.txt pins it).
"""

from .env import config

__all__ = [
    "CACHES",
    "CACHE_KEY_PREFIX",
    "PAGE_CACHE_ENABLED",
    "PAGE_CACHE_PAGE_QUERY",
    "PAGE_CACHE_PAGE_TYPES",
    "PAGE_CACHE_SECONDS",
    "REDIS_URL",
    "MEDIA_SHARING_CACHE_SECONDS",
    "TENANT_HOST_CACHE_SECONDS",
    "cache_settings",
]

# redis://[:password@]host:6379/<database>, or rediss:// for TLS. Empty: one cache per process.
# A cache.clear() empties the whole database: platforms sharing one Redis each take their own
# database number, not only their own CACHE_KEY_PREFIX.
REDIS_URL = config("REDIS_URL", default="")
# Keeps apart the keys of several platforms (staging, production) on one Redis database.
CACHE_KEY_PREFIX = config("CACHE_KEY_PREFIX", default="mediahub")
# Seconds to connect to Redis and to wait for an answer: when Redis is down or unreachable,
# a request fails after this long instead of hanging (and /healthz says "failing").
REDIS_CONNECT_TIMEOUT = config("REDIS_CONNECT_TIMEOUT", default=1.0, cast=float)
REDIS_TIMEOUT = config("REDIS_TIMEOUT", default=2.0, cast=float)

_SCHOOL_KEYS = {
    "KEY_FUNCTION": "django_tenants.cache.make_key",
    "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
}


def _redis(url: str, key_prefix: str) -> dict:
    return {
        # Django's RedisCache, reusing its client objects (core/cache_backend.py).
        "BACKEND": "core.cache_backend.ReusingRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        **_SCHOOL_KEYS,
        # Passed to redis-py's connection pool (its parser is hiredis when installed).
        "OPTIONS": {
            "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
            "socket_timeout": REDIS_TIMEOUT,
            # A connection idle for this long is checked before use (a restarted Redis or
            # a firewall that dropped it), instead of failing the request that takes it.
            "health_check_interval": 30,
        },
    }


def cache_settings(redis_url: str, key_prefix: str) -> dict:
    """CACHES: both caches on Redis at `redis_url`, or each process's own when it is empty."""
    if redis_url:
        return {
            "default": _redis(redis_url, key_prefix),
            # Wagtail's rendition lookups (see below), on the same Redis under a prefix of
            # their own (no ":" in it: reverse_key splits the schema and prefix off at colons).
            "renditions": _redis(redis_url, f"{key_prefix}-renditions"),
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": key_prefix,
            **_SCHOOL_KEYS,
        },
        # Wagtail keeps its rendition lookups (one entry per picture and size) here when this
        # exists. Apart, a gallery of hundreds of pictures does not push the default cache's
        # other entries (the sites' root paths, the rate limits' counts) out of LocMemCache's
        # 300 entries, which cost a query on every page before.
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "renditions",
            "KEY_PREFIX": f"{key_prefix}-renditions",
            **_SCHOOL_KEYS,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }


CACHES = cache_settings(REDIS_URL, CACHE_KEY_PREFIX)

# The page cache for anonymous visitors (core.pagecache, docs/architecture.md "Page cache"):
# whole pages in the default cache, per school, purged on every write that could change them.
PAGE_CACHE_ENABLED = config("PAGE_CACHE_ENABLED", default=True, cast=bool)
# How long a cached page lives at most (a purge makes it stale at once anyway). Capped at half
# of MEDIA_PRIVATE_URL_TTL_SECONDS, so an expiring file link on a page never outlives it.
PAGE_CACHE_SECONDS = config("PAGE_CACHE_SECONDS", default=600, cast=int)
# Wagtail page types a visitor may get from the cache (core.wagtail_hooks), and the query
# parameters their addresses may carry (any other keeps the response out of the cache).
PAGE_CACHE_PAGE_TYPES = frozenset(
    {"home.HomePage", "classrooms.ClassroomPage", "galleries.GalleryPage"}
)
PAGE_CACHE_PAGE_QUERY = ("page",)
# Seconds the school of a host stays in the cache (tenants.middleware): finding the school
# costs no query then. Dropped at once when a school or domain is saved or deleted; 0: off.
TENANT_HOST_CACHE_SECONDS = config("TENANT_HOST_CACHE_SECONDS", default=3600, cast=int)
# Seconds a school's media-sharing switch (Settings > Media sharing) stays cached: every
# listing reads it, at no query then. Dropped at once when the setting is saved; 0: off.
MEDIA_SHARING_CACHE_SECONDS = config("MEDIA_SHARING_CACHE_SECONDS", default=3600, cast=int)
