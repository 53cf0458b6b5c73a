from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STATUS_LABELS = {
    "accepted": _("accepted"),
    "revoked": _("withdrawn"),
    "expired": _("expired"),
    "pending": _("pending"),
}


class Invitation(models.Model):
    """A school admin's invitation to teach: a link by email that lets the person set a
    password. Only a hash of the link's token is stored; links expire and work once."""

    email = models.EmailField()
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    classrooms = models.ManyToManyField(
        "classrooms.Classroom",
        blank=True,
        help_text="Classes the teacher is assigned to on joining.",
    )
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"Invitation for {self.email}"

    @property
    def is_pending(self) -> bool:
        return not self.accepted_at and not self.revoked_at and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expires_at <= timezone.now() else "pending"

    def get_status_display(self) -> str:
        return str(STATUS_LABELS[self.status])
