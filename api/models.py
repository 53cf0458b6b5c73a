"""Personal access tokens: a person's key to the API (api.urls), in the school's schema, so a
token of one school means nothing on another's host. Only a hash of the secret is kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a token may do. Each includes the ones before it: a review token may also read
    and upload (a teacher's app does all three)."""

    READ = "read", _("Read")
    UPLOAD = "upload", _("Read and upload")
    REVIEW = "review", _("Review (teachers)")


SCOPE_RANK = {Scope.READ: 1, Scope.UPLOAD: 2, Scope.REVIEW: 3}


class AccessToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(max_length=100)
    # Not secret: shown in lists so a person can tell their tokens apart, and the token's
    # first part, by which it is looked up before its hash is compared.
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)  # sha256 of the whole token, hex
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def allows(self, scope: str) -> bool:
        return SCOPE_RANK[Scope(self.scope)] >= SCOPE_RANK[Scope(scope)]
