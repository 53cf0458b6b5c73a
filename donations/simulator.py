"""A local Daraja simulator: OAuth, STK Push and STK Query, speaking Daraja's JSON, and the
callback posted to CallBackURL a moment after each push. Donations then work with no
internet: `make run` starts it beside runserver, and the tests start it in-process.

The last digit of the phone number picks what the "customer" does (OUTCOMES; the README has
the table). Tests (or anyone, over HTTP) make it misbehave: `fail_next(status=503)` answers
the next request(s) with a server error, `stall_next(seconds)` answers them late (a
timeout for the client), `POST /simulator/fail` and `/simulator/stall` do the same.

Callback hosts under .localhost are reached on 127.0.0.1 with the school's Host header:
glibc does not resolve *.localhost, and django-tenants picks the school from the Host.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import requests

logger = logging.getLogger(__name__)

NAIROBI = ZoneInfo("Africa/Nairobi")
TOKEN_LIFETIME = 3599


@dataclass(frozen=True)
class Outcome:
    result_code: int
    result_description: str
    callbacks: int = 1  # how many times the callback is posted (0: lost)


OUTCOMES = {
    "0": Outcome(0, "The service request is processed successfully."),
    "1": Outcome(1032, "Request cancelled by user"),
    "2": Outcome(2001, "The initiator information is invalid."),
    "3": Outcome(1, "The balance is insufficient for the transaction."),
    "4": Outcome(0, "The service request is processed successfully.", callbacks=0),
    "5": Outcome(0, "The service request is processed successfully.", callbacks=2),
    "6": Outcome(1037, "DS timeout user cannot be reached"),
    "7": Outcome(1019, "Transaction has expired"),
    "8": Outcome(1001, "Unable to lock subscriber, a transaction is already in process."),
    "9": Outcome(0, "The service request is processed successfully."),
}
_PHONE = re.compile(r"^254[17]\d{8}$")
_SHORTCODE = re.compile(r"^\d{5,7}$")


@dataclass
class Push:
    checkout_request_id: str
    merchant_request_id: str
    body: dict
    outcome: Outcome
    due: float  # when the customer "answers" (monotonic clock)
    receipt: str


@dataclass
class Fault:
    status: int = 0  # answer this HTTP status
    stall: float = 0.0  # or answer this many seconds late
    count: int = 1


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    body: dict | None


@dataclass
class SimulatorState:
    tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry (monotonic)
    pushes: dict[str, Push] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    callbacks: list[dict] = field(default_factory=list)  # url, payload, status or error


class DarajaSimulator:
    """The server. `with DarajaSimulator() as sim:` serves on a free port until the block ends;
    `sim.url` is what DARAJA_BASE_URL should be."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, callback_delay: float = 2.0):
        self.callback_delay = callback_delay
        # None: any consumer key and secret get a token (dev); a dict: only these pairs.
        self.consumers: dict[str, str] | None = None
        # Off: callbacks are recorded as skipped, not posted (tests with no server to reach).
        self.post_callbacks = True
        self.state = SimulatorState()
        self.lock = threading.Lock()
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

    # --- What tests use ----------------------------------------------------------------------
    def reset(self) -> None:
        with self.lock:
            self.state = SimulatorState()
            self.consumers = None
            self.post_callbacks = True

    def fail_next(self, status: int = 503, count: int = 1) -> None:
        with self.lock:
            self.state.faults.append(Fault(status=status, count=count))

    def stall_next(self, seconds: float, count: int = 1) -> None:
        with self.lock:
            self.state.faults.append(Fault(stall=seconds, count=count))

    def requests_to(self, path: str) -> list[Recorded]:
        with self.lock:
            return [r for r in self.state.requests if r.path.split("?")[0] == path]

    def callbacks(self) -> list[dict]:
        with self.lock:
            return list(self.state.callbacks)

    def answer_now(self, checkout_request_id: str) -> None:
        """The customer answers at once (STK Query then knows the outcome)."""
        with self.lock:
            self.state.pushes[checkout_request_id].due = 0

    # --- Behaviour ---------------------------------------------------------------------------
    def take_fault(self) -> Fault | None:
        with self.lock:
            if not self.state.faults:
                return None
            fault = self.state.faults[0]
            fault.count -= 1
            if fault.count <= 0:
                self.state.faults.pop(0)
            return fault

    def record(self, method: str, path: str, headers, body) -> None:
        with self.lock:
            self.state.requests.append(Recorded(method, path, dict(headers), body))

    def token_issue(self) -> str:
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.state.tokens[token] = time.monotonic() + TOKEN_LIFETIME
        return token

    def token_valid(self, header: str) -> bool:
        token = header.removeprefix("Bearer ").strip()
        with self.lock:
            return self.state.tokens.get(token, 0) > time.monotonic()

    def push_accept(self, body: dict) -> Push:
        phone = str(body["PhoneNumber"])
        push = Push(
            checkout_request_id=f"ws_CO_{datetime.now(NAIROBI):%d%m%Y%H%M%S}{secrets.randbelow(10**9):09d}",
            merchant_request_id=f"{secrets.randbelow(10**5)}-{secrets.randbelow(10**9)}-1",
            body=body,
            outcome=OUTCOMES[phone[-1]],
            due=time.monotonic() + self.callback_delay,
            receipt="S"
            + "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(9)),
        )
        with self.lock:
            self.state.pushes[push.checkout_request_id] = push
        if not self.post_callbacks:
            return push
        for n in range(push.outcome.callbacks):
            timer = threading.Timer(self.callback_delay + n * 0.5, self.callback_post, [push])
            timer.daemon = True
            timer.start()
        return push

    def push_get(self, checkout_request_id: str) -> Push | None:
        with self.lock:
            return self.state.pushes.get(checkout_request_id)

    def callback_payload(self, push: Push) -> dict:
        outcome = push.outcome
        callback = {
            "MerchantRequestID": push.merchant_request_id,
            "CheckoutRequestID": push.checkout_request_id,
            "ResultCode": outcome.result_code,
            "ResultDesc": outcome.result_description,
        }
        if outcome.result_code == 0:
            callback["CallbackMetadata"] = {
                "Item": [
                    {"Name": "Amount", "Value": push.body["Amount"]},
                    {"Name": "MpesaReceiptNumber", "Value": push.receipt},
                    {"Name": "Balance"},
                    {
                        "Name": "TransactionDate",
                        "Value": int(f"{datetime.now(NAIROBI):%Y%m%d%H%M%S}"),
                    },
                    {"Name": "PhoneNumber", "Value": int(push.body["PhoneNumber"])},
                ]
            }
        return {"Body": {"stkCallback": callback}}

    def callback_post(self, push: Push) -> None:
        url = push.body["CallBackURL"]
        payload = self.callback_payload(push)
        entry = {"url": url, "payload": payload}
        try:
            target, headers = loopback_target(url)
            response = requests.post(target, json=payload, headers=headers, timeout=30)
            entry["status"] = response.status_code
        except requests.RequestException as error:
            entry["error"] = str(error)
            logger.warning("Simulator: callback to %s failed: %s", url, error)
        with self.lock:
            self.state.callbacks.append(entry)


def loopback_target(url: str) -> tuple[str, dict]:
    """A URL on a *.localhost host, as one to 127.0.0.1 with the original Host header."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        netloc = "127.0.0.1" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc)), {"Host": parts.netloc}
    return url, {}


def _error(request_id: str, code: str, message: str) -> dict:
    return {"requestId": request_id, "errorCode": code, "errorMessage": message}


def _push_problem(body: dict) -> str | None:
    """Daraja's checks of an STK Push body, or None when it is well formed."""
    shortcode = str(body.get("BusinessShortCode", ""))
    stamp = str(body.get("Timestamp", ""))
    if not _SHORTCODE.match(shortcode):
        return "Invalid BusinessShortCode"
    if not re.match(r"^\d{14}$", stamp):
        return "Invalid Timestamp"
    try:
        decoded = base64.b64decode(str(body.get("Password", "")), validate=True).decode()
    except ValueError:
        return "Invalid Password"
    if not (decoded.startswith(shortcode) and decoded.endswith(stamp)) or len(decoded) <= len(
        shortcode + stamp
    ):
        return "Invalid Password"
    if body.get("TransactionType") not in ("CustomerPayBillOnline", "CustomerBuyGoodsOnline"):
        return "Invalid TransactionType"
    amount = body.get("Amount")
    if not isinstance(amount, int) or amount < 1:
        return "Invalid Amount"
    for name in ("PartyA", "PhoneNumber"):
        if not _PHONE.match(str(body.get(name, ""))):
            return f"Invalid {name}"
    if not re.match(r"^https?://", str(body.get("CallBackURL", ""))):
        return "Invalid CallBackURL"
    if not 0 < len(str(body.get("AccountReference", ""))) <= 12:
        return "Invalid AccountReference"
    if not 0 < len(str(body.get("TransactionDesc", ""))) <= 13:
        return "Invalid TransactionDesc"
    return None


def _handler_for(sim: DarajaSimulator):
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
                _error(secrets.token_hex(4), f"{fault.status}.000.00", "Simulated failure"),
            )
            return True

        def do_GET(self):  # noqa: N802 (http.server's name)
            path = urlsplit(self.path).path
            sim.record("GET", self.path, self.headers, None)
            if path != "/oauth/v1/generate":
                return self._json(404, _error("", "404.001.01", "Resource not found"))
            if self._fault():
                return
            if "grant_type=client_credentials" not in self.path:
                return self._json(400, _error("", "400.008.02", "Invalid grant type passed"))
            auth = self.headers.get("Authorization", "")
            try:
                key, _, secret = (
                    base64.b64decode(auth.removeprefix("Basic ")).decode().partition(":")
                )
            except ValueError:
                key = secret = ""
            known = sim.consumers is None or sim.consumers.get(key) == secret
            if not auth.startswith("Basic ") or not key or not secret or not known:
                return self._json(400, _error("", "400.008.01", "Invalid Authentication passed"))
            self._json(200, {"access_token": sim.token_issue(), "expires_in": str(TOKEN_LIFETIME)})

        def do_POST(self):  # noqa: N802
            path = urlsplit(self.path).path
            body = self._body()
            sim.record("POST", self.path, self.headers, body)
            if path.startswith("/simulator/"):
                return self._control(path, body or {})
            if path not in ("/mpesa/stkpush/v1/processrequest", "/mpesa/stkpushquery/v1/query"):
                return self._json(404, _error("", "404.001.01", "Resource not found"))
            if self._fault():
                return
            request_id = secrets.token_hex(8)
            if not sim.token_valid(self.headers.get("Authorization", "")):
                return self._json(401, _error(request_id, "404.001.03", "Invalid Access Token"))
            if body is None:
                return self._json(
                    400, _error(request_id, "400.002.02", "Bad Request - Invalid JSON")
                )
            if path == "/mpesa/stkpush/v1/processrequest":
                return self._push(request_id, body)
            return self._query(request_id, body)

        def _push(self, request_id: str, body: dict) -> None:
            problem = _push_problem(body)
            if problem:
                return self._json(400, _error(request_id, "400.002.02", f"Bad Request - {problem}"))
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
                    400, _error(request_id, "400.002.02", "Bad Request - Invalid CheckoutRequestID")
                )
            if time.monotonic() < push.due:
                return self._json(
                    500, _error(request_id, "500.001.1001", "The transaction is being processed")
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
