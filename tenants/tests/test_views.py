"""The platform site: the landing page and school registration."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants import forms, services, validators
from tenants.models import Domain, School, SchoolApplication

pytestmark = pytest.mark.django_db


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {row[0] for row in cursor.fetchall()}


def _snapshot():
    return (School.objects.count(), Domain.objects.count(), _schemas())


GOOD = {
    "name": "Lakeview High",
    "slug": "lakeview",
    "admin_email": "Head@Lakeview.test",
    "admin_password": "a-Long-pass-phrase-42",
    "admin_password_confirm": "a-Long-pass-phrase-42",
}


def test_landing_lists_active_schools_with_links(platform_client, riverside):
    riverside.is_active = False
    riverside.save()

    response = platform_client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="http://greenwood.localhost:8000/"' in html
    assert "Greenwood Academy" in html
    assert "Riverside School" not in html  # inactive
    assert "Template for new schools" not in html
    assert 'href="/register/"' in html


def test_landing_query_count_does_not_grow_with_schools(platform_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert platform_client.get("/").status_code == 200
        return len(captured)

    with_two = queries()
    services.school_create(
        name="Third School",
        slug="third",
        admin_email="a@third.test",
        admin_password="a-Long-pass-phrase-42",
    )
    connection.set_schema_to_public()
    with_three = queries()

    assert b"Third School" in platform_client.get("/").content
    assert with_three == with_two


def test_platform_404_is_a_page_not_a_500(platform_client):
    response = platform_client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_registration_records_an_application_and_creates_no_school(platform_client):
    """The rest of the way (confirming, approving, signing in): test_applications.py."""
    before = _snapshot()

    response = platform_client.post("/register/", GOOD)

    assert response.status_code == 302
    assert response["Location"] == "/register/sent/"
    application = SchoolApplication.objects.get(slug="lakeview")
    assert (application.name, application.admin_email) == ("Lakeview High", "head@lakeview.test")
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", forms.REQUIRED_ERRORS["name"]),
        ({"name": "   "}, "name", services.NAME_ERROR_REQUIRED),
        ({"slug": ""}, "slug", forms.REQUIRED_ERRORS["slug"]),
        ({"slug": "ab"}, "slug", validators.SLUG_ERROR_LENGTH.format(min=3, max=40, length=2)),
        ({"slug": "a" * 41}, "slug", validators.SLUG_ERROR_LENGTH.format(min=3, max=40, length=41)),
        ({"slug": "Lakeview"}, "slug", validators.SLUG_ERROR_FORMAT),
        ({"slug": "lake_view"}, "slug", validators.SLUG_ERROR_FORMAT),
        ({"slug": "lake view"}, "slug", validators.SLUG_ERROR_FORMAT),
        ({"slug": "9lakes"}, "slug", validators.SLUG_ERROR_FORMAT),
        ({"slug": "lake-"}, "slug", validators.SLUG_ERROR_FORMAT),
        ({"slug": "lake--view"}, "slug", validators.SLUG_ERROR_FORMAT),
        ({"slug": "www"}, "slug", validators.SLUG_ERROR_RESERVED.format(slug="www")),
        ({"slug": "admin"}, "slug", validators.SLUG_ERROR_RESERVED.format(slug="admin")),
        ({"slug": "public"}, "slug", validators.SLUG_ERROR_RESERVED.format(slug="public")),
        ({"slug": "template"}, "slug", validators.SLUG_ERROR_RESERVED.format(slug="template")),
        ({"slug": "greenwood"}, "slug", validators.SLUG_ERROR_TAKEN.format(slug="greenwood")),
        ({"admin_email": ""}, "admin_email", forms.REQUIRED_ERRORS["admin_email"]),
        ({"admin_email": "not-an-email"}, "admin_email", services.EMAIL_ERROR_INVALID),
        (
            {"admin_password": "short", "admin_password_confirm": "short"},
            "admin_password",
            "This password is too short. It must contain at least 8 characters.",
        ),
        (
            {"admin_password": "password123", "admin_password_confirm": "password123"},
            "admin_password",
            "This password is too common.",
        ),
        (
            {"admin_password": "8419273650", "admin_password_confirm": "8419273650"},
            "admin_password",
            "This password is entirely numeric.",
        ),
        (
            {"admin_password_confirm": "something-else-1"},
            "admin_password_confirm",
            forms.PASSWORD_ERROR_MISMATCH,
        ),
    ],
)
def test_registration_errors_say_what_to_fix_and_create_nothing(
    platform_client, changes, field, message
):
    before = _snapshot()

    response = platform_client.post("/register/", {**GOOD, **changes})

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert _snapshot() == before


def test_registration_form_keeps_what_was_typed_but_not_the_password(platform_client):
    response = platform_client.post("/register/", {**GOOD, "slug": "www"})
    html = response.content.decode()
    assert 'value="Lakeview High"' in html
    assert GOOD["admin_password"] not in html
