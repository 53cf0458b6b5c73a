"""The Daraja client over real HTTP against the simulator: the requests it sends (as Daraja
documents them), the token cached until shortly before it expires, and typed errors for
refusals, server errors and timeouts. Phone numbers are normalised before any of it."""

import base64
import time
from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from donations import daraja
from donations.daraja import Credentials, DarajaClient
from donations.phones import ERROR_PHONE, InvalidPhone, normalise_phone

SANDBOX_PASSKEY = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("0712345678", "254712345678"),
        ("0712 345 678", "254712345678"),
        ("0112345678", "254112345678"),
        ("+254712345678", "254712345678"),
        ("+254 (0)712-345-678", "254712345678"),
        ("254712345678", "254712345678"),
        ("254112345678", "254112345678"),
    ],
)
def test_phone_numbers_are_normalised(typed, expected):
    assert normalise_phone(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "0712", "07123456789", "0202345678", "+14155550100", "not a phone"]
)
def test_other_numbers_are_refused_with_the_message(typed):
    with pytest.raises(InvalidPhone) as error:
        normalise_phone(typed)
    assert str(error.value) == ERROR_PHONE


def test_timestamp_is_nairobi_time():
    assert daraja.timestamp(datetime(2026, 1, 31, 21, 30, 5, tzinfo=UTC)) == "20260201003005"


def _client(simulator, **changes) -> DarajaClient:
    values = {
        "base_url": simulator.url,
        "consumer_key": "key",
        "consumer_secret": "secret",
        "shortcode": "174379",
        "passkey": SANDBOX_PASSKEY,
    }
    return DarajaClient(Credentials(**{**values, **changes}))


def _push(client, phone="254712345670"):
    return client.stk_push(
        amount=100,
        phone=phone,
        callback_url="http://greenwood.localhost:9/donations/callback/x/",
        account_reference="Greenwood Academy",
        description="Donation to the art class",
    )


def test_stk_push_sends_what_daraja_documents(simulator):
    accepted = _push(_client(simulator))

    assert accepted.checkout_request_id.startswith("ws_CO_")
    [token_request] = simulator.requests_to("/oauth/v1/generate")
    assert (
        token_request.headers["Authorization"]
        == "Basic " + base64.b64encode(b"key:secret").decode()
    )
    [push] = simulator.requests_to("/mpesa/stkpush/v1/processrequest")
    body = push.body
    assert push.headers["Authorization"].startswith("Bearer ")
    assert (
        body["Password"]
        == base64.b64encode(f"174379{SANDBOX_PASSKEY}{body['Timestamp']}".encode()).decode()
    )
    assert body["BusinessShortCode"] == body["PartyB"] == "174379"
    assert body["TransactionType"] == "CustomerPayBillOnline"
    assert body["Amount"] == 100
    assert body["PartyA"] == body["PhoneNumber"] == "254712345670"
    assert body["AccountReference"] == "Greenwood Ac"  # 12 characters at most
    assert body["TransactionDesc"] == "Donation to t"  # 13 at most


def test_buy_goods_pays_the_till(simulator):
    client = _client(simulator, transaction_type="CustomerBuyGoodsOnline", party_b="5544332")
    _push(client)
    [push] = simulator.requests_to("/mpesa/stkpush/v1/processrequest")
    assert push.body["TransactionType"] == "CustomerBuyGoodsOnline"
    assert push.body["PartyB"] == "5544332"
    assert push.body["BusinessShortCode"] == "174379"


def test_the_token_is_cached_until_shortly_before_it_expires(simulator):
    client = _client(simulator)
    _push(client)
    _push(_client(simulator), phone="254712345679")  # another client, same Daraja app
    assert len(simulator.requests_to("/oauth/v1/generate")) == 1
    # LocMemCache keeps each key's expiry as a timestamp: the token lives 3599 - 60 seconds.
    [key] = [k for k in cache._expire_info if "daraja-token" in k]
    remaining = cache._expire_info[key] - time.time()
    assert 3599 - daraja.TOKEN_EXPIRY_MARGIN - 5 < remaining <= 3599 - daraja.TOKEN_EXPIRY_MARGIN

    cache.clear()  # as when it has expired
    _push(client, phone="254712345678")
    assert len(simulator.requests_to("/oauth/v1/generate")) == 2


def test_a_token_daraja_no_longer_takes_is_replaced_once(simulator):
    client = _client(simulator)
    _push(client)
    simulator.state.tokens.clear()  # Daraja forgets it before it expires
    _push(client, phone="254712345679")
    assert len(simulator.requests_to("/oauth/v1/generate")) == 2
    assert len(simulator.requests_to("/mpesa/stkpush/v1/processrequest")) == 3  # one refused


def test_other_credentials_get_their_own_token(simulator):
    _push(_client(simulator))
    _push(_client(simulator, consumer_key="other-school"), phone="254712345679")
    assert len(simulator.requests_to("/oauth/v1/generate")) == 2


def test_stk_query_says_processing_then_the_result(simulator):
    client = _client(simulator)
    accepted = _push(client, phone="254712345671")  # the customer cancels

    first = client.stk_query(checkout_request_id=accepted.checkout_request_id)
    assert first.processing

    simulator.answer_now(accepted.checkout_request_id)
    result = client.stk_query(checkout_request_id=accepted.checkout_request_id)
    assert (result.result_code, result.result_description) == (1032, "Request cancelled by user")


def test_server_errors_are_daraja_unavailable(simulator):
    simulator.fail_next(status=503)
    with pytest.raises(daraja.DarajaUnavailable, match="503"):
        _push(_client(simulator))


def test_a_server_error_on_the_push_itself(simulator):
    client = _client(simulator)
    client.access_token()
    simulator.fail_next(status=500)
    with pytest.raises(daraja.DarajaUnavailable, match="STK Push: Daraja answered 500"):
        _push(client)


def test_a_slow_daraja_is_a_timeout(simulator, settings):
    settings.DARAJA_READ_TIMEOUT = 0.3
    simulator.stall_next(seconds=1.5)
    with pytest.raises(daraja.DarajaTimeout, match="did not answer in time"):
        _push(_client(simulator))


def test_nothing_listening_is_unavailable(settings):
    client = DarajaClient(
        Credentials("http://127.0.0.1:9", "key", "secret", "174379", SANDBOX_PASSKEY)
    )
    with pytest.raises(daraja.DarajaUnavailable, match="could not be reached"):
        client.access_token()


def test_refused_credentials_are_auth_failed(simulator):
    simulator.consumers = {"key": "secret"}
    assert _client(simulator).access_token()
    with pytest.raises(daraja.DarajaAuthFailed, match="refused the credentials"):
        _client(simulator, consumer_secret="wrong").access_token()


def test_a_refused_push_says_why(simulator):
    with pytest.raises(daraja.DarajaRejected, match="Invalid PartyA") as error:
        _push(_client(simulator), phone="255712345670")
    assert error.value.error_code == "400.002.02"


def test_missing_credentials_are_not_configured():
    with pytest.raises(daraja.DarajaNotConfigured, match="consumer_key, consumer_secret"):
        DarajaClient(Credentials("http://127.0.0.1:9", "", "", "174379", "passkey"))
