"""Rate limits on forms that cost us something (uploads now; the donate form can use the
same decorator), and limits on the failures of something a guesser would repeat (class
codes: `attempt_begin`): per signed-in person and, separately, per address, in fixed
windows kept in the cache. Cache keys carry the school (django_tenants.cache.make_key), so
each school counts its own. With Redis (REDIS_URL) every process and app server counts in
the same buckets; with one cache per process (LocMemCache, development) each counts alone.

Limits are "<count>/<seconds>" strings from settings, so a deployment tunes them without
code, and a limit of 0 switches one off.
"""

from __future__ import annotations

import contextlib
import functools
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .http import client_ip, wants_json

MESSAGE_RATE_LIMITED = _(
    "You have sent a lot of {what} in a short time. Wait {minutes} minutes, then try again."
)


def _parse(limit: str) -> tuple[int, int]:
    count, _, seconds = limit.partition("/")
    return int(count), int(seconds or 3600)


def _incr(bucket: str, seconds: int) -> int:
    """Count one in the bucket; its count now. Atomic on a shared cache: the first request
    of a window creates the bucket with its expiry in one step (Redis: SET NX EX), every
    other one adds to it (Redis: INCR), so two servers counting at once never lose a count."""
    timeout = seconds + 1
    for _attempt in range(3):
        if cache.add(bucket, 1, timeout=timeout):
            return 1
        try:
            count = cache.incr(bucket)
        except ValueError:  # it expired (or was evicted) between add and incr: start it again
            continue
        if count == 1:
            # Only a bucket that vanished between incr's check and its INCR counts 1 here,
            # and Redis then made it with no expiry: give it one, or it would stay forever.
            cache.touch(bucket, timeout)
        return count
    cache.set(bucket, 1, timeout=timeout)
    return 1


def _decr(bucket: str) -> None:
    with contextlib.suppress(ValueError):  # its window is over: nothing left to give back
        cache.decr(bucket)


def _window_left(seconds: int) -> int:
    return seconds - int(time.time()) % seconds


def _hit(key: str, limit: str) -> int | None:
    """Count one request against `limit`; the seconds until the window ends when over it."""
    count, seconds = _parse(limit)
    if count <= 0:
        return None
    window = int(time.time() // seconds)
    if _incr(f"ratelimit:{key}:{window}", seconds) > count:
        return _window_left(seconds)
    return None


def wait_text(seconds: int) -> str:
    """A wait as people say it: "1 minute", "15 minutes" (rounded up, never "0")."""
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


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


# --- Failures of something a guesser would repeat ---------------------------------------------
class TooManyFailures(ValidationError):
    """A service's answer once a failure limit is used up: a ValidationError on `field` whose
    message says how long to wait (`wait`, in seconds). Views answer it with status 429."""

    def __init__(self, field: str, message: str, *, wait: int):
        super().__init__({field: [message]})
        self.wait = wait


def error_status(error: ValidationError) -> int:
    """The status of a page that shows `error`: 429 for TooManyFailures, else 200."""
    return 429 if isinstance(error, TooManyFailures) else 200


@dataclass(frozen=True)
class Attempt:
    """One try, counted as a failure of the person and of the address until `succeeded()`.

    Counting before the check, not after a failure, makes the limit hold when a guesser sends
    many tries at once: each takes its place in the count before any is checked."""

    wait: int | None  # seconds to wait when a limit is used up; then nothing may be checked
    buckets: tuple[str, ...] = ()

    def succeeded(self) -> None:
        """It was no failure: give its place in the counts back."""
        for bucket in self.buckets:
            _decr(bucket)


def attempt_begin(group: str, *, address: str, user_id: int | None = None) -> Attempt:
    """Count one try of `group` (settings.RATE_LIMITS[group]: failures allowed per "user" and
    per "address", "<count>/<seconds>") for this address and, when signed in, this person.
    When either has no failures left in its window, nothing is counted and `wait` says how
    long until it has: the caller then checks nothing, so no guess is answered."""
    limits = settings.RATE_LIMITS[group]
    counted, waits = [], []
    for kind, who in (("user", user_id), ("address", address)):
        count, seconds = _parse(limits[kind])
        if who is None or count <= 0:
            continue
        bucket = f"ratelimit:{group}:failures:{kind}:{who}:{int(time.time() // seconds)}"
        counted.append(bucket)
        if _incr(bucket, seconds) > count:
            waits.append(_window_left(seconds))
    if waits:
        for bucket in counted:  # a refused try is no try
            _decr(bucket)
        return Attempt(wait=max(waits))
    return Attempt(wait=None, buckets=tuple(counted))
