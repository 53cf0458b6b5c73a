"""django-tenants' database backend, with Django's content-type cache kept per schema.

django-tenants empties ContentType's cache on every switch of school (each request starts
with one), because content-type ids differ between the public schema and the schools'. So
each request looked its page types up again: 2 or 3 queries per Wagtail page. Here the cache
is keyed by (database alias, schema) instead of the alias alone, so a school's ids are only
ever read in that school, and the switch no longer needs to empty it. Any other clear (tests,
migrations, flush) still empties every schema's entries.
"""

from __future__ import annotations

import threading

from django.db import connections
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper

_switching = threading.local()


class SchemaContentTypeCache(dict):
    """ContentTypeManager._cache, whose keys are database aliases, keyed by the alias and
    the schema that alias's connection (of this thread) has set. ContentTypeManager only
    uses `cache[alias]`, `cache.setdefault(alias, {})` and `cache.clear()`."""

    @staticmethod
    def _key(alias):
        return (alias, connections[alias].schema_name)

    def __getitem__(self, alias):
        return super().__getitem__(self._key(alias))

    def __contains__(self, alias):
        return super().__contains__(self._key(alias))

    def get(self, alias, default=None):
        return super().get(self._key(alias), default)

    def setdefault(self, alias, default=None):
        return super().setdefault(self._key(alias), default)

    def clear(self):
        if getattr(_switching, "active", False):
            return  # a switch of school: each schema's entries stay its own
        super().clear()


def content_type_cache_install() -> None:
    """Called once the apps are ready (tenants.apps)."""
    # This module is the database backend, loaded before the app registry: models only here.
    from django.contrib.contenttypes.models import ContentType

    if not isinstance(ContentType.objects._cache, SchemaContentTypeCache):
        ContentType.objects._cache = SchemaContentTypeCache()


class DatabaseWrapper(TenantDatabaseWrapper):
    def set_tenant(self, tenant, include_public=True):
        _switching.active = True
        try:
            super().set_tenant(tenant, include_public)
        finally:
            _switching.active = False
