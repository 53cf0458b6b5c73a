from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django_tenants.models import DomainMixin, TenantMixin

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

    @property
    def is_system(self) -> bool:
        return self.schema_name in ("public", settings.TENANT_BASE_SCHEMA)


class Domain(DomainMixin):
    """A host name that serves a school (or, for the public row, the platform site)."""

    class Meta:
        ordering = ["domain"]

    def __str__(self):
        return self.domain
