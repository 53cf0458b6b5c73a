"""Settings > Language (the school's default language) in a school's Wagtail admin, for school
admins (tenants.school_settings)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from accounts.permissions import SchoolAdminMenuItem

from . import school_settings


@hooks.register("register_admin_urls")
def register_school_settings_urls():
    return [path("school/", include((school_settings.urlpatterns, "tenants_admin")))]


@hooks.register("register_settings_menu_item")
def register_school_language_menu_item():
    return SchoolAdminMenuItem(
        _("Language"),
        reverse("tenants_admin:school-language"),
        icon_name="site",
        order=900,
    )
