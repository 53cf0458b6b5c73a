"""Writes of personal access tokens: made (the secret returned once, only its hash kept),
revoked, and checked on each use (which records when it was last used).

A token is `mh_<prefix>_<secret>`: the prefix (8 random characters, not secret) finds the
row, and the sha256 of the whole token is compared in constant time. The secret is 32 random
bytes, so a hash without salt or stretching is enough: nobody can guess one to compare."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_staff_member

from .models import AccessToken, Scope

TOKEN_START = "mh_"  # noqa: S105 (what every token starts with, not a secret)
PREFIX_LENGTH = 8
DAYS_MAX = 365
DAYS_DEFAULT = 90

ERROR_NAME_REQUIRED = _("Give the token a name, such as the app it is for.")
ERROR_DAYS = _("Choose how many days the token lasts: from 1 to {limit}.")
ERROR_REVIEW_SCOPE = _("Only teachers and school admins can make a token that reviews work.")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, user, name: str, scope: str = Scope.READ, days: int = DAYS_DEFAULT):
    """A new token for `user`: the row, and the token itself, which is never stored and
    cannot be shown again. Raises ValidationError (keyed by argument) for a bad request."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": [ERROR_NAME_REQUIRED]})
    if not 1 <= days <= DAYS_MAX:
        raise ValidationError({"days": [ERROR_DAYS.format(limit=DAYS_MAX)]})
    if scope == Scope.REVIEW and not is_staff_member(user):
        raise ValidationError({"scope": [ERROR_REVIEW_SCOPE]})
    scope = Scope(scope)
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    token = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    row = AccessToken(
        user=user,
        name=name[:100],
        prefix=prefix,
        digest=_digest(token),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    row.full_clean()
    row.save()
    return row, token


def token_revoke(*, token: AccessToken) -> None:
    """Revoked at once: its next request answers 401. Revoking twice changes nothing."""
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def token_authenticate(raw: str) -> AccessToken | None:
    """The active token `raw` is, with its (active) user, marked as used now; None for
    anything else: malformed, unknown here (another school's), wrong secret, expired,
    revoked, or of a deactivated person."""
    if not raw.startswith(TOKEN_START):
        return None
    prefix, _sep, secret = raw[len(TOKEN_START) :].partition("_")
    if len(prefix) != PREFIX_LENGTH or not secret:
        return None
    row = AccessToken.objects.select_related("user").filter(prefix=prefix).first()
    if row is None or not hmac.compare_digest(row.digest, _digest(raw)):
        return None
    if not row.is_active or not row.user.is_active:
        return None
    now = timezone.now()
    # An update, not a save: no signal, so the page cache is not purged on every request.
    AccessToken.objects.filter(pk=row.pk).update(last_used_at=now)
    row.last_used_at = now
    return row
