"""Host names: each school on its own domain; unknown hosts are a 404 page."""

import re

import pytest

from conftest import client_for

pytestmark = pytest.mark.django_db


def _heading(response) -> str:
    """The text of the page's <h1>, whatever its attributes (class, translate="no", ...)."""
    match = re.search(r"<h1\b[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    assert match, "no <h1> on the page"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def test_school_home_page_on_its_own_domain(greenwood_client, riverside_client):
    greenwood = greenwood_client.get("/")
    riverside = riverside_client.get("/")

    assert greenwood.status_code == 200 and riverside.status_code == 200
    assert _heading(greenwood) == "Greenwood Academy"
    assert b"Riverside" not in greenwood.content
    assert _heading(riverside) == "Riverside School"


def test_school_home_page_with_port_in_host(greenwood):
    response = client_for("greenwood.localhost:8000").get("/")
    assert response.status_code == 200
    assert b"Greenwood Academy" in response.content


def test_wagtail_admin_is_per_school(greenwood_client):
    response = greenwood_client.get("/admin/login/")
    assert response.status_code == 200
    assert b"Sign in to Greenwood Academy" in response.content


@pytest.mark.parametrize("host", ["nosuch.localhost", "template.localhost", "www.nosuch.localhost"])
def test_unknown_host_is_a_404_page(host):
    response = client_for(host).get("/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_disallowed_host_is_not_a_500(db):
    response = client_for("evil.example.com").get("/")
    assert response.status_code in (400, 404)


def test_inactive_school_is_a_404(greenwood, greenwood_client):
    greenwood.is_active = False
    greenwood.save()
    assert greenwood_client.get("/").status_code == 404
    assert greenwood_client.get("/admin/login/").status_code == 404


def test_unknown_page_on_school_site_is_a_404(greenwood_client):
    response = greenwood_client.get("/no-such-page/")
    assert response.status_code == 404


def test_wagtail_settings_follow_the_current_school(greenwood, riverside):
    from django.conf import settings
    from django_tenants.utils import schema_context

    with schema_context(greenwood.schema_name):
        assert settings.WAGTAILADMIN_BASE_URL == "http://greenwood.localhost:8000"
        assert settings.WAGTAIL_SITE_NAME == "Greenwood Academy"
    with schema_context(riverside.schema_name):
        assert str(settings.WAGTAIL_SITE_NAME) == "Riverside School"
    assert settings.WAGTAILADMIN_BASE_URL == "http://localhost:8000"
