"""Sign-in throttling (django-axes), fitted to a school: an account is locked after
AXES_FAILURE_LIMIT failed sign-ins wherever they come from; an address only after
AXES_ADDRESS_FAILURE_LIMIT, far more, since a whole school shares one; a sign-in clears the
failures of its own account only, never those of other accounts tried from the same address.
Axes' tables live in each schema, so each school throttles on its own.

Here: what identifies an account (`login_identifier`), the axes handler that applies those
rules (`SchoolAxesHandler`, settings.AXES_HANDLER), what a locked-out person is told
(`lockout_response`), and an account's lock as the school admin sees and clears it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.http import client_ip
from core.ratelimit import wait_text

from .backends import user_for_login

ACCOUNT = "account"
ADDRESS = "address"

LOCKOUT_ACCOUNT_MESSAGE = _(
    "This account has had too many failed sign-ins, so signing in to it is paused. "
    "Wait {wait}, then try again, or ask your school admin to unlock your account now."
)
LOCKOUT_ADDRESS_MESSAGE = _(
    "Too many failed sign-ins have come from this network (at school, everyone shares one), "
    "so signing in from it is paused. Wait {wait}, then try again."
)
LOCKOUT_RESET_HINT = _("Forgotten your password? Resetting it unlocks your account too.")  # noqa: S105


def account_key(user) -> str:
    """What axes records an account's failures under (AccessAttempt.username)."""
    return user.get_username().strip().lower()


def login_identifier(request, credentials=None) -> str:
    """One account however it is typed: its username or its email, in any case, all count
    as the account they sign in to. A login that names nobody counts as itself, so a made-up
    one locks like a real one and the lockout tells nothing about who has an account."""
    typed = ((credentials or {}).get("username") or request.POST.get("username") or "").strip()
    known = request.__dict__.setdefault("_login_keys", {})  # axes asks several times a request
    if typed not in known:
        user = user_for_login(typed)
        known[typed] = account_key(user) if user is not None else typed.lower()
    return known[typed]


def _address_limit() -> int:
    return settings.AXES_ADDRESS_FAILURE_LIMIT


@dataclass(frozen=True)
class SignInLock:
    kind: str  # ACCOUNT or ADDRESS
    until: datetime

    def wait_seconds(self, now: datetime) -> int:
        return max(0, int((self.until - now).total_seconds()))


def _lock_until(attempts: QuerySet, limit: int) -> datetime | None:
    """When the failures of `attempts` (those of the cool-off time) fall under `limit`: a
    record stops counting AXES_COOLOFF_TIME after its last failure, newest last."""
    if limit <= 0:
        return None
    total = 0
    for last_failure, failures in attempts.order_by("-attempt_time").values_list(
        "attempt_time", "failures_since_start"
    ):
        total += failures
        if total >= limit:
            return last_failure + settings.AXES_COOLOFF_TIME
    return None


def _locks(*, account: str | None, address: str | None, now: datetime) -> list[SignInLock]:
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - settings.AXES_COOLOFF_TIME)
    locks = []
    if account is not None:
        until = _lock_until(recent.filter(username=account), settings.AXES_FAILURE_LIMIT)
        if until:
            locks.append(SignInLock(ACCOUNT, until))
    if address is not None:
        until = _lock_until(recent.filter(ip_address=address), _address_limit())
        if until:
            locks.append(SignInLock(ADDRESS, until))
    return locks


class SchoolAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with the rules above. Axes compares `get_failures` with
    AXES_FAILURE_LIMIT: it is the account's failures, or that limit once the account or the
    address is locked."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        key = get_client_username(request, credentials)
        address = request.axes_ip_address
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        counts = recent.filter(Q(username=key) | Q(ip_address=address)).aggregate(
            account=Coalesce(Sum("failures_since_start", filter=Q(username=key)), 0),
            address=Coalesce(Sum("failures_since_start", filter=Q(ip_address=address)), 0),
        )
        address_limit = _address_limit()
        if address_limit > 0 and counts["address"] >= address_limit:
            return settings.AXES_FAILURE_LIMIT
        return counts["account"]

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a sign-in (AXES_RESET_ON_SUCCESS): the signed-in account's failures only.
        Axes' own would clear every record of the address, and so the failures of every
        account anyone tried from it (a student guessing a teacher's password would sign in
        as themselves to start again)."""
        user = getattr(request, "user", None)  # django.contrib.auth.login sets it first
        if user is not None and user.is_authenticated:
            key = account_key(user)
        else:
            key = get_client_username(request, credentials)
        count, _detail = AccessAttempt.objects.filter(username=key).delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """The page of a refused sign-in: which lock (the account's, the address's), how long
    it lasts, and what else to do."""
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    locks = _locks(
        account=login_identifier(request, credentials), address=client_ip(request), now=now
    )
    if not locks:  # locked as the request was checked, expired since: the longest wait
        locks = [SignInLock(ACCOUNT, now + settings.AXES_COOLOFF_TIME)]
    messages = {ACCOUNT: LOCKOUT_ACCOUNT_MESSAGE, ADDRESS: LOCKOUT_ADDRESS_MESSAGE}
    context = {
        "messages_locked": [
            messages[lock.kind].format(wait=wait_text(lock.wait_seconds(now))) for lock in locks
        ],
        "account_locked": any(lock.kind == ACCOUNT for lock in locks),
        "reset_hint": LOCKOUT_RESET_HINT,
    }
    return render(request, "accounts/locked_out.html", context, status=429)


# --- An account's lock, as its school admin sees and clears it --------------------------------
def account_lock_get(user) -> SignInLock | None:
    """The account's own lock (not an address's), if its sign-in is paused now."""
    locks = _locks(account=account_key(user), address=None, now=timezone.now())
    return locks[0] if locks else None


def account_failures_clear(user) -> int:
    """Forget the account's failed sign-ins (from every address): it can sign in at once.
    Other accounts' failures, and so the address's count of theirs, stay."""
    count, _detail = AccessAttempt.objects.filter(username=account_key(user)).delete()
    return count
