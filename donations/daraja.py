"""A client for Daraja's Lipa na M-Pesa Express (STK Push) on `requests`: OAuth token (cached
until shortly before it expires), STK Push and STK Query, with timeouts and typed errors.

The same client talks to Safaricom's sandbox, production, or the local simulator
(donations/simulator.py): only the base URL differs.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import requests
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

NAIROBI = ZoneInfo("Africa/Nairobi")
TOKEN_PATH = "/oauth/v1/generate?grant_type=client_credentials"  # noqa: S105 (a path)
PUSH_PATH = "/mpesa/stkpush/v1/processrequest"
QUERY_PATH = "/mpesa/stkpushquery/v1/query"
# A token is used until this many seconds before Daraja says it expires, so that one never
# expires between being read from the cache and reaching Daraja.
TOKEN_EXPIRY_MARGIN = 60
# Daraja's answer to an STK Query while the customer has not yet answered the prompt.
QUERY_STILL_PROCESSING = "500.001.1001"


class DarajaError(Exception):
    """Anything that went wrong talking to Daraja. `str()` says what, for logs and admins."""


class DarajaNotConfigured(DarajaError):
    """No consumer key, secret, shortcode or passkey to talk to Daraja with."""


class DarajaUnavailable(DarajaError):
    """Daraja could not be reached, or answered with a server error (5xx)."""


class DarajaTimeout(DarajaUnavailable):
    """Daraja did not answer within the timeout."""


class DarajaRejected(DarajaError):
    """Daraja refused the request (4xx, or a non-zero ResponseCode), saying why."""

    def __init__(self, message: str, *, error_code: str = "", status: int | None = None):
        super().__init__(message)
        self.error_code = error_code
        self.status = status


class DarajaAuthFailed(DarajaRejected):
    """The consumer key and secret were refused."""


@dataclass(frozen=True)
class Credentials:
    base_url: str
    consumer_key: str
    consumer_secret: str
    shortcode: str
    passkey: str
    transaction_type: str = "CustomerPayBillOnline"
    party_b: str = ""  # the till for buy goods; the shortcode otherwise

    @classmethod
    def platform(cls) -> Credentials:
        return cls(
            base_url=settings.DARAJA_BASE_URL,
            consumer_key=settings.DARAJA_CONSUMER_KEY,
            consumer_secret=settings.DARAJA_CONSUMER_SECRET,
            shortcode=settings.DARAJA_SHORTCODE,
            passkey=settings.DARAJA_PASSKEY,
            transaction_type=settings.DARAJA_TRANSACTION_TYPE,
            party_b=settings.DARAJA_TILL_NUMBER,
        )

    def check(self) -> None:
        missing = [
            name
            for name in ("base_url", "consumer_key", "consumer_secret", "shortcode", "passkey")
            if not getattr(self, name)
        ]
        if missing:
            raise DarajaNotConfigured(f"Daraja is not configured: no {', '.join(missing)}.")


@dataclass(frozen=True)
class PushAccepted:
    merchant_request_id: str
    checkout_request_id: str
    customer_message: str


@dataclass(frozen=True)
class QueryResult:
    """STK Query's answer. `result_code` is None while the prompt is still unanswered."""

    result_code: int | None
    result_description: str

    @property
    def processing(self) -> bool:
        return self.result_code is None


def timestamp(now: datetime | None = None) -> str:
    """Daraja's Timestamp: YYYYMMDDHHmmss in Nairobi time, whatever the server's zone."""
    now = now or datetime.now(tz=NAIROBI)
    return now.astimezone(NAIROBI).strftime("%Y%m%d%H%M%S")


def password(shortcode: str, passkey: str, stamp: str) -> str:
    return base64.b64encode(f"{shortcode}{passkey}{stamp}".encode()).decode()


class DarajaClient:
    def __init__(self, credentials: Credentials, *, session: requests.Session | None = None):
        credentials.check()
        self.credentials = credentials
        self.base_url = credentials.base_url.rstrip("/")
        self.session = session or requests.Session()
        self.timeout = (settings.DARAJA_CONNECT_TIMEOUT, settings.DARAJA_READ_TIMEOUT)

    # --- OAuth -------------------------------------------------------------------------------
    @property
    def _token_cache_key(self) -> str:
        # Per Daraja app and address; the secret itself never goes into a cache key.
        ident = (
            f"{self.base_url}|{self.credentials.consumer_key}|{self.credentials.consumer_secret}"
        )
        return "daraja-token:" + hashlib.sha256(ident.encode()).hexdigest()

    def access_token(self, *, fresh: bool = False) -> str:
        """A token, from the cache when one is there; `fresh` always asks Daraja (a check
        of the credentials themselves, manage.py daraja_check)."""
        token = None if fresh else cache.get(self._token_cache_key)
        if token:
            return token
        data = self._send(
            "GET",
            TOKEN_PATH,
            auth=(self.credentials.consumer_key, self.credentials.consumer_secret),
            what="OAuth token",
        )
        token = data.get("access_token")
        try:
            lifetime = int(data.get("expires_in", 0))
        except (TypeError, ValueError):
            lifetime = 0
        if not token:
            raise DarajaRejected("Daraja's OAuth answer had no access_token.")
        if lifetime > TOKEN_EXPIRY_MARGIN:
            cache.set(self._token_cache_key, token, timeout=lifetime - TOKEN_EXPIRY_MARGIN)
        return token

    # --- STK Push and Query ------------------------------------------------------------------
    def stk_push(
        self,
        *,
        amount: int,
        phone: str,
        callback_url: str,
        account_reference: str,
        description: str,
    ) -> PushAccepted:
        """Send the M-Pesa prompt to `phone` (2547XXXXXXXX). Its outcome comes later, to
        `callback_url`, or from stk_query()."""
        stamp = timestamp()
        creds = self.credentials
        body = {
            "BusinessShortCode": creds.shortcode,
            "Password": password(creds.shortcode, creds.passkey, stamp),
            "Timestamp": stamp,
            "TransactionType": creds.transaction_type,
            "Amount": int(amount),
            "PartyA": phone,
            "PartyB": creds.party_b or creds.shortcode,
            "PhoneNumber": phone,
            "CallBackURL": callback_url,
            "AccountReference": account_reference[:12],
            "TransactionDesc": description[:13],
        }
        data = self._send("POST", PUSH_PATH, json=body, what="STK Push", bearer=True)
        if str(data.get("ResponseCode")) != "0" or not data.get("CheckoutRequestID"):
            raise DarajaRejected(
                f"STK Push refused: {data.get('ResponseDescription') or data}",
                error_code=str(data.get("ResponseCode", "")),
            )
        return PushAccepted(
            merchant_request_id=str(data.get("MerchantRequestID", "")),
            checkout_request_id=str(data["CheckoutRequestID"]),
            customer_message=str(data.get("CustomerMessage", "")),
        )

    def stk_query(self, *, checkout_request_id: str) -> QueryResult:
        stamp = timestamp()
        creds = self.credentials
        body = {
            "BusinessShortCode": creds.shortcode,
            "Password": password(creds.shortcode, creds.passkey, stamp),
            "Timestamp": stamp,
            "CheckoutRequestID": checkout_request_id,
        }
        try:
            data = self._send("POST", QUERY_PATH, json=body, what="STK Query", bearer=True)
        except DarajaError as error:
            # Daraja answers this "error" (with a 500) until the customer answers the prompt.
            if getattr(error, "error_code", "") == QUERY_STILL_PROCESSING:
                return QueryResult(None, str(error))
            raise
        try:
            code = int(data["ResultCode"])
        except (KeyError, TypeError, ValueError):
            raise DarajaRejected(f"STK Query answer had no ResultCode: {data}") from None
        return QueryResult(code, str(data.get("ResultDesc", "")))

    # --- HTTP ----------------------------------------------------------------------------------
    def _send(self, method: str, path: str, *, what: str, bearer: bool = False, **kwargs) -> dict:
        if not bearer:
            return self._send_once(method, path, what=what, **kwargs)
        try:
            return self._send_once(method, path, what=what, bearer=True, **kwargs)
        except DarajaAuthFailed:
            # A cached token Daraja no longer takes (revoked, or its clock runs ahead of
            # ours): forgotten by _send_once; one more try with a new one.
            return self._send_once(method, path, what=what, bearer=True, **kwargs)

    def _send_once(
        self, method: str, path: str, *, what: str, bearer: bool = False, **kwargs
    ) -> dict:
        headers = {"Accept": "application/json"}
        if bearer:
            headers["Authorization"] = f"Bearer {self.access_token()}"
        try:
            response = self.session.request(
                method, self.base_url + path, headers=headers, timeout=self.timeout, **kwargs
            )
        except requests.Timeout:
            raise DarajaTimeout(f"{what}: Daraja did not answer in time.") from None
        except requests.RequestException as error:
            raise DarajaUnavailable(f"{what}: Daraja could not be reached ({error}).") from None
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            data = {}
        error_code = str(data.get("errorCode", ""))
        error_message = data.get("errorMessage") or response.reason
        if response.status_code == 401 or (response.status_code == 400 and path == TOKEN_PATH):
            cache.delete(self._token_cache_key)
            raise DarajaAuthFailed(
                f"{what}: Daraja refused the credentials ({error_message}).",
                error_code=error_code,
                status=response.status_code,
            )
        if response.status_code >= 500 and error_code != QUERY_STILL_PROCESSING:
            raise DarajaUnavailable(
                f"{what}: Daraja answered {response.status_code} ({error_message})."
            )
        if response.status_code >= 400:
            raise DarajaRejected(
                f"{what}: Daraja refused it: {error_code} {error_message}".strip(),
                error_code=error_code,
                status=response.status_code,
            )
        if not data:
            raise DarajaUnavailable(f"{what}: Daraja's answer was not JSON.")
        return data
