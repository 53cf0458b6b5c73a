"""Rate limits on forms that cost us something (uploads now; the donate form can use the
same decorator): per signed-in person and, separately, per address, in fixed windows kept
in the cache. Cache keys carry the school (django_tenants.cache.make_key), so each school
counts its own. With one cache per process (LocMemCache) each app server counts alone;
a shared cache (Redis, Memcached) makes the limit hold across servers.

Limits are "<count>/<seconds>" strings from settings, so a deployment tunes them without
code, and a limit of 0 switches one off.
"""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse

from .http import client_ip, wants_json

MESSAGE_RATE_LIMITED = (
    "You have sent a lot of {what} in a short time. Wait {minutes} minutes, then try again."
)


def _parse(limit: str) -> tuple[int, int]:
    count, _, seconds = limit.partition("/")
    return int(count), int(seconds or 3600)


def _hit(key: str, limit: str) -> int | None:
    """Count one request against `limit`; the seconds until the window ends when over it."""
    count, seconds = _parse(limit)
    if count <= 0:
        return None
    window = int(time.time() // seconds)
    bucket = f"ratelimit:{key}:{window}"
    cache.add(bucket, 0, timeout=seconds + 1)
    try:
        used = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, timeout=seconds + 1)
        used = 1
    if used > count:
        return seconds - int(time.time()) % seconds
    return None


def rate_limited(request, group: str) -> int | None:
    """Count this request in `group`'s limits (settings.RATE_LIMITS[group]: "user" and
    "address"); the seconds to wait when one is exceeded, else None."""
    limits = settings.RATE_LIMITS[group]
    waits = []
    if request.user.is_authenticated:
        waits.append(_hit(f"{group}:user:{request.user.pk}", limits["user"]))
    waits.append(_hit(f"{group}:address:{client_ip(request)}", limits["address"]))
    waits = [wait for wait in waits if wait]
    return max(waits) if waits else None


def ratelimit(group: str, *, what: str, methods: tuple[str, ...] = ("POST",)):
    """A view decorator: requests of `methods` over the group's limits answer 429 with
    MESSAGE_RATE_LIMITED (JSON for scripts) and a Retry-After header."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                wait = rate_limited(request, group)
                if wait:
                    message = MESSAGE_RATE_LIMITED.format(what=what, minutes=max(1, wait // 60))
                    if wants_json(request):
                        response = JsonResponse({"errors": {"__all__": [{"message": message}]}})
                        response.status_code = 429
                    else:
                        response = HttpResponse(message, status=429, content_type="text/plain")
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
