"""DirectUpload: one upload a browser sends straight to Cloudinary (media_library.direct_uploads).

A row is written when the server signs the upload and says what was signed (the public_id,
the resource type, who, for which class, with which words) so that the completion can only
turn *that* asset into *that* person's work, and so that the sweep can destroy what was
never completed. It lives in the school's schema, as everything of a school."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DirectUploadStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    COMPLETE = "complete", "Complete"
    DESTROYED = "destroyed", "Destroyed"


class DirectUpload(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    classroom = models.ForeignKey(
        "classrooms.Classroom", on_delete=models.CASCADE, related_name="+"
    )
    public_id = models.CharField(max_length=255, unique=True)
    resource_type = models.CharField(max_length=10)  # Cloudinary's: video (audio too)
    kind = models.CharField(max_length=10)  # video or audio, as the student chose the file
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True, max_length=2000)
    tags = models.JSONField(default=list, blank=True)
    visibility = models.CharField(max_length=10)
    max_bytes = models.BigIntegerField()
    timestamp = models.BigIntegerField()  # the signed upload's, as Cloudinary checks it
    expires_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=DirectUploadStatus.choices, default=DirectUploadStatus.PENDING
    )
    page = models.ForeignKey(
        "media_library.MediaPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.public_id} ({self.status})"
