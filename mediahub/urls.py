"""URLs of a school's site (<slug>.<platform domain>): Wagtail admin, documents, pages."""

from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api.files import bearer_allowed
from media_library import views as media_views

urlpatterns = [
    path("accounts/invitation/", include("invitations.urls")),
    path("consent/", include("families.consent_urls")),
    path("accounts/tokens/", include("api.site_urls")),
    path("accounts/", include("classrooms.urls")),
    path("accounts/", include("accounts.urls")),
    path("families/", include("families.urls")),
    path("notifications/", include("notifications.urls")),
    # The REST API for apps (bearer tokens, never sessions): api.urls.
    path("api/", include("api.urls")),
    # The page scripts' strings in the active language (djangojs.po), a plain <script src>
    # before them: no inline script, so the CSP's script-src 'self' holds.
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", include(wagtailadmin_urls)),
    path("", include("core.language_switch")),  # the menu's language switch
    path("documents/", include(wagtaildocs_urls)),
    path("", include("donations.urls")),
    path("", include("media_library.urls")),
    # Uploaded files on local storage (MEDIA_URL is /media/, then the school's schema):
    # served only to those who may see them, in every environment; to apps by their token.
    path(
        "media/<str:schema>/<path:name>",
        bearer_allowed(media_views.stored_file),
        name="stored-file",
    ),
]

# Wagtail's page tree serves everything else, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
