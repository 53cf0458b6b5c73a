"""The simulated Daraja and its customers, without HTTP: what donations/simulator.py serves.

The last digit of the phone number picks what the "customer" does (OUTCOMES; the README has
the table): an accepted STK Push is answered, after `callback_delay`, by a callback posted to
its CallBackURL (none, once or twice), and STK Query knows the outcome from then on. Tokens,
pushes, the requests received and the callbacks sent are kept for tests to read; faults they
queue are taken by the server, one request at a time. Daraja's checks of a push body and its
error bodies are here too, so the server only routes.

Callback hosts under .localhost are reached on 127.0.0.1 with the school's Host header:
glibc does not resolve *.localhost, and django-tenants picks the school from the Host.
"""

from __future__ import annotations

import base64
import logging
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import requests

# The simulator's logger (simulator.py's), whichever of its modules logs: one name to filter.
logger = logging.getLogger("donations.simulator")

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


class SimulatedDaraja:
    """The state and behaviour of the simulator; DarajaSimulator serves it over HTTP."""

    def __init__(self, *, callback_delay: float = 2.0):
        self.callback_delay = callback_delay
        # None: any consumer key and secret get a token (dev); a dict: only these pairs.
        self.consumers: dict[str, str] | None = None
        # Off: callbacks are recorded as skipped, not posted (tests with no server to reach).
        self.post_callbacks = True
        self.state = SimulatorState()
        self.lock = threading.Lock()

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


def error_body(request_id: str, code: str, message: str) -> dict:
    return {"requestId": request_id, "errorCode": code, "errorMessage": message}


def push_problem(body: dict) -> str | None:
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
