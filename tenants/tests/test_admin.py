"""Platform operators manage schools and domains in the Django admin."""

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from tenants.models import School
from tenants.validators import SLUG_ERROR_RESERVED

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(platform_client):
    platform_client.force_login(User.objects.get(username="operator"))
    return platform_client


def test_operator_adds_a_school_through_the_onboarding_service(operator_client):
    response = operator_client.post(
        "/admin/tenants/school/add/",
        {
            "name": "Coast Girls",
            "slug": "coast-girls",
            "admin_email": "head@coast.test",
            "admin_password": "a-Long-pass-phrase-42",
            "admin_password_confirm": "a-Long-pass-phrase-42",
            "contact_email": "office@coast.test",
        },
    )
    school = School.objects.get(slug="coast-girls")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/tenants/school/{school.pk}/change/"
    assert school.contact_email == "office@coast.test"
    with schema_context("coast_girls"):
        assert User.objects.get().email == "head@coast.test"


def test_operator_sees_errors_and_nothing_is_created(operator_client):
    count = School.objects.count()
    response = operator_client.post(
        "/admin/tenants/school/add/",
        {
            "name": "X",
            "slug": "admin",
            "admin_email": "a@b.test",
            "admin_password": "a-Long-pass-phrase-42",
            "admin_password_confirm": "a-Long-pass-phrase-42",
        },
    )
    assert response.status_code == 200
    assert SLUG_ERROR_RESERVED.format(slug="admin") in response.content.decode().replace(
        "&quot;", '"'
    )
    assert School.objects.count() == count


def test_operator_deactivates_a_school_and_its_site_goes_away(operator_client, greenwood):
    response = operator_client.post(
        f"/admin/tenants/school/{greenwood.pk}/change/",
        {
            "name": greenwood.name,
            "contact_email": greenwood.contact_email,
            "is_active": "",
            "domains-TOTAL_FORMS": "1",
            "domains-INITIAL_FORMS": "1",
            "domains-0-id": greenwood.domains.get().pk,
            "domains-0-tenant": greenwood.pk,
            "domains-0-domain": "greenwood.localhost",
            "domains-0-is_primary": "on",
        },
    )
    assert response.status_code == 302, response.content
    greenwood.refresh_from_db()
    assert not greenwood.is_active
    assert operator_client.get("/", HTTP_HOST="greenwood.localhost").status_code == 404


def test_schools_cannot_be_deleted_from_the_admin(operator_client, greenwood):
    response = operator_client.get(f"/admin/tenants/school/{greenwood.pk}/delete/")
    assert response.status_code == 403


def test_system_rows_are_not_editable_as_schools(operator_client):
    template = School.objects.get(schema_name="template")
    response = operator_client.get(f"/admin/tenants/school/{template.pk}/change/")
    assert response.status_code == 302  # "doesn't exist", back to the list
