from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connection, models
from django.utils import timezone
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.postgresql_backend.base import _check_schema_name
from django_tenants.utils import get_creation_fakes_migrations, schema_exists

from .cloning import schema_clone

SLUG_PATTERN = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z"


class SchoolQuerySet(models.QuerySet):
    def schools(self):
        """Real schools: not the public (platform) row, not the template schema."""
        return self.exclude(
            schema_name__in=[settings.TENANT_BASE_SCHEMA, "public"],
        )

    def active(self):
        return self.schools().filter(is_active=True)


class School(TenantMixin):
    """A school: one PostgreSQL schema with its own users, pages, media and Wagtail admin."""

    name = models.CharField(max_length=100)
    slug = models.CharField(
        max_length=40,
        unique=True,
        validators=[RegexValidator(SLUG_PATTERN)],
        help_text="Used in the school's address: <slug>.<platform domain>.",
    )
    contact_email = models.EmailField(blank=True)
    # The language of visitors' pages and of members who chose none (core.languages).
    default_language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text="The language of the school's pages and emails for anyone who chose none; "
        "blank: the platform's default (English).",
    )
    created = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(
        default=True, help_text="An inactive school's site answers 404 and is not listed."
    )

    # A school's data is never dropped by deleting its row by accident.
    auto_drop_schema = False
    auto_create_schema = True

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        """Clone the template schema (tenants.cloning: DDL generated once per template
        version, instead of django-tenants' catalog-walking clone_schema each time), without
        django-tenants' follow-up `migrate --fake`.

        The clone copies the template's rows, its django_migrations history included, so the
        fake migration run (0.4 s: a migration graph and post_migrate for every app) adds
        nothing. It could only hide a template that is behind: then the school simply has
        the same unapplied migrations, which the next `migrate_schemas` applies for real.
        """
        base = self.get_base_schema() if get_creation_fakes_migrations() else False
        if not (sync_schema and base and base != self.schema_name and schema_exists(base)):
            return super().create_schema(check_if_exists, sync_schema, verbosity)
        _check_schema_name(self.schema_name)
        if check_if_exists and schema_exists(self.schema_name):
            return False
        connection.set_schema_to_public()
        if schema_exists(self.schema_name, case_sensitive=False):
            raise ValidationError("New schema name already exists")
        schema_clone(base, self.schema_name)
        connection.set_schema_to_public()
        return True

    @property
    def is_system(self) -> bool:
        return self.schema_name in ("public", settings.TENANT_BASE_SCHEMA)


class Domain(DomainMixin):
    """A host name that serves a school (or, for the public row, the platform site)."""

    class Meta:
        ordering = ["domain"]

    def __str__(self):
        return self.domain


class SchoolApplicationQuerySet(models.QuerySet):
    def open(self, *, now=None):
        """Applications that hold their address: waiting for an operator, or for their
        applicant's confirmation while the link still works."""
        now = now or timezone.now()
        fresh = now - timedelta(hours=settings.SCHOOL_APPLICATION_CONFIRM_HOURS)
        Status = SchoolApplication.Status
        return self.filter(
            models.Q(status=Status.PENDING_APPROVAL)
            | models.Q(status=Status.PENDING_EMAIL, created__gte=fresh)
        )

    def unconfirmed_expired(self, *, now=None):
        now = now or timezone.now()
        fresh = now - timedelta(hours=settings.SCHOOL_APPLICATION_CONFIRM_HOURS)
        return self.filter(status=SchoolApplication.Status.PENDING_EMAIL, created__lt=fresh)


class SchoolApplication(models.Model):
    """Someone asks for a school. Nothing of the school exists until an operator approves:
    no schema, no domain (its host is unknown, a 404), only this row in the public schema.
    The applicant first confirms their email; the password is kept as a hash only."""

    class Status(models.TextChoices):
        PENDING_EMAIL = "pending_email", "Waiting for the applicant to confirm their email"
        PENDING_APPROVAL = "pending_approval", "Waiting for approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    name = models.CharField(max_length=100)
    slug = models.CharField(max_length=40, validators=[RegexValidator(SLUG_PATTERN)])
    admin_email = models.EmailField()
    # django.contrib.auth.hashers.make_password(): never the password itself.
    password_hash = models.CharField(max_length=128)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING_EMAIL, db_index=True
    )
    created = models.DateTimeField(auto_now_add=True)
    email_confirmed = models.DateTimeField(null=True, blank=True)
    decided = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True)  # the operator's username
    decline_reason = models.TextField(blank=True)
    # The language the applicant registered in: their emails are in it (tenants.emails).
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True)
    school = models.OneToOneField(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="application"
    )

    objects = SchoolApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            # One open application per address (expired unconfirmed ones are deleted first).
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(status__in=["pending_email", "pending_approval"]),
                name="tenants_application_open_slug_unique",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.slug})"
