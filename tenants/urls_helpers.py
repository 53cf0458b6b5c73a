"""Absolute URLs of the platform and of each school's site."""

from django.conf import settings
from django.db import connection

from .models import School


def _origin(host: str) -> str:
    scheme = settings.PLATFORM_SCHEME
    port = settings.PLATFORM_PORT
    default_port = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" if port == default_port else f"{scheme}://{host}:{port}"


def school_domain(slug: str) -> str:
    return f"{slug}.{settings.PLATFORM_DOMAIN}"


def platform_url(path: str = "/") -> str:
    return _origin(settings.PLATFORM_DOMAIN) + path


def school_url(school, path: str = "/") -> str:
    # `primary` is prefetched by selectors.school_list_active; otherwise ask the database.
    if hasattr(school, "primary"):
        domain = school.primary[0] if school.primary else None
    else:
        domain = school.get_primary_domain()
    host = domain.domain if domain else school_domain(school.slug)
    return _origin(host) + path


def _current_school():
    tenant = getattr(connection, "tenant", None)
    if tenant is None or getattr(tenant, "schema_name", "public") == "public":
        return None
    if isinstance(tenant, School):
        return tenant
    # schema_context() activates a stand-in that only knows the schema's name.
    return School.objects.filter(schema_name=tenant.schema_name).first()


def current_base_url() -> str:
    """The base URL of the school whose schema is active (the platform's, outside a school)."""
    school = _current_school()
    return school_url(school, "").rstrip("/") if school else platform_url("").rstrip("/")


def current_site_name() -> str:
    school = _current_school()
    return getattr(school, "name", None) or settings.PLATFORM_NAME
