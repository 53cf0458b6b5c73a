"""Daraja's callback, with recorded payloads (donations/tests/data/): success (confirmed by
STK Query against the simulator), each failure in plain words, and what must change nothing:
a forged token, a duplicate, malformed JSON, an amount or phone that does not match, an
unknown CheckoutRequestID."""

import json

import pytest
from django.urls import reverse
from django_tenants.utils import schema_context

from conftest import client_for
from donations import selectors
from donations.models import Donation, Status
from donations.tests.conftest import payload
from donations.tests.factories import pending_donation
from donations.views import CALLBACK_ACCEPTED

pytestmark = pytest.mark.django_db


def _post(school, token, body):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    url = reverse("donations:donation-callback", args=[token])
    return client_for(school).post(url, data=data, content_type="application/json")


def _success(donation, **changes):
    values = {
        "CheckoutRequestID": donation.checkout_request_id,
        "MerchantRequestID": donation.merchant_request_id,
        "Amount": float(donation.amount),
        "PhoneNumber": int(donation.phone),
        **changes,
    }
    return payload("success", **values)


def _unchanged(donation) -> bool:
    with schema_context("greenwood"):
        fresh = Donation.objects.get(pk=donation.pk)
    return (fresh.status, fresh.mpesa_receipt, fresh.result_code, fresh.updated_at) == (
        donation.status,
        donation.mpesa_receipt,
        donation.result_code,
        donation.updated_at,
    )


def test_success_is_paid_once_stk_query_confirms_it(
    school, simulator, django_capture_on_commit_callbacks
):
    donation = pending_donation()
    simulator.answer_now(donation.checkout_request_id)

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(school, donation.callback_token, _success(donation))

    assert response.status_code == 200
    assert response.json() == CALLBACK_ACCEPTED
    donation.refresh_from_db()
    assert donation.status == Status.PAID
    assert donation.mpesa_receipt == "NLJ7RT61SV"
    assert donation.transaction_date == "20191219102115"
    assert len(simulator.requests_to("/mpesa/stkpushquery/v1/query")) == 1
    outcome = selectors.donation_outcome(donation)
    assert outcome.message == selectors.MESSAGE_THANKS.format(amount="100")
    assert outcome.receipt == selectors.MESSAGE_RECEIPT.format(receipt="NLJ7RT61SV")


def test_success_stays_pending_until_stk_query_agrees(
    school, simulator, django_capture_on_commit_callbacks
):
    donation = pending_donation()  # the simulator has not "answered" yet: still processing

    with django_capture_on_commit_callbacks(execute=True):
        assert _post(school, donation.callback_token, _success(donation)).status_code == 200

    donation.refresh_from_db()
    assert donation.status == Status.PENDING
    assert donation.mpesa_receipt == "NLJ7RT61SV"  # kept, for when it is confirmed
    assert donation.last_queried_at is not None


@pytest.mark.parametrize(
    "recorded, status, code",
    [
        ("cancelled", Status.CANCELLED, 1032),
        ("timeout", Status.FAILED, 1037),
        ("wrong_pin", Status.FAILED, 2001),
        ("insufficient_funds", Status.FAILED, 1),
    ],
)
def test_failures_say_why_in_plain_words(school, simulator, recorded, status, code):
    donation = pending_donation()
    body = payload(recorded, CheckoutRequestID=donation.checkout_request_id)

    response = _post(school, donation.callback_token, body)

    assert response.json() == CALLBACK_ACCEPTED
    donation.refresh_from_db()
    assert (donation.status, donation.result_code) == (status, code)
    assert donation.mpesa_receipt is None
    assert selectors.donation_outcome(donation).message == selectors.RESULT_MESSAGES[code]


def test_a_forged_token_is_404_and_changes_nothing(school, simulator):
    donation = pending_donation()
    response = _post(school, "forged-" + donation.callback_token[7:], _success(donation))
    assert response.status_code == 404
    assert _unchanged(donation)


def test_another_schools_token_is_404(school, riverside, simulator):
    donation = pending_donation()
    assert _post(riverside, donation.callback_token, _success(donation)).status_code == 404
    assert _unchanged(donation)


def test_a_duplicate_changes_nothing(school, simulator, django_capture_on_commit_callbacks):
    donation = pending_donation()
    simulator.answer_now(donation.checkout_request_id)
    with django_capture_on_commit_callbacks(execute=True):
        _post(school, donation.callback_token, _success(donation))
    paid = Donation.objects.get(pk=donation.pk)

    with django_capture_on_commit_callbacks(execute=True):
        again = _post(school, donation.callback_token, _success(donation))
        failed = _post(
            school,
            donation.callback_token,
            payload("cancelled", CheckoutRequestID=donation.checkout_request_id),
        )

    assert again.json() == failed.json() == CALLBACK_ACCEPTED
    assert _unchanged(paid)
    assert len(simulator.requests_to("/mpesa/stkpushquery/v1/query")) == 1


@pytest.mark.parametrize("body", [b"{not json", b"", b"[]", "malformed"])
def test_malformed_json_is_400_and_changes_nothing(school, simulator, body):
    donation = pending_donation()
    if body == "malformed":
        body = payload("malformed")
    response = _post(school, donation.callback_token, body)
    assert response.status_code == 400
    assert _unchanged(donation)


@pytest.mark.parametrize(
    "changes", [{"Amount": 1.0}, {"Amount": 1000.0}, {"PhoneNumber": 254799999999}]
)
def test_an_amount_or_phone_that_does_not_match_changes_nothing(
    school, simulator, django_capture_on_commit_callbacks, changes
):
    donation = pending_donation()
    simulator.answer_now(donation.checkout_request_id)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(school, donation.callback_token, _success(donation, **changes))
    assert response.json() == CALLBACK_ACCEPTED
    assert _unchanged(donation)
    assert simulator.requests_to("/mpesa/stkpushquery/v1/query") == []


def test_an_unknown_checkout_request_id_is_404_and_changes_nothing(school, simulator):
    donation = pending_donation()
    body = _success(donation, CheckoutRequestID="ws_CO_000000000000000000")
    assert _post(school, donation.callback_token, body).status_code == 404
    assert _unchanged(donation)


def test_a_receipt_already_used_changes_nothing(
    school, simulator, django_capture_on_commit_callbacks
):
    first = pending_donation(phone="0712345670")
    simulator.answer_now(first.checkout_request_id)
    with django_capture_on_commit_callbacks(execute=True):
        _post(school, first.callback_token, _success(first))
    second = pending_donation(phone="0712345679")
    assert _post(school, second.callback_token, _success(second)).status_code == 200
    assert _unchanged(second)


def test_only_post(school, simulator):
    donation = pending_donation()
    url = reverse("donations:donation-callback", args=[donation.callback_token])
    assert client_for(school).get(url).status_code == 405
