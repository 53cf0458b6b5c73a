"""Errors as data: every error of the API is `{"errors": {field: [message, ...]}}`, with
`__all__` for what belongs to no field, and the same constant messages the site's forms show."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

ERROR_TOKEN = _(
    "Send a valid token: Authorization: Bearer <token>. It may have expired or been revoked."
)
ERROR_NOT_FOUND = _("Not found.")
ERROR_INVALID = _("This value is not valid.")


class ApiError(Exception):
    def __init__(self, status: int, errors: dict, *, headers: dict | None = None):
        super().__init__(status, errors)
        self.status = status
        self.errors = errors
        self.headers = headers or {}


def form_errors(form) -> dict:
    return {
        field: [str(message) for message in messages] for field, messages in form.errors.items()
    }


def service_errors(error: ValidationError) -> dict:
    """A service's ValidationError as the API's errors, keyed as the service keyed them."""
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {NON_FIELD_ERRORS: [str(m) for m in error.messages]}


def install(api) -> None:
    """The API's answers to errors, in place of django-ninja's own."""

    def respond(request, status, errors, headers=None):
        response = api.create_response(request, {"errors": errors}, status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(ApiError)
    def api_error(request, exc):
        return respond(request, exc.status, exc.errors, exc.headers)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc):
        headers = {"WWW-Authenticate": 'Bearer realm="api"'}
        return respond(request, 401, {NON_FIELD_ERRORS: [str(ERROR_TOKEN)]}, headers)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, {NON_FIELD_ERRORS: [str(ERROR_NOT_FOUND)]})

    @api.exception_handler(NinjaValidationError)
    def invalid(request, exc):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            location = [str(part) for part in error.get("loc", ())[1:]] or [NON_FIELD_ERRORS]
            errors.setdefault(".".join(location), []).append(str(ERROR_INVALID))
        return respond(request, 400, errors)
