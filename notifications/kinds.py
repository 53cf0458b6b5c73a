"""The words of every notification, in one place: a notification stores its kind and
parameters, and is rendered here when shown. The strings are gettext's, so a translation
(12/13's Kiswahili) renders them in the reader's language."""

from __future__ import annotations

from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import Kind, Notification

# The parameters are names and a title, so the words around them are the translator's.
TEXTS = {
    Kind.SUBMITTED: _("%(student)s sent “%(title)s” for your review (%(classroom)s)."),
    Kind.APPROVED: _("%(teacher)s approved “%(title)s”. It is published."),
    Kind.CHANGES_REQUESTED: _("%(teacher)s asked for changes to “%(title)s”."),
    Kind.CHILD_PUBLISHED: _("%(child)s’s work “%(title)s” is published."),
}
# What a notification says once its work is out of the reader's sight (deleted, or a
# guardianship or a class that ended): nothing of the work, not even its title.
GONE = _("This work is no longer available to you.")
SOMEONE = _("Someone")
UNTITLED = _("a work")


class _Params(dict):
    """A notification's parameters, with a word for any that is missing."""

    def __missing__(self, key: str) -> str:
        return str(UNTITLED) if key == "title" else str(SOMEONE)


def notification_text(notification: Notification, *, visible: bool = True) -> str:
    if not visible:
        return str(GONE)
    template = TEXTS.get(notification.kind)
    if template is None:
        return str(GONE)
    return str(template) % _Params({k: str(v) for k, v in notification.params.items()})


def notification_html(notification: Notification, *, visible: bool = True) -> str:
    """notification_text for a page: the names and the title (user content, never
    translated) each marked translate="no", the rest escaped."""
    if not visible or notification.kind not in TEXTS:
        return escape(GONE)

    class _Marked(_Params):
        def __getitem__(self, key: str) -> str:
            return format_html('<span translate="no">{}</span>', super().__getitem__(key))

    params = _Marked({k: str(v) for k, v in notification.params.items()})
    return mark_safe(conditional_escape(str(TEXTS[notification.kind])) % params)  # noqa: S308


def notification_comment(notification: Notification, *, visible: bool = True) -> str:
    """The teacher's comment on a decision (a student reads it in the app, not only by
    email); nothing once the work is out of sight."""
    return str(notification.params.get("comment", "")) if visible else ""
