"""A person's notifications in the app: what happened (a kind and its parameters), for
whom, about which page, and whether they have read it.

The text is not stored: a notification keeps its kind and parameters (names, a title, a
teacher's comment), and notifications.kinds renders them when shown, so they can be read in
the reader's language (12/13's Kiswahili) whatever language they were made in.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SUBMITTED = "submitted", _("New submission")
    APPROVED = "approved", _("Work approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    CHILD_PUBLISHED = "child_published", _("Child's work published")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # The work it is about; deleted with it (nothing to link to, nothing to tell).
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    # The event it tells of (a task state, a first publication): the task that makes it may
    # run again after a mail server failure, and must not make it twice.
    event = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "event"], name="notification_once_per_event"
            )
        ]
        indexes = [
            # The menu's badge on every signed-in page: an index-only count of a few rows.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
