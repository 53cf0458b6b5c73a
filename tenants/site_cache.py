"""Wagtail's Site for a request, kept in the shared cache per school, host and port.

Wagtail looks the Site up on every request (a query, with its root page), then makes the root
page specific (another query) before routing. Both change only when a Site or the school's
home page is saved or deleted, so the Site is cached with its root page already specific:
two queries fewer on every page (bench P2). The cache's keys are per school already (the
schema is in every key: mediahub/settings/cache.py); the key also names the school's id, so a
school made again under the same name never finds the old one's Site. Saving or deleting a
Site, or a page at the top of a school's tree (its root or home page), changes the school's
version in the cache, which every key includes: the next request looks them up again.
Entries expire after CACHE_SECONDS in any case.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site

CACHE_SECONDS = 300
_VERSION_KEY = "tenants:site-version"
_MISSING = "none"
_wagtail_find = Site._find_for_request


def _version() -> str:
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(_VERSION_KEY, version, None)
    return version


def site_cache_clear() -> None:
    """Forget the current school's cached Sites (a new version: old keys are never read)."""
    cache.set(_VERSION_KEY, uuid.uuid4().hex, None)


def _find_for_request(request):
    tenant = getattr(connection, "tenant", None)
    if getattr(tenant, "pk", None) is None or connection.schema_name == "public":
        return _wagtail_find(request)
    host = request._get_raw_host().rsplit(":", 1)[0].lower()
    key = f"tenants:site:{_version()}:{tenant.pk}:{host}:{request.get_port()}"
    site = cache.get(key)
    if site is None:
        site = _wagtail_find(request)
        if site is not None:
            site.root_page = site.root_page.specific  # what wagtail's serve() makes of it
        cache.set(key, site if site is not None else _MISSING, CACHE_SECONDS)
    return None if site == _MISSING else site


def _changed(sender, instance, **kwargs) -> None:
    if isinstance(instance, Site) or (isinstance(instance, Page) and instance.depth <= 2):
        site_cache_clear()


def site_cache_install() -> None:
    """Wagtail's Site lookup goes through the cache; saves and deletes clear it."""
    Site._find_for_request = staticmethod(_find_for_request)
    post_save.connect(_changed, dispatch_uid="tenants.site_cache.save", weak=False)
    post_delete.connect(_changed, dispatch_uid="tenants.site_cache.delete", weak=False)
