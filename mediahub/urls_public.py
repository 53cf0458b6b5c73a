"""URLs of the platform site (PLATFORM_DOMAIN): landing page, school registration, and the
Django admin where platform operators manage schools and domains."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Media Hub platform"
admin.site.site_title = "Media Hub platform"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("core.language_switch")),
    path("", include("tenants.urls")),
]
