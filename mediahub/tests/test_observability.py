"""Logs and error reports: a request id on every response, the school and the request id in
every log line (one JSON object per line in production), and error reports, sent to a real
HTTP server standing in for Sentry, with the school's tag and no personal data."""

import gzip
import io
import json
import logging
import logging.config
import subprocess
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk
from django.conf import settings
from django.test import override_settings
from django.urls import path

from conftest import client_as, client_for
from core.observability import (
    LogContextFilter,
    log_context,
    request_id_from,
    sentry_init,
)
from mediahub.tests.test_settings import PRODUCTION_ENV, ROOT
from mediahub.urls import urlpatterns as school_urlpatterns

pytestmark = pytest.mark.django_db


def failing_view(request):
    email = request.user.email  # a local variable: error reports must not carry it
    raise RuntimeError(f"boom for user {request.user.pk}, {len(email)} characters")


# This module is also the URL configuration of the error-reporting test: the school's URLs
# and one view that fails.
urlpatterns = [path("boom/", failing_view), *school_urlpatterns]
# Defined after the failing view, out of the source lines an error report quotes around it.
EMAIL = "grace@greenwood.test"


# --- Request ids --------------------------------------------------------------------------------
def test_a_safe_request_id_from_the_proxy_is_kept_and_returned(greenwood):
    response = client_for(greenwood).get("/", HTTP_X_REQUEST_ID="3f2a9c0d1e4b5a6978f0e1d2c3b4a596")
    assert response["X-Request-ID"] == "3f2a9c0d1e4b5a6978f0e1d2c3b4a596"


@pytest.mark.parametrize(
    "header", ["", "a" * 65, "id with spaces", "id\r\nSet-Cookie: x=1", "<script>", "é"]
)
def test_an_unsafe_or_missing_request_id_is_replaced_by_a_new_one(greenwood, header):
    response = client_for(greenwood).get("/", HTTP_X_REQUEST_ID=header)
    new_id = response["X-Request-ID"]
    assert new_id != header
    assert len(new_id) == 32
    assert int(new_id, 16) >= 0  # hexadecimal


def test_each_request_gets_its_own_id(platform_client):
    first = platform_client.get("/")["X-Request-ID"]
    second = platform_client.get("/")["X-Request-ID"]
    assert first != second
    assert request_id_from(None) != request_id_from(None)


def test_an_unknown_host_and_the_probe_get_an_id_too(db):
    assert "X-Request-ID" in client_for("nowhere.localhost").get("/")
    assert "X-Request-ID" in client_for("nowhere.localhost").get("/healthz")


# --- Log lines -----------------------------------------------------------------------------------
def _production_logging() -> dict:
    """LOGGING as the production settings build it, from a process of their own."""
    code = (
        "import json; from mediahub.settings import production; "
        "print(json.dumps(production.LOGGING))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**PRODUCTION_ENV, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def log_stream():
    """The production logging configuration, writing to a buffer the test reads."""
    logging.config.dictConfig(_production_logging())
    stream = io.StringIO()
    (handler,) = logging.getLogger().handlers
    handler.setStream(stream)
    yield stream
    logging.config.dictConfig(settings.LOGGING)


def test_production_logs_one_json_line_with_the_school_and_request_id(greenwood, log_stream):
    response = client_for(greenwood).get("/no-such-page/", HTTP_X_REQUEST_ID="req-42")

    assert response.status_code == 404
    lines = [line for line in log_stream.getvalue().splitlines() if line]
    records = [json.loads(line) for line in lines]  # each line is one JSON object
    not_found = [r for r in records if r["logger"] == "django.request"]
    assert len(not_found) == 1
    record = not_found[0]
    assert record["school"] == "greenwood"
    assert record["request_id"] == "req-42"
    assert record["level"] == "WARNING"
    assert record["message"] == "Not Found: /no-such-page/"
    assert "request" not in record  # its text would carry the query string


def test_an_error_with_a_traceback_is_still_one_line(log_stream):
    with log_context(school="riverside", request_id="task-7"):
        try:
            raise ValueError("first line\nsecond line")
        except ValueError:
            logging.getLogger("mediahub.test").exception("It failed")

    (line,) = log_stream.getvalue().splitlines()
    record = json.loads(line)
    assert record["school"] == "riverside"
    assert record["request_id"] == "task-7"
    assert "ValueError: first line\nsecond line" in record["exc_info"]


def test_outside_requests_and_tasks_records_say_so():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "message", (), None)
    LogContextFilter().filter(record)
    assert (record.school, record.request_id) == ("-", "-")


def test_development_keeps_readable_lines():
    formatter = logging.Formatter(settings.LOGGING["formatters"]["text"]["format"])
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "Hello", (), None)
    with log_context(school="greenwood", request_id="abc"):
        LogContextFilter().filter(record)
    assert formatter.format(record).endswith("INFO x [greenwood abc] Hello")


# --- Error reports -------------------------------------------------------------------------------
class _Collector(BaseHTTPRequestHandler):
    """Sentry's ingestion endpoint, as far as the SDK sees it: keeps every envelope."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        self.server.envelopes.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    server.envelopes = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # The test's events are its own: the SDK's scopes are process-wide outside a server.
    with sentry_sdk.isolation_scope():
        sentry_init(
            dsn=f"http://publickey@127.0.0.1:{server.server_address[1]}/7",
            environment="test",
        )
        yield server
        sentry_sdk.flush(timeout=10)
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)  # off again, as without a DSN
    server.shutdown()
    server.server_close()


def _events(server) -> list[dict]:
    events = []
    for _path, body in server.envelopes:
        lines = body.split(b"\n")
        for index, line in enumerate(lines[1:-1], start=1):
            if line.startswith(b"{") and json.loads(line).get("type") == "event":
                events.append(json.loads(lines[index + 1]))
    return events


@override_settings(ROOT_URLCONF=__name__)
def test_an_error_in_a_school_arrives_tagged_with_the_school_without_personal_data(
    greenwood, sentry_server
):
    client = client_as(greenwood, EMAIL)
    client.raise_request_exception = False
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = client.post(f"/boom/?ref={EMAIL}", {"email": EMAIL}, HTTP_X_REQUEST_ID="req-9")

    assert response.status_code == 500
    sentry_sdk.flush(timeout=10)
    assert sentry_server.envelopes, "no error report arrived"
    path, raw = sentry_server.envelopes[0]
    assert path == "/api/7/envelope/"
    (event,) = _events(sentry_server)
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["tags"]["school"] == "greenwood"
    assert event["tags"]["request_id"] == "req-9"
    assert event["environment"] == "test"
    # Nothing that names or follows the person: not their email (in the body, the query
    # string, a local variable, the user), not their session cookie.
    text = raw.decode()
    assert EMAIL not in text
    assert session_cookie not in text
    assert "email" not in event.get("user", {})
    assert "cookies" not in event["request"]
    assert "Cookie" not in event["request"].get("headers", {})


def test_error_reporting_is_off_without_a_dsn():
    assert settings.SENTRY_DSN == ""
    assert not sentry_sdk.get_client().is_active()
