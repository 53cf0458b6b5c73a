from django.db import connection
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_public_schema_name
from wagtail.contrib.redirects.middleware import RedirectMiddleware


class SchoolTenantMiddleware(TenantMainMiddleware):
    """Selects the school's schema from the host. An unknown host, or the host of an
    inactive school, is a 404: the same answer, so it confirms nothing."""

    def get_tenant(self, domain_model, hostname):
        tenant = super().get_tenant(domain_model, hostname)
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
