"""The words of every notification, in one place: a notification stores its kind and
parameters, and is rendered here when shown. The strings are gettext's, so a translation
(12/13's Kiswahili) renders them in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Kind, Notification

# The parameters are names and a title, so the words around them are the translator's.
TEXTS = {
    Kind.SUBMITTED: "%(student)s sent “%(title)s” for your review (%(classroom)s).",
    Kind.APPROVED: "%(teacher)s approved “%(title)s”. It is published.",
    Kind.CHANGES_REQUESTED: "%(teacher)s asked for changes to “%(title)s”.",
    Kind.CHILD_PUBLISHED: "%(child)s’s work “%(title)s” is published.",
}
# What a notification says once its work is out of the reader's sight (deleted, or a
# guardianship or a class that ended): nothing of the work, not even its title.
GONE = "This work is no longer available to you."
SOMEONE = "Someone"
UNTITLED = "a work"


class _Params(dict):
    """A notification's parameters, with a word for any that is missing."""

    def __missing__(self, key: str) -> str:
        return _(UNTITLED) if key == "title" else _(SOMEONE)


def notification_text(notification: Notification, *, visible: bool = True) -> str:
    if not visible:
        return _(GONE)
    template = TEXTS.get(notification.kind)
    if template is None:
        return _(GONE)
    return _(template) % _Params({k: str(v) for k, v in notification.params.items()})


def notification_comment(notification: Notification, *, visible: bool = True) -> str:
    """The teacher's comment on a decision (a student reads it in the app, not only by
    email); nothing once the work is out of sight."""
    return str(notification.params.get("comment", "")) if visible else ""
