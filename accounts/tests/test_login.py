"""Logging in: by username or email, and only in one's own school."""

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django_tenants.utils import schema_context

from accounts.models import User
from demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _login_request():
    """django-axes checks every authentication against the request's account and address."""
    return RequestFactory().post("/accounts/login/")


@pytest.mark.parametrize("login", ["admin@greenwood.test", "ADMIN@Greenwood.TEST", "grace"])
def test_login_with_email_or_username(greenwood, login):
    with schema_context(greenwood.schema_name):
        assert authenticate(_login_request(), username=login, password=DEMO_PASSWORD) is not None


def test_wrong_password_fails(greenwood):
    with schema_context(greenwood.schema_name):
        assert authenticate(_login_request(), username="grace", password="wrong") is None
        assert (
            authenticate(_login_request(), username="nobody@greenwood.test", password=DEMO_PASSWORD)
            is None
        )


def _sign_in(client, username: str, password: str = DEMO_PASSWORD):
    """Post the admin sign-in form (Wagtail's on a school, Django's on the platform)."""
    return client.post("/admin/login/", {"username": username, "password": password})


def test_school_admin_logs_into_own_wagtail_admin(greenwood_client):
    response = _sign_in(greenwood_client, "admin@greenwood.test")
    assert response.status_code == 302
    assert greenwood_client.get("/admin/").status_code == 200


def test_greenwood_user_cannot_log_into_riverside_admin(riverside_client):
    response = _sign_in(riverside_client, "admin@greenwood.test")
    assert response.status_code == 200  # the form again, with an error
    assert response.context["form"].errors
    assert riverside_client.get("/admin/").status_code == 302  # still anonymous


def test_greenwood_session_is_worthless_on_riverside(greenwood_client):
    _sign_in(greenwood_client, "admin@greenwood.test")
    assert greenwood_client.get("/admin/").status_code == 200
    # Django's test client sends its cookies to every host: the session id reaches riverside,
    # whose own session table does not know it.
    response = greenwood_client.get("/admin/", HTTP_HOST="riverside.localhost")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_school_user_cannot_log_into_platform_admin(platform_client):
    response = _sign_in(platform_client, "admin@greenwood.test")
    assert response.status_code == 200
    assert platform_client.get("/admin/").status_code == 302


def test_platform_operator_manages_schools_in_django_admin(platform_client):
    platform_client.force_login(User.objects.get(username="operator"))
    listing = platform_client.get("/admin/tenants/school/")
    assert listing.status_code == 200
    assert b"Greenwood Academy" in listing.content
    assert b"Template for new schools" not in listing.content
    assert platform_client.get("/admin/tenants/domain/").status_code == 200
