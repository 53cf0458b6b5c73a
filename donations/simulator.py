"""A local Daraja simulator: OAuth, STK Push and STK Query, speaking Daraja's JSON, and the
callback posted to CallBackURL a moment after each push. Donations then work with no
internet: `make run` starts it beside runserver, and the tests start it in-process.

The last digit of the phone number picks what the "customer" does (OUTCOMES; the README has
the table). Tests (or anyone, over HTTP) make it misbehave: `fail_next(status=503)` answers
the next request(s) with a server error, `stall_next(seconds)` answers them late (a
timeout for the client), `POST /simulator/fail` and `/simulator/stall` do the same.

This module is the HTTP server and its routes; what is simulated (the customers, tokens,
pushes and callbacks, Daraja's checks and error bodies) is SimulatedDaraja, in
donations/simulated_daraja.py. Everything importers use is importable from here.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .simulated_daraja import (
    NAIROBI,
    OUTCOMES,
    TOKEN_LIFETIME,
    Fault,
    Outcome,
    Push,
    Recorded,
    SimulatedDaraja,
    SimulatorState,
    error_body,
    loopback_target,
    push_problem,
)

__all__ = [
    "NAIROBI",
    "OUTCOMES",
    "TOKEN_LIFETIME",
    "DarajaSimulator",
    "Fault",
    "Outcome",
    "Push",
    "Recorded",
    "SimulatorState",
    "loopback_target",
]

logger = logging.getLogger(__name__)


class DarajaSimulator(SimulatedDaraja):
    """The server. `with DarajaSimulator() as sim:` serves on a free port until the block ends;
    `sim.url` is what DARAJA_BASE_URL should be."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, callback_delay: float = 2.0):
        super().__init__(callback_delay=callback_delay)
        self.server = ThreadingHTTPServer((host, port), _handler_for(self))
        self.server.daemon_threads = True
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> DarajaSimulator:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> DarajaSimulator:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _handler_for(sim: SimulatedDaraja):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # noqa: A002 (the base class's name)
            logger.debug("Simulator: " + format, *args)

        def _json(self, status: int, data: dict) -> None:
            body = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            # The client may have given up waiting (a stalled answer), as with Daraja.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def _body(self) -> dict | None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                data = json.loads(raw or b"{}")
            except ValueError:
                return None
            return data if isinstance(data, dict) else None

        def _fault(self) -> bool:
            fault = sim.take_fault()
            if fault is None:
                return False
            if fault.stall:
                time.sleep(fault.stall)
                return False
            self._json(
                fault.status,
                error_body(secrets.token_hex(4), f"{fault.status}.000.00", "Simulated failure"),
            )
            return True

        def do_GET(self):  # noqa: N802 (http.server's name)
            path = urlsplit(self.path).path
            sim.record("GET", self.path, self.headers, None)
            if path != "/oauth/v1/generate":
                return self._json(404, error_body("", "404.001.01", "Resource not found"))
            if self._fault():
                return
            if "grant_type=client_credentials" not in self.path:
                return self._json(400, error_body("", "400.008.02", "Invalid grant type passed"))
            auth = self.headers.get("Authorization", "")
            try:
                key, _, secret = (
                    base64.b64decode(auth.removeprefix("Basic ")).decode().partition(":")
                )
            except ValueError:
                key = secret = ""
            known = sim.consumers is None or sim.consumers.get(key) == secret
            if not auth.startswith("Basic ") or not key or not secret or not known:
                return self._json(
                    400, error_body("", "400.008.01", "Invalid Authentication passed")
                )
            self._json(200, {"access_token": sim.token_issue(), "expires_in": str(TOKEN_LIFETIME)})

        def do_POST(self):  # noqa: N802
            path = urlsplit(self.path).path
            body = self._body()
            sim.record("POST", self.path, self.headers, body)
            if path.startswith("/simulator/"):
                return self._control(path, body or {})
            if path not in ("/mpesa/stkpush/v1/processrequest", "/mpesa/stkpushquery/v1/query"):
                return self._json(404, error_body("", "404.001.01", "Resource not found"))
            if self._fault():
                return
            request_id = secrets.token_hex(8)
            if not sim.token_valid(self.headers.get("Authorization", "")):
                return self._json(401, error_body(request_id, "404.001.03", "Invalid Access Token"))
            if body is None:
                return self._json(
                    400, error_body(request_id, "400.002.02", "Bad Request - Invalid JSON")
                )
            if path == "/mpesa/stkpush/v1/processrequest":
                return self._push(request_id, body)
            return self._query(request_id, body)

        def _push(self, request_id: str, body: dict) -> None:
            problem = push_problem(body)
            if problem:
                return self._json(
                    400, error_body(request_id, "400.002.02", f"Bad Request - {problem}")
                )
            push = sim.push_accept(body)
            self._json(
                200,
                {
                    "MerchantRequestID": push.merchant_request_id,
                    "CheckoutRequestID": push.checkout_request_id,
                    "ResponseCode": "0",
                    "ResponseDescription": "Success. Request accepted for processing",
                    "CustomerMessage": "Success. Request accepted for processing",
                },
            )

        def _query(self, request_id: str, body: dict) -> None:
            push = sim.push_get(str(body.get("CheckoutRequestID", "")))
            if push is None:
                return self._json(
                    400,
                    error_body(request_id, "400.002.02", "Bad Request - Invalid CheckoutRequestID"),
                )
            if time.monotonic() < push.due:
                return self._json(
                    500,
                    error_body(request_id, "500.001.1001", "The transaction is being processed"),
                )
            self._json(
                200,
                {
                    "ResponseCode": "0",
                    "ResponseDescription": "The service request has been accepted successsfully",
                    "MerchantRequestID": push.merchant_request_id,
                    "CheckoutRequestID": push.checkout_request_id,
                    "ResultCode": str(push.outcome.result_code),
                    "ResultDesc": push.outcome.result_description,
                },
            )

        def _control(self, path: str, body: dict) -> None:
            if path == "/simulator/fail":
                sim.fail_next(int(body.get("status", 503)), int(body.get("count", 1)))
            elif path == "/simulator/stall":
                sim.stall_next(float(body.get("seconds", 30)), int(body.get("count", 1)))
            elif path == "/simulator/reset":
                sim.reset()
            else:
                return self._json(404, {"error": "unknown control"})
            self._json(200, {"ok": True})

    return Handler
