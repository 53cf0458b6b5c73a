"""Reads of notifications: a person's own only (anyone else's is a 404), and what each may
still link to, decided when it is shown.

Whether the reader may still see a notification's work is asked of the app that owns the
work, at display time: notifications sit low in the layers and import none of them, so each
registers a Wagtail hook, TARGETS_HOOK, as `fn(*, user, notifications) -> {pk: url}` for the
notifications it can vouch for. A notification no hook vouches for shows no work and no link
(deny by default): a guardian whose guardianship ended, a teacher who no longer teaches the
class, a deleted work.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from wagtail import hooks

from .kinds import notification_comment, notification_html, notification_text
from .models import Notification

TARGETS_HOOK = "notification_targets"


def unread_count(*, user) -> int:
    """How many of `user`'s notifications are unread: one count on a partial index, for the
    menu's bell on every signed-in page."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_list(*, user):
    """`user`'s notifications, newest first (none for a visitor)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_get(*, user, pk) -> Notification:
    """One of `user`'s own notifications, or 404: anyone else's does not exist for them."""
    try:
        return notification_list(user=user).get(pk=int(pk))
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404("No such notification") from None


def notification_targets(*, user, notifications) -> dict[int, str]:
    """Where each notification links to, for those whose work `user` may still see."""
    notifications = [n for n in notifications if n.recipient_id == user.pk]
    urls: dict[int, str] = {}
    if not notifications:
        return urls
    for resolve in hooks.get_hooks(TARGETS_HOOK):
        urls.update(resolve(user=user, notifications=notifications))
    owned = {n.pk for n in notifications}
    return {pk: url for pk, url in urls.items() if pk in owned}


@dataclass(frozen=True)
class NotificationItem:
    notification: Notification
    text: str
    html: str  # the text, its names and title marked translate="no"
    comment: str
    url: str | None  # None: its work is no longer the reader's to see

    @property
    def is_read(self) -> bool:
        return self.notification.is_read


def notification_items(*, user, notifications) -> list[NotificationItem]:
    """Notifications ready to show: their text in the reader's language, and a link only
    to what the reader may still see."""
    notifications = list(notifications)
    urls = notification_targets(user=user, notifications=notifications)
    items = []
    for notification in notifications:
        url = urls.get(notification.pk)
        visible = url is not None
        items.append(
            NotificationItem(
                notification=notification,
                text=notification_text(notification, visible=visible),
                html=notification_html(notification, visible=visible),
                comment=notification_comment(notification, visible=visible),
                url=url,
            )
        )
    return items
