"""Wagtail's Site per school from the shared cache (tenants/site_cache.py): no query once
cached, looked up again after a Site or the home page changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from wagtail.models import Site

from conftest import client_for

pytestmark = pytest.mark.django_db


def _site_queries(client, path="/"):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return response, sum("wagtailcore_site" in q["sql"] for q in captured.captured_queries)


def test_the_site_is_looked_up_once_then_again_after_a_change(greenwood, settings):
    settings.PAGE_CACHE_ENABLED = False
    client = client_for(greenwood)
    _site_queries(client)
    assert _site_queries(client)[1] == 0

    with schema_context(greenwood.schema_name):
        site = Site.objects.get(is_default_site=True)
        site.site_name = "Renamed"
        site.save()
    assert _site_queries(client)[1] == 1
    assert _site_queries(client)[1] == 0


def test_a_published_home_page_is_served_at_once(greenwood, settings):
    settings.PAGE_CACHE_ENABLED = False
    client = client_for(greenwood)
    _site_queries(client)
    with schema_context(greenwood.schema_name):
        home = Site.objects.get(is_default_site=True).root_page.specific
        home.intro = "<p>A brand new welcome.</p>"
        home.save_revision().publish()

    response, _ = _site_queries(client)
    assert "A brand new welcome." in response.content.decode()


def test_another_school_never_gets_this_ones_site(greenwood, riverside, settings):
    settings.PAGE_CACHE_ENABLED = False
    _site_queries(client_for(greenwood))
    response, _ = _site_queries(client_for(riverside))
    assert riverside.name in response.content.decode()
