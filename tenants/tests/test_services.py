"""The onboarding service and the platform's own rows."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context, schema_exists
from rolepermissions.checkers import has_role
from wagtail.models import Page, Site

from accounts.models import User
from tenants import services, validators
from tenants.models import Domain, School
from tenants.services import platform_setup, school_create

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Hilltop Primary",
    "slug": "hill-top",
    "admin_email": "head@hilltop.test",
    "admin_password": "a-Long-pass-phrase-42",
}


def _schema_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {row[0] for row in cursor.fetchall()}


def test_school_create_sets_up_site_home_page_and_admin():
    school = school_create(**NEW, admin_display_name="Ann Head")

    assert school.schema_name == "hill_top"
    assert school.domains.get(is_primary=True).domain == "hill-top.localhost"
    with schema_context("hill_top"):
        site = Site.objects.get()
        assert (site.hostname, site.port, site.site_name) == (
            "hill-top.localhost",
            8000,
            "Hilltop Primary",
        )
        home = site.root_page.specific
        assert home.title == "Hilltop Primary" and home.live
        assert "Welcome to Hilltop Primary" in home.intro
        # The editor opens the latest revision: it must carry the school's name too.
        assert home.get_latest_revision_as_object().title == "Hilltop Primary"
        admin = User.objects.get()
        assert has_role(admin, "school_admin")
        assert admin.has_perm("wagtailadmin.access_admin")
        assert admin.get_full_name() == "Ann Head"


def test_school_create_is_isolated_from_other_schools(greenwood):
    school_create(**NEW)
    with schema_context("hill_top"):
        assert not User.objects.filter(email__endswith="@greenwood.test").exists()
        assert Page.objects.filter(title="Greenwood Academy").count() == 0
    with schema_context(greenwood.schema_name):
        assert Site.objects.get().hostname == "greenwood.localhost"


def test_school_create_twice_with_same_slug_is_a_clear_error_and_changes_nothing(greenwood):
    before = (School.objects.count(), Domain.objects.count(), _schema_names())
    with schema_context(greenwood.schema_name):
        users_before = list(User.objects.values_list("pk", "password").order_by("pk"))

    with pytest.raises(ValidationError) as caught:
        school_create(**{**NEW, "slug": "greenwood", "name": "Another Greenwood"})

    assert caught.value.message_dict == {
        "slug": [validators.SLUG_ERROR_TAKEN.format(slug="greenwood")]
    }
    assert (School.objects.count(), Domain.objects.count(), _schema_names()) == before
    greenwood.refresh_from_db()
    assert greenwood.name == "Greenwood Academy"
    with schema_context(greenwood.schema_name):
        assert list(User.objects.values_list("pk", "password").order_by("pk")) == users_before


def test_a_failure_half_way_leaves_no_schema_no_row_no_user(monkeypatch):
    before = (School.objects.count(), Domain.objects.count(), _schema_names())

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    # Fails after the schema was cloned and the rows were written.
    monkeypatch.setattr(services, "_school_site_configure", explode)
    with pytest.raises(RuntimeError):
        school_create(**NEW)

    assert (School.objects.count(), Domain.objects.count(), _schema_names()) == before
    assert not schema_exists("hill_top")


def test_validation_reports_every_problem_at_once():
    with pytest.raises(ValidationError) as caught:
        school_create(name="", slug="www", admin_email="nope", admin_password="123")
    assert set(caught.value.message_dict) == {"name", "slug", "admin_email", "admin_password"}


def test_platform_setup_is_idempotent():
    before = (School.objects.count(), Domain.objects.count(), _schema_names())
    result = platform_setup()
    assert (result.public_created, result.template_created) == (False, False)
    assert (School.objects.count(), Domain.objects.count(), _schema_names()) == before
    assert Domain.objects.get(domain="localhost").tenant.schema_name == "public"


def test_system_rows_are_not_schools():
    slugs = set(School.objects.schools().values_list("slug", flat=True))
    assert slugs == {"greenwood", "riverside"}
    assert School.objects.get(schema_name="template").is_system
    assert not School.objects.get(slug="greenwood").is_system
