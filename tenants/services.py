"""Writes to the platform: creating schools and the platform's own rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context, schema_exists
from wagtail.models import Site

from accounts.roles import SCHOOL_ADMIN
from accounts.services import user_role_set

from .models import Domain, School
from .urls_helpers import school_domain
from .validators import (
    SLUG_ERROR_TAKEN,
    schema_name_for,
    validate_slug_available,
    validate_slug_format,
)

NAME_ERROR_REQUIRED = _("Enter the school's name.")
SCHOOL_HOME_INTRO = (
    "<p>Welcome to {name} on Media Hub: our students' photos, videos, audio and documents, "
    "published once their teachers have reviewed them.</p>"
)
EMAIL_ERROR_INVALID = _("Enter a valid email address, for example head@school.ac.ke.")


def _check(errors: dict[str, list[str]], field: str, check, *args) -> None:
    try:
        check(*args)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)


def school_create_validate(
    *, name: str, slug: str, admin_email: str, admin_password: str, password_checked: bool = False
) -> None:
    """Every problem with a new school's details, keyed by field, before anything is written.
    `password_checked`: the password was checked before (an application's, kept as a hash)."""
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [NAME_ERROR_REQUIRED]
    _check(errors, "slug", validate_slug_format, slug)
    if "slug" not in errors:
        _check(errors, "slug", validate_slug_available, slug)
    try:
        validate_email(admin_email)
    except ValidationError:
        errors["admin_email"] = [EMAIL_ERROR_INVALID]
    if not password_checked:
        User = get_user_model()
        candidate = User(username=admin_email, email=admin_email, display_name=name)
        _check(
            errors,
            "admin_password",
            password_validation.validate_password,
            admin_password,
            candidate,
        )
    if errors:
        raise ValidationError(errors)


def school_create(
    *,
    name: str,
    slug: str,
    admin_email: str,
    admin_password: str = "",
    admin_password_hash: str = "",
    contact_email: str = "",
    admin_display_name: str = "",
) -> School:
    """Create a school: clone the template schema, point its Wagtail site at the school's
    domain, title its home page and create its first school admin, whose password is
    `admin_password` or, for an approved application, `admin_password_hash` (checked when
    the application was made).

    One transaction: PostgreSQL DDL is transactional, so on any failure there is no schema,
    no row and no user left behind. Raises ValidationError (keyed by field) for bad input,
    including a slug that is already taken.
    """
    name, slug, admin_email = name.strip(), slug.strip(), admin_email.strip().lower()
    school_create_validate(
        name=name,
        slug=slug,
        admin_email=admin_email,
        admin_password=admin_password,
        password_checked=bool(admin_password_hash),
    )
    # Only ever needed once per database, and it cannot share the transaction below.
    school_template_ensure()
    with transaction.atomic():
        return _school_provision(
            name=name,
            slug=slug,
            admin_email=admin_email,
            admin_password=admin_password,
            admin_password_hash=admin_password_hash,
            contact_email=contact_email,
            admin_display_name=admin_display_name,
        )


def _school_provision(
    *,
    name,
    slug,
    admin_email,
    admin_password,
    admin_password_hash,
    contact_email,
    admin_display_name,
) -> School:
    school = School(
        schema_name=schema_name_for(slug),
        name=name,
        slug=slug,
        contact_email=contact_email or admin_email,
    )
    school.full_clean()
    try:
        school.save(verbosity=0)
    except IntegrityError as exc:  # a concurrent registration took the slug first
        raise ValidationError({"slug": [SLUG_ERROR_TAKEN.format(slug=slug)]}) from exc
    domain = Domain(domain=school_domain(slug), tenant=school, is_primary=True)
    domain.full_clean()
    domain.save()

    with schema_context(school.schema_name):
        _school_site_configure(school, domain.domain)
        admin = get_user_model().objects.create_user(
            username=admin_email,
            email=admin_email,
            password=admin_password or None,
            display_name=admin_display_name or f"{name} admin",
        )
        if admin_password_hash:
            admin.password = admin_password_hash
            admin.save(update_fields=["password"])
        user_role_set(user=admin, role=SCHOOL_ADMIN)
    return school


def _school_site_configure(school: School, hostname: str) -> None:
    site = Site.objects.select_related("root_page").get(is_default_site=True)
    site.hostname = hostname
    site.port = settings.PLATFORM_PORT
    site.site_name = school.name
    site.save()
    home = site.root_page.specific
    intro = SCHOOL_HOME_INTRO.format(name=escape(school.name))
    if home.latest_revision_id is None:
        # The template's home page comes from a migration and has no revision, so Wagtail's
        # editor shows the page row itself: updating the row is enough (and 0.1 s faster
        # than publishing a revision, in the one step every new school waits for).
        type(home).objects.filter(pk=home.pk).update(
            title=school.name, draft_title=school.name, intro=intro
        )
        return
    # Otherwise the editor opens the latest revision: publish one with the school's name.
    home.title, home.intro = school.name, intro
    home.save_revision(log_action=False).publish(log_action=False)


@dataclass
class PlatformSetup:
    public_created: bool
    template_created: bool


def platform_setup() -> PlatformSetup:
    """Ensure the platform's own rows exist: the public tenant serving PLATFORM_DOMAIN and
    the template schema new schools are cloned from. Safe to run any number of times."""
    with transaction.atomic():
        public, public_created = School.objects.get_or_create(
            schema_name="public",
            defaults={"name": settings.PLATFORM_NAME, "slug": "public", "is_active": True},
        )
        Domain.objects.get_or_create(
            domain=settings.PLATFORM_DOMAIN, defaults={"tenant": public, "is_primary": True}
        )
    template_created = school_template_ensure()
    return PlatformSetup(public_created=public_created, template_created=template_created)


def school_template_ensure() -> bool:
    """Create the template schema (by running every school migration) if it is missing.
    It is a School row, inactive and unlisted, so `migrate_schemas` keeps it current.

    Must run outside a transaction: some migrations rewrite tables that earlier ones filled,
    which PostgreSQL refuses while their deferred constraint checks are pending.
    """
    base = settings.TENANT_BASE_SCHEMA
    template = School.objects.filter(schema_name=base).first()
    if template is not None and schema_exists(base):
        return False
    if template is None:
        template = School(
            schema_name=base, name="Template for new schools", slug=base, is_active=False
        )
    template.save(verbosity=0)  # no schema yet, so this migrates one from scratch
    return True
