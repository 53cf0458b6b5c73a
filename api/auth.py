"""Who a request of the API is: the bearer token's person, never a session. A request
without a valid token is a 401 with `WWW-Authenticate: Bearer`; a token without the scope an
endpoint needs is a 403 (it names no object, so it confirms nothing exists)."""

from __future__ import annotations

import functools

from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer

from .errors import ApiError
from .models import Scope
from .services import token_authenticate

ERROR_SCOPE = _("This token cannot do that. Make a token with the “{scope}” scope.")


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        row = token_authenticate(token)
        if row is None:
            return None
        # The token's person replaces whoever a session cookie named: the API reads none.
        request.user = row.user
        request.api_token = row
        return row


def requires(scope: str):
    """An endpoint for tokens with at least `scope` (api.models.Scope)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.auth.allows(scope):
                message = ERROR_SCOPE.format(scope=Scope(scope).label)
                raise ApiError(
                    403,
                    {"__all__": [message]},
                    headers={"WWW-Authenticate": 'Bearer error="insufficient_scope"'},
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
