"""What the logs and the error reports know about the request or task they come from: the
school (its schema name) and a request id, kept in context variables that the middleware
(mediahub.middleware) sets for each request, and that `log_context` sets for anything else
(a task, a command). `LogContextFilter` writes them onto every log record; `sentry_init`
switches error reporting on, with the school as a tag and no personal data.

Context variables, not thread locals: each thread and each asyncio task sees its own. A
request's are cleared once its response is closed (request_finished), and `log_context`
gives back the values it found, so nothing carries over into the next request or task.
A task enqueued during a request can pass `current_request_id()` along, so that its log
lines share the request's id.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import uuid

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

NO_VALUE = "-"  # in a log line outside any request or task
# A request id from the proxy (nginx's $request_id is 32 hex digits) is kept only when it is
# short and made of safe characters: it goes into every log line and a response header.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")

_school: contextvars.ContextVar[str] = contextvars.ContextVar("school", default=NO_VALUE)
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default=NO_VALUE)


def request_id_from(header: str | None) -> str:
    """The proxy's request id when it is a safe one, else a new one."""
    if header and REQUEST_ID_PATTERN.fullmatch(header):
        return header
    return uuid.uuid4().hex


def current_school() -> str:
    return _school.get()


def current_request_id() -> str:
    return _request_id.get()


def request_context_begin(request_id: str) -> None:
    """A request starts: its id, and no school until one is found from the host. Nothing is
    reset when the middleware returns: Django logs the response's status ("Not Found: ...")
    after every middleware has, so the values stay until the response is closed
    (`log_context_clear`, on request_finished)."""
    _request_id.set(request_id)
    _school.set(NO_VALUE)


def school_context_set(school: str) -> None:
    """From here on, log records and error reports name `school` (a schema name)."""
    _school.set(school)
    sentry_sdk.get_isolation_scope().set_tag("school", school)


def log_context_clear(**kwargs) -> None:
    """A request_finished receiver (core.apps): what comes after names no request."""
    _request_id.set(NO_VALUE)
    _school.set(NO_VALUE)


@contextlib.contextmanager
def log_context(*, school: str, request_id: str | None = None):
    """For code that runs outside a request (a task, a command): its logs and errors name
    the school, and the request that started it when its id is passed along (a new id
    otherwise), in an error-reporting scope of its own; the values before come back after."""
    request_id = request_id or uuid.uuid4().hex
    tokens = (_request_id.set(request_id), _school.set(school))
    try:
        with sentry_sdk.isolation_scope() as scope:
            scope.set_tag("request_id", request_id)
            scope.set_tag("school", school)
            yield
    finally:
        _school.reset(tokens[1])
        _request_id.reset(tokens[0])


class LogContextFilter(logging.Filter):
    """Adds `school` and `request_id` to every record (a handler's filter: records of every
    logger pass through it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "school"):
            record.school = _school.get()
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


# --- Error reports (Sentry) ------------------------------------------------------------------
# Request headers that name or authenticate a person, or give their address.
PERSONAL_HEADERS = frozenset(
    {"cookie", "authorization", "x-forwarded-for", "x-real-ip", "forwarded", "x-csrftoken"}
)
FILTERED = "[Filtered]"


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """`before_send`: whatever personal data an event still carries goes before it leaves.
    Sentry's own rules (`data_collection` below) already leave out the user and the cookies;
    this also drops the request's body, query string (links with tokens) and the headers
    that identify someone, and keeps only the id of a user."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("cookies", "data", "env"):
            request.pop(key, None)
        if request.get("query_string"):
            request["query_string"] = FILTERED
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value
                for name, value in headers.items()
                if name.lower() not in PERSONAL_HEADERS
            }
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    event.setdefault("tags", {}).setdefault("school", _school.get())
    return event


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float = 0.0) -> None:
    """Report errors to Sentry (or any service that speaks its protocol) at `dsn`."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration(), LoggingIntegration(event_level=logging.ERROR)],
        # Nothing that identifies a person: no user details, cookies, bodies, query strings or
        # database parameters; local variables of the failing frames may hold a person's email
        # or a form's data. (`data_collection` replaces the deprecated send_default_pii.)
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
    )
