from django.urls import include, path, reverse
from wagtail import hooks

from accounts.permissions import SchoolAdminMenuItem
from accounts.views import PROFILE_SECTIONS_HOOK

from . import admin_views, views


@hooks.register(PROFILE_SECTIONS_HOOK)
def profile_tokens(request) -> str:
    return views.profile_section(request)


@hooks.register("register_admin_urls")
def register_token_admin_urls():
    return [path("api-tokens/", include((admin_views.urlpatterns, "api_admin")))]


@hooks.register("register_admin_menu_item")
def register_token_menu_item():
    return SchoolAdminMenuItem(
        admin_views.TITLE, reverse("api_admin:index"), icon_name="key", order=175
    )
