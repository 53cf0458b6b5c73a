"""Wagtail's Site per school from the shared cache (tenants/site_cache.py): no query once
cached, looked up again after a Site or the home page changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from wagtail.models import Site

from conftest import client_for
from tenants import site_cache

pytestmark = pytest.mark.django_db


def _site_queries(client, path="/"):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return response, sum("wagtailcore_site" in q["sql"] for q in captured.captured_queries)


def test_the_site_is_looked_up_once_then_again_after_a_change(greenwood, settings, monkeypatch):
    """After a Site's save, one lookup of the Site for the request (ours, then cached) and one
    of Wagtail's own site root paths, which `{% pageurl %}` needs for the home page's links to
    galleries and classes: Wagtail keeps them in the shared cache and forgets them on a Site's
    save. Both once; then no query at all."""
    settings.PAGE_CACHE_ENABLED = False
    lookups = []
    wagtail_find = site_cache._wagtail_find
    monkeypatch.setattr(
        site_cache, "_wagtail_find", lambda request: lookups.append(1) or wagtail_find(request)
    )
    client = client_for(greenwood)
    _site_queries(client)
    lookups.clear()
    assert _site_queries(client)[1] == 0
    assert lookups == []

    with schema_context(greenwood.schema_name):
        site = Site.objects.get(is_default_site=True)
        site.site_name = "Renamed"
        site.save()
    assert _site_queries(client)[1] == 2  # the lookup and the root paths
    assert lookups == [1]
    assert _site_queries(client)[1] == 0
    assert lookups == [1]


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
