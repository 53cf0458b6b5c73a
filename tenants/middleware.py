from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.contrib.redirects.middleware import RedirectMiddleware

# host → School, in the shared cache: finding the school costs no query once its host was
# seen. Dropped when a School or Domain is saved or deleted (tenants/signals.py); the TTL only
# bounds what a forgotten host keeps.
HOST_KEY = "tenants:host:{host}"


def host_key(host: str) -> str:
    return HOST_KEY.format(host=host.lower())


def host_cache_drop(hosts) -> None:
    """Forgets the school of these hosts (keys made in the public schema, as the lookup's)."""
    with schema_context(get_public_schema_name()):
        cache.delete_many([host_key(host) for host in hosts if host])


def school_cached(hostname: str):
    """The school of `hostname` as the shared cache holds it (None when it does not, or the
    cache is off), read in the public schema: the connection must be on it (as it is in
    `SchoolTenantMiddleware.get_tenant`, and in mediahub.wsgi's page-cache hits)."""
    if not settings.TENANT_HOST_CACHE_SECONDS:
        return None
    return cache.get(host_key(hostname))


class SchoolTenantMiddleware(TenantMainMiddleware):
    """Selects the school's schema from the host. An unknown host, or the host of an
    inactive school, is a 404: the same answer, so it confirms nothing."""

    def get_tenant(self, domain_model, hostname):
        # The connection is on the public schema here (TenantMainMiddleware.process_request).
        seconds = settings.TENANT_HOST_CACHE_SECONDS
        key = host_key(hostname)
        tenant = school_cached(hostname)
        if tenant is None:
            tenant = super().get_tenant(domain_model, hostname)
            if seconds:
                cache.set(key, tenant, seconds)
        if not tenant.is_active:
            raise domain_model.DoesNotExist(f"School {tenant.schema_name} is inactive")
        return tenant


class SchoolRedirectMiddleware(RedirectMiddleware):
    """Wagtail's redirects, on school sites only: the public schema has no Wagtail tables,
    so the stock middleware would turn every 404 on the platform site into a 500."""

    def process_response(self, request, response):
        if connection.schema_name == get_public_schema_name():
            return response
        return super().process_response(request, response)
