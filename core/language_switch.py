"""The menu's language switch (base.html): a post that sets the language cookie and, for a
signed-in person, saves their choice (`User.language`, which then follows them to every
device and into their emails: core.languages).

The switch sits on pages cached for visitors (core.pagecache), which carry no CSRF token: the
post is CSRF-exempt and must come from the site's own origin instead, as the donate form's
(core.http.same_origin). Forging it could only change a person's language.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseForbidden, HttpResponseRedirect
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .http import same_origin
from .languages import supported

ERROR_CROSS_SITE = _("The language can only be changed from the school's own pages.")


def _next_url(request) -> str:
    target = request.POST.get("next") or request.headers.get("referer") or "/"
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else "/"


@csrf_exempt
@require_POST
def language_set(request):
    """Switch to the posted language, then back to the page it was posted from."""
    if not same_origin(request):
        return HttpResponseForbidden(str(ERROR_CROSS_SITE))
    response = HttpResponseRedirect(_next_url(request))
    language = supported(request.POST.get("language"))
    if language is None:
        return response
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and hasattr(user, "language"):
        user.language = language
        user.save(update_fields=["language"])
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
    )
    return response


urlpatterns = [path("language/", language_set, name="language-set")]
