"""Which language a page or an email is in: one rule, used by the locale middleware, the page
cache's key (core.pagecache.language_of) and every email (core.emails).

1. a signed-in person's own choice (`User.language`; blank: no choice),
2. the language cookie (the menu's switch sets it, for visitors and members alike),
3. the school's default language (`School.default_language`; blank: the platform's),
4. settings.LANGUAGE_CODE.

The browser's Accept-Language is ignored on purpose: a phone shared by a family or a class
says nothing about the child holding it. The Wagtail admin is not ruled by this: its
requests start in settings.LANGUAGE_CODE and Wagtail activates each user's own admin language
(their Wagtail preference, among the languages Wagtail ships) in its views, so an admin page is
never half Kiswahili (our strings) and half English (Wagtail's, which has no Kiswahili).
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.utils import translation
from django_tenants.utils import get_public_schema_name, get_tenant_model


def supported(code: str | None) -> str | None:
    """`code` if it is one of settings.LANGUAGES, else None."""
    return code if code and code in dict(settings.LANGUAGES) else None


def school_default_language(school=None) -> str:
    """The school's default language (the current connection's school by default), else
    settings.LANGUAGE_CODE. A task's connection (schema_context) knows only the schema name:
    the school's row is read then."""
    school = school if school is not None else getattr(connection, "tenant", None)
    code = getattr(school, "default_language", None)
    if code is None and school is not None:
        schema = getattr(school, "schema_name", None)
        if schema and schema != get_public_schema_name():
            code = (
                get_tenant_model()
                .objects.filter(schema_name=schema)
                .values_list("default_language", flat=True)
                .first()
            )
    return supported(code) or settings.LANGUAGE_CODE


def language_for_user(user, school=None) -> str:
    """The language of the pages and emails of `user`, who is not necessarily the one
    making the request (an email's recipient): their own choice, else the school's."""
    return supported(getattr(user, "language", None)) or school_default_language(school)


# Where mediahub.urls mounts the Wagtail admin.
WAGTAIL_ADMIN_PREFIX = "/admin/"


def language_for_request(request) -> str:
    """The language of a request's page (see the module for the order)."""
    if request.path.startswith(WAGTAIL_ADMIN_PREFIX):
        return settings.LANGUAGE_CODE  # Wagtail's views then apply the user's preference
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        chosen = supported(getattr(user, "language", None))
        if chosen:
            return chosen
    cookie = supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if cookie:
        return cookie
    return school_default_language(getattr(request, "tenant", None))


class LanguageMiddleware:
    """Activates the request's language (after authentication, which the rule reads) for the
    view and its templates; replaces Django's LocaleMiddleware, which would follow
    Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_for_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # Nothing rendered after this request (an error page before this middleware, the
            # next request on this thread) inherits it.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response
