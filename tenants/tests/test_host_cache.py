"""Finding the school from the host (tenants.middleware): cached in the shared cache, so a
request costs no query for it once the host was seen; dropped when a School or Domain is
saved or deleted (tenants.signals), so a deactivated school 404s at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import client_for
from tenants.models import Domain

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _host_cache_on(settings):
    settings.TENANT_HOST_CACHE_SECONDS = 3600


def _domain_queries(path="/accounts/login/", host="greenwood.localhost"):
    with CaptureQueriesContext(connection) as queries:
        response = client_for(host).get(path)
    return response, [q["sql"] for q in queries if "tenants_domain" in q["sql"]]


def test_the_school_of_a_host_is_looked_up_once(redis_caches, greenwood):
    response, first = _domain_queries()
    assert response.status_code == 200 and len(first) == 1
    response, second = _domain_queries()
    assert response.status_code == 200 and second == []


def test_the_lookup_costs_no_query_at_all_on_a_hit(
    redis_caches, greenwood, django_assert_num_queries
):
    from tenants.middleware import SchoolTenantMiddleware

    middleware = SchoolTenantMiddleware(lambda request: None)
    middleware.get_tenant(Domain, "greenwood.localhost")
    with django_assert_num_queries(0):
        assert middleware.get_tenant(Domain, "greenwood.localhost").slug == "greenwood"


def test_a_deactivated_school_is_404_at_once(
    redis_caches, greenwood, django_capture_on_commit_callbacks
):
    assert client_for(greenwood).get("/accounts/login/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        greenwood.is_active = False
        greenwood.save()
    assert client_for(greenwood).get("/accounts/login/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        greenwood.is_active = True
        greenwood.save()
    assert client_for(greenwood).get("/accounts/login/").status_code == 200


def test_a_renamed_or_deleted_domain_forgets_its_host(
    redis_caches, greenwood, django_capture_on_commit_callbacks
):
    extra = Domain.objects.create(
        domain="art.greenwood.localhost", tenant=greenwood, is_primary=False
    )
    assert client_for("art.greenwood.localhost").get("/accounts/login/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        extra.domain = "music.greenwood.localhost"
        extra.save()
    assert client_for("art.greenwood.localhost").get("/accounts/login/").status_code == 404
    assert client_for("music.greenwood.localhost").get("/accounts/login/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        extra.delete()
    assert client_for("music.greenwood.localhost").get("/accounts/login/").status_code == 404


def test_a_school_change_purges_its_cached_pages(
    redis_caches, settings, greenwood, django_capture_on_commit_callbacks
):
    from core import pagecache

    settings.PAGE_CACHE_ENABLED = True
    with django_capture_on_commit_callbacks(execute=True):
        client_for(greenwood).get("/dashboard/")
    before = pagecache.page_cache_generation("greenwood")
    with django_capture_on_commit_callbacks(execute=True):
        greenwood.name = "Greenwood Academy"
        greenwood.save()
    assert pagecache.page_cache_generation("greenwood") == before + 1
