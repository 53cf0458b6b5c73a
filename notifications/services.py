"""Writes of notifications: made where a moderation decision is taken (media_library's
moderation tasks call notification_create), marked read by their recipient only."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import Kind, Notification


def _create(*, recipient, kind, event, page, params) -> tuple[Notification | None, bool]:
    if recipient is None or not recipient.is_active:
        return None, False
    return Notification.objects.get_or_create(
        recipient=recipient,
        kind=Kind(kind),
        event=str(event),
        defaults={"page": page, "params": dict(params or {})},
    )


@transaction.atomic
def notification_create(
    *, recipient, kind: Kind | str, event: str, page=None, params: dict | None = None
) -> Notification | None:
    """A notification for `recipient` of `event` (made once: a task run again after a mail
    server failure finds it made). Nobody inactive is notified. Returns it, or None."""
    notification, _created = _create(
        recipient=recipient, kind=kind, event=event, page=page, params=params
    )
    return notification


@transaction.atomic
def notifications_create(
    *, recipients: Iterable, kind: Kind | str, event: str, page=None, params: dict | None = None
) -> int:
    """The same notification for several people (a class's teachers); returns how many were
    made now (not those made before, by an earlier run of the same task)."""
    made = [
        _create(recipient=person, kind=kind, event=event, page=page, params=params)[1]
        for person in recipients
    ]
    return sum(made)


@transaction.atomic
def notifications_mark_read(*, user, pks: Iterable[int] | None = None) -> int:
    """Mark `user`'s unread notifications read: those of `pks`, or all of them. Only the
    user's own: anyone else's ids change nothing. Returns how many were marked."""
    if not user.is_authenticated:
        return 0
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        unread = unread.filter(pk__in=list(pks))
    return unread.update(read_at=timezone.now())
