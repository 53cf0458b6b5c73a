from django.conf import settings
from django.db import connection
from django_tenants.utils import get_public_schema_name

from .urls_helpers import platform_url


def platform(request):
    """The platform's name and address, and the current school (None on the platform)."""
    tenant = getattr(request, "tenant", None)
    on_school = tenant is not None and connection.schema_name != get_public_schema_name()
    return {
        "platform_name": settings.PLATFORM_NAME,
        "platform_home_url": platform_url("/"),
        "school": tenant if on_school else None,
    }
