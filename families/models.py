"""Guardians, family codes and the consent ledger of a school (its own schema).

The ledger is append-only: a consent is given or withdrawn by adding a record, and the
current state of a purpose is the latest record for it. Records outlive the student's
erasure (the student link is emptied, a pseudonymous reference stays) as the school's proof."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# No 0/O, 1/I/L: a family code is typed from a printed slip.
FAMILY_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
FAMILY_CODE_LENGTH = 10
LEDGER_IS_APPEND_ONLY = _("Consent records are never changed or deleted: add a new record.")


class Purpose(models.TextChoices):
    """What a consent is for. Without a record, a purpose is not consented to."""

    SCHOOL = "school", _("Work visible to the whole school")
    PUBLIC = "public", _("Work public on the web")
    DONATIONS = "donations", _("Work shown with a donate block")
    FULL_NAME = "full_name", _("Full name shown publicly")


class RecordedBy(models.TextChoices):
    """Who a consent record speaks for."""

    GUARDIAN = "guardian", _("A guardian, from their account")
    SCHOOL_ADMIN = "school_admin", _("A school admin, recording a paper form")
    STUDENT = "student", _("The student, an adult")


class FamilyCode(models.Model):
    """A code that links a guardian's account to one student; usable `max_uses` times,
    withdrawable by the school."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_codes"
    )
    code = models.CharField(max_length=FAMILY_CODE_LENGTH, unique=True)
    max_uses = models.PositiveSmallIntegerField(default=3)
    uses = models.PositiveSmallIntegerField(default=0)
    # The family's email when the code was sent by email (empty for a printed slip).
    email = models.EmailField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Family code for {self.student}"

    @property
    def is_usable(self) -> bool:
        return self.withdrawn_at is None and self.uses < self.max_uses


class Guardianship(models.Model):
    """A guardian's account linked to a student (several of each allowed)."""

    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardianships"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardians"
    )
    family_code = models.ForeignKey(
        FamilyCode, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An email to the guardian when their child's work is published (they can turn it off).
    notify_on_publish = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "student"], name="unique_guardian_per_student"
            )
        ]

    def __str__(self):
        return f"{self.guardian} for {self.student}"


class AdultStudent(models.Model):
    """A student a school admin marked as an adult (18+): they consent for themselves."""

    student = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adulthood"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.student} (adult)"


class ConsentRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # Erasure empties the student link (and nothing else): the one change allowed.
        if set(kwargs) - {"student"} or kwargs.get("student") is not None:
            raise PermissionError(LEDGER_IS_APPEND_ONLY)
        return super().update(**kwargs)

    def delete(self):
        raise PermissionError(LEDGER_IS_APPEND_ONLY)


class ConsentRecord(models.Model):
    """One consent given or withdrawn, for one student and one purpose."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,  # emptied when the student is erased; `student_ref` stays
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consent_records",
    )
    # A reference that names no one (the student's id at the time), kept after erasure.
    student_ref = models.CharField(max_length=40)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    granted = models.BooleanField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_as = models.CharField(max_length=20, choices=RecordedBy.choices)
    # What the person saw: the version of the consent wording (families/wording.py).
    wording_version = models.CharField(max_length=20)
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["student", "purpose", "-recorded_at"])]

    def __str__(self):
        state = "given" if self.granted else "withdrawn"
        return f"{self.get_purpose_display()}: {state} ({self.recorded_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(LEDGER_IS_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(LEDGER_IS_APPEND_ONLY)
