"""Local files for apps: the links the API gives to files on local storage are the pages'
(`/media/<school>/...`, media_library.views.stored_file), which check who may see each file.
An app has no session, so that view also takes the API's bearer token (mediahub/urls.py
wraps it): the token's person is checked exactly as a signed-in visitor is."""

import functools

from django.core.exceptions import NON_FIELD_ERRORS
from django.http import JsonResponse

from .errors import ERROR_TOKEN
from .services import token_authenticate


def bearer_allowed(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            row = token_authenticate(token.strip())
            if row is None:
                response = JsonResponse({"errors": {NON_FIELD_ERRORS: [str(ERROR_TOKEN)]}})
                response.status_code = 401
                response["WWW-Authenticate"] = 'Bearer realm="api"'
                return response
            request.user = row.user  # for this request only: no session is made
        return view(request, *args, **kwargs)

    return wrapped
