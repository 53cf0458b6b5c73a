"""Writes of donations: starting one (the STK Push), recording Daraja's callback, confirming
with STK Query, and sweeping stale ones.

A donation is `paid` only after its callback's amount and phone matched the donation and STK
Query confirmed it (or, when the callback never came, STK Query alone said it succeeded).
Callbacks are not signed: the unguessable token in the callback URL is what ties one to its
donation, and the unique CheckoutRequestID and receipt make duplicates change nothing.

Network calls happen outside database transactions, so no row stays locked while Daraja
thinks; each write that follows is its own short transaction on a freshly locked row.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from media_library.models import MediaPage
from tenants.models import School
from tenants.urls_helpers import school_domain, school_url

from . import selectors
from .daraja import DarajaClient, DarajaError, DarajaUnavailable
from .messages import (
    ERROR_AMOUNT,
    ERROR_PHONE_BUSY,
    ERROR_PHONE_DAILY_LIMIT,
    ERROR_RATE_LIMITED,
    ERROR_SCHOOL_BUSY,
)
from .models import OPEN_STATUSES, Donation, Status
from .phones import InvalidPhone, normalise_phone

logger = logging.getLogger(__name__)

DESCRIPTION = "Donation"  # TransactionDesc (13 characters at most)
LOCK_SPACE = 7100  # the donation limits' advisory locks: 7100 phone, 7101 address, 7102 school


class MalformedCallback(ValueError):
    """The callback body is not Daraja's stkCallback JSON."""


class UnknownCallback(LookupError):
    """No donation has this callback token, or its CheckoutRequestID is not this one's."""


def status_for(result_code: int) -> str:
    if result_code == 0:
        return Status.PAID
    if result_code == 1032:
        return Status.CANCELLED
    if result_code == 1019:
        return Status.EXPIRED
    return Status.FAILED


def client_key(address: str) -> str:
    """A keyed hash of the visitor's address: enough to rate-limit, useless if leaked."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def callback_url(donation: Donation) -> str:
    """Where Daraja posts this donation's result: the school's own host, so that the request
    lands in the school's schema, with the donation's secret token in the path."""
    return callback_url_for(donation.callback_token)


def callback_url_for(token: str) -> str:
    """The callback URL with this token on the current school's host (in the public schema,
    the platform's: manage.py daraja_check, whose token matches no donation)."""
    path = reverse("donations:donation-callback", args=[token])
    school = _current_school()
    if settings.DARAJA_CALLBACK_BASE_URL:
        domain = school.get_primary_domain()
        host = domain.domain if domain else school_domain(school.slug)
        return settings.DARAJA_CALLBACK_BASE_URL.format(host=host).rstrip("/") + path
    return school_url(school, path)


def _current_school():
    tenant = connection.tenant
    # schema_context() (commands, tasks) activates a stand-in that only knows the schema.
    return (
        tenant if isinstance(tenant, School) else School.objects.get(schema_name=tenant.schema_name)
    )


# --- Starting a donation ---------------------------------------------------------------------
@transaction.atomic
def donation_create(
    *,
    page: MediaPage,
    amount: int,
    phone: str,
    client_address: str,
    donor_name: str = "",
    message: str = "",
) -> Donation:
    """A new donation, `initiated`, after the author's consent, the amount and the limits."""
    if not selectors.donation_consented(page):
        raise ValidationError(selectors.ERROR_NO_DONATIONS_HERE)
    minimum, maximum = settings.DONATION_MIN_AMOUNT, settings.DONATION_MAX_AMOUNT
    if not minimum <= amount <= maximum:
        raise ValidationError({"amount": ERROR_AMOUNT.format(minimum=minimum, maximum=maximum)})
    try:
        phone = normalise_phone(phone)
    except InvalidPhone as error:
        raise ValidationError({"phone": str(error)}) from None
    key = client_key(client_address)
    _limits_check(phone=phone, key=key)
    parent = page.get_parent().specific
    donation = Donation(
        page=page,
        page_title=page.title,
        classroom=getattr(parent, "classroom", None),
        amount=amount,
        phone=phone,
        donor_name=donor_name.strip(),
        message=message.strip(),
        shortcode=selectors.school_credentials().shortcode,
        client_key=key,
    )
    donation.full_clean()
    donation.save()
    return donation


def _limits_check(*, phone: str, key: str) -> None:
    """Every donation is a prompt on someone's phone, so what makes them is limited, per
    address: DONATION_RATE_LIMIT per DONATION_RATE_WINDOW_SECONDS; per phone: one pending
    per DONATION_PHONE_COOLDOWN_SECONDS, and DONATION_PHONE_DAILY_LIMIT per 24 hours in all
    schools together; per school: DONATION_SCHOOL_RATE_PER_MINUTE. Each counts the donation
    rows, so every attempt that sent or tried to send a prompt, and a refused attempt
    leaves none. Call inside the transaction that saves the donation."""
    # Submissions at once for the same phone (whichever school: advisory locks are the whole
    # database's), from the same address or to the same school wait for each other here, so
    # each sees the others' rows when it counts. Always taken in this order, each kind in a
    # space of its own (the first number), so no two can deadlock. The school's lock comes
    # last, after the count over every school: it is held only for a count and an insert.
    _lock(LOCK_SPACE, phone)
    _lock(LOCK_SPACE + 1, key)
    now = timezone.now()
    window = now - timedelta(seconds=settings.DONATION_RATE_WINDOW_SECONDS)
    if Donation.objects.filter(client_key=key, created_at__gte=window).count() >= (
        settings.DONATION_RATE_LIMIT
    ):
        raise ValidationError(ERROR_RATE_LIMITED, code="rate_limited")
    cooldown = now - timedelta(seconds=settings.DONATION_PHONE_COOLDOWN_SECONDS)
    if Donation.objects.filter(
        phone=phone, status__in=OPEN_STATUSES, created_at__gte=cooldown
    ).exists():
        raise ValidationError({"phone": ERROR_PHONE_BUSY})
    day = now - timedelta(days=1)
    if selectors.phone_prompts_since(phone=phone, since=day) >= (
        settings.DONATION_PHONE_DAILY_LIMIT
    ):
        raise ValidationError(ERROR_PHONE_DAILY_LIMIT, code="rate_limited")
    _lock(LOCK_SPACE + 2, connection.schema_name)
    minute = timezone.now() - timedelta(minutes=1)
    if selectors.school_attempts_since(minute) >= settings.DONATION_SCHOOL_RATE_PER_MINUTE:
        raise ValidationError(ERROR_SCHOOL_BUSY, code="rate_limited")


def _lock(space: int, name: str) -> None:
    """A lock until the transaction ends (PostgreSQL's advisory lock, in the whole database)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [space, name])


def donation_push(*, donation: Donation, client: DarajaClient | None = None) -> Donation:
    """Sends the M-Pesa prompt to the donor's phone (Daraja STK Push). If Daraja is down,
    slow or refuses, the donation is `failed` with the reason, and the visitor may retry."""
    account = account_reference()
    try:
        client = client or DarajaClient(selectors.school_credentials())
        accepted = client.stk_push(
            amount=donation.amount,
            phone=donation.phone,
            callback_url=callback_url(donation),
            account_reference=account,
            description=DESCRIPTION,
        )
    except DarajaError as error:
        logger.warning("STK Push for donation %s failed: %s", donation.pk, error)
        return _donation_update(
            donation,
            expect=Status.INITIATED,
            status=Status.FAILED,
            result_description=str(error)[:255],
            completed_at=timezone.now(),
        )
    return _donation_update(
        donation,
        expect=Status.INITIATED,
        status=Status.PENDING,
        merchant_request_id=accepted.merchant_request_id,
        checkout_request_id=accepted.checkout_request_id,
        pushed_at=timezone.now(),
    )


def account_reference() -> str:
    """What the donor's prompt names: the school's Account reference setting, else its name."""
    reference = selectors.donation_settings().account_reference or _current_school().name
    return reference[:12]


@transaction.atomic
def _donation_update(donation: Donation, *, expect: str | None = None, **changes) -> Donation:
    locked = Donation.objects.select_for_update().get(pk=donation.pk)
    if expect is not None and locked.status != expect:
        return locked
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    return locked


# --- The callback ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Callback:
    merchant_request_id: str
    checkout_request_id: str
    result_code: int
    result_description: str
    amount: int | None = None
    receipt: str = ""
    transaction_date: str = ""
    phone: str = ""


def callback_parse(payload) -> Callback:
    """Daraja's `{"Body": {"stkCallback": {...}}}`, or MalformedCallback."""
    try:
        body = payload["Body"]["stkCallback"]
        result_code = int(body["ResultCode"])
        checkout = str(body["CheckoutRequestID"])
        items = {}
        if result_code == 0:
            for item in body["CallbackMetadata"]["Item"]:
                items[str(item["Name"])] = item.get("Value")  # Balance comes with no Value
            amount = int(float(items["Amount"]))
            receipt = str(items["MpesaReceiptNumber"])
            phone = str(items["PhoneNumber"])
        else:
            amount, receipt, phone = None, "", ""
    except (KeyError, TypeError, ValueError, AttributeError):
        raise MalformedCallback("Not an stkCallback") from None
    return Callback(
        merchant_request_id=str(body.get("MerchantRequestID", "")),
        checkout_request_id=checkout,
        result_code=result_code,
        result_description=str(body.get("ResultDesc", ""))[:255],
        amount=amount,
        receipt=receipt[:20],
        transaction_date=str(items.get("TransactionDate") or "")[:14],
        phone=phone,
    )


@transaction.atomic
def donation_callback_record(*, token: str, payload) -> tuple[Donation, bool]:
    """Records Daraja's callback for the donation with this token. Returns the donation and
    whether it now needs STK Query's confirmation (a success whose amount and phone match).
    UnknownCallback (token or CheckoutRequestID) and MalformedCallback change nothing."""
    donation = Donation.objects.select_for_update().filter(callback_token=token).first()
    if donation is None:
        raise UnknownCallback("No donation has this callback token")
    callback = callback_parse(payload)
    if not donation.checkout_request_id or (
        callback.checkout_request_id != donation.checkout_request_id
    ):
        raise UnknownCallback("Not this donation's CheckoutRequestID")
    if not donation.is_open or donation.callback_received_at is not None:
        logger.info("Duplicate callback for donation %s ignored", donation.pk)
        return donation, False
    if callback.result_code != 0:
        return _donation_close(donation, callback.result_code, callback.result_description), False
    if callback.amount != donation.amount or callback.phone != donation.phone:
        logger.warning(
            "Callback for donation %s ignored: amount %s / phone %s do not match",
            donation.pk,
            callback.amount,
            callback.phone,
        )
        return donation, False
    if Donation.objects.filter(mpesa_receipt=callback.receipt).exists():
        logger.warning("Callback for donation %s ignored: receipt already used", donation.pk)
        return donation, False
    donation.callback_received_at = timezone.now()
    donation.mpesa_receipt = callback.receipt
    donation.transaction_date = callback.transaction_date
    donation.result_description = callback.result_description
    donation.full_clean()
    donation.save()
    return donation, True


def _donation_close(donation: Donation, result_code: int, description: str) -> Donation:
    """Call with the row locked, inside a transaction."""
    donation.status = status_for(result_code)
    donation.result_code = result_code
    donation.result_description = description[:255]
    donation.completed_at = timezone.now()
    donation.full_clean()
    donation.save()
    return donation


# --- STK Query -------------------------------------------------------------------------------
def donation_confirm(
    *, donation: Donation, client: DarajaClient | None = None, raise_unavailable: bool = False
) -> Donation:
    """Asks Daraja how the push ended (STK Query) and records a final answer. Daraja down
    or the prompt still unanswered: the donation stays pending, to be asked again (with
    `raise_unavailable`, Daraja down is raised too, for the task's retries)."""
    if donation.status != Status.PENDING or not donation.checkout_request_id:
        return donation
    try:
        client = client or DarajaClient(selectors.school_credentials())
        result = client.stk_query(checkout_request_id=donation.checkout_request_id)
    except DarajaError as error:
        logger.warning("STK Query for donation %s failed: %s", donation.pk, error)
        donation = _donation_update(donation, expect=Status.PENDING, last_queried_at=timezone.now())
        if raise_unavailable and isinstance(error, DarajaUnavailable):
            raise
        return donation
    with transaction.atomic():
        locked = Donation.objects.select_for_update().get(pk=donation.pk)
        if locked.status != Status.PENDING:
            return locked
        locked.last_queried_at = timezone.now()
        if result.processing:
            locked.save(update_fields=["last_queried_at", "updated_at"])
            return locked
        return _donation_close(locked, result.result_code, result.result_description)


def donation_refresh(*, donation: Donation) -> Donation:
    """From the waiting page's status checks: a donation still pending
    DONATION_QUERY_AFTER_SECONDS after its push is checked with STK Query, at most once per
    DONATION_QUERY_INTERVAL_SECONDS."""
    if donation.status != Status.PENDING or donation.pushed_at is None:
        return donation
    now = timezone.now()
    if now - donation.pushed_at < timedelta(seconds=settings.DONATION_QUERY_AFTER_SECONDS):
        return donation
    interval = timedelta(seconds=settings.DONATION_QUERY_INTERVAL_SECONDS)
    if donation.last_queried_at is not None and now - donation.last_queried_at < interval:
        return donation
    return donation_confirm(donation=donation)


@dataclass
class ReconcileReport:
    confirmed: int = 0
    still_pending: int = 0
    abandoned: int = 0


def donations_reconcile(*, older_than: timedelta) -> ReconcileReport:
    """Settles the current school's donations left open longer than `older_than`: pending
    ones are asked with STK Query (their callback was lost); ones never pushed (the process
    stopped between saving and pushing) are failed."""
    report = ReconcileReport()
    cutoff = timezone.now() - older_than
    abandoned = Donation.objects.filter(status=Status.INITIATED, created_at__lt=cutoff)
    for donation in abandoned:
        _donation_update(
            donation,
            expect=Status.INITIATED,
            status=Status.FAILED,
            result_description="The prompt was never sent.",
            completed_at=timezone.now(),
        )
        report.abandoned += 1
    for donation in Donation.objects.filter(status=Status.PENDING, pushed_at__lt=cutoff):
        donation = donation_confirm(donation=donation)
        if donation.status == Status.PENDING:
            report.still_pending += 1
        else:
            report.confirmed += 1
    return report
