"""manage.py daraja_check against the simulator over real HTTP: OAuth with the platform's or a
school's own credentials, refused keys, Daraja unreachable, and a prompt's answer by STK
Query. No donation is made, and no secret is printed."""

import io
import socket

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context
from wagtail.models import Site

from donations.models import Donation, DonationSettings

PLATFORM_KEY = "platform-key-4321"
PLATFORM_SECRET = "platform-secret-never-printed"  # noqa: S105 (a test value)
SCHOOL_KEY = "greenwood-key-9876"
SCHOOL_SECRET = "greenwood-secret-never-printed"  # noqa: S105
SCHOOL_PASSKEY = "greenwood-passkey-never-printed"


@pytest.fixture
def platform(simulator, settings, greenwood):
    settings.DARAJA_CONSUMER_KEY = PLATFORM_KEY
    settings.DARAJA_CONSUMER_SECRET = PLATFORM_SECRET
    simulator.consumers = {PLATFORM_KEY: PLATFORM_SECRET, SCHOOL_KEY: SCHOOL_SECRET}
    return simulator


def _check(*args) -> tuple[str, str | None]:
    """The command's output, and its error message (None when it succeeded)."""
    out = io.StringIO()
    try:
        call_command("daraja_check", *args, "--interval", "0.2", "--wait", "10", stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def _assert_no_secret(*texts):
    for text in texts:
        for secret in (PLATFORM_SECRET, SCHOOL_SECRET, SCHOOL_PASSKEY, PLATFORM_KEY, SCHOOL_KEY):
            assert secret not in (text or "")


def test_oauth_with_the_platforms_credentials(platform, settings):
    out, error = _check()
    assert error is None
    assert "Credentials: the platform's (DARAJA_* settings)" in out
    assert f"Daraja: {settings.DARAJA_BASE_URL}" in out
    assert f"Shortcode: {settings.DARAJA_SHORTCODE}" in out
    assert "Consumer key: ••••••••4321" in out
    assert "OAuth: succeeded" in out
    assert len(platform.requests_to("/oauth/v1/generate")) == 1
    assert platform.requests_to("/mpesa/stkpush/v1/processrequest") == []
    _assert_no_secret(out)


def test_a_fresh_token_is_asked_for_even_when_one_is_cached(platform):
    _check()
    _check()
    assert len(platform.requests_to("/oauth/v1/generate")) == 2


def test_refused_credentials_fail_with_the_reason(platform, settings):
    settings.DARAJA_CONSUMER_SECRET = "wrong-secret-never-printed"  # noqa: S105
    out, error = _check()
    assert error is not None
    assert "Daraja refused the consumer key and secret" in error
    assert "Invalid Authentication passed" in error
    assert "OAuth: succeeded" not in out
    _assert_no_secret(out, error)
    assert "wrong-secret-never-printed" not in out + error


def test_daraja_unreachable(platform, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]  # nothing listens there once the socket is closed
    settings.DARAJA_BASE_URL = f"http://127.0.0.1:{closed}"
    out, error = _check()
    assert error is not None
    assert error.startswith("OAuth failed: Daraja could not be reached.")
    assert f"Daraja: http://127.0.0.1:{closed}" in out


def test_daraja_answering_a_server_error(platform):
    platform.fail_next(status=503)
    _out, error = _check()
    assert error is not None
    assert "Daraja could not be reached" in error
    assert "503" in error


def test_no_credentials_at_all(platform, settings):
    settings.DARAJA_CONSUMER_KEY = ""
    out, error = _check()
    assert error == "Daraja is not configured: no consumer_key."
    assert "Consumer key: (not set)" in out


def test_a_prompt_that_is_paid(platform):
    out, error = _check("--phone", "0712 345 670")
    assert error is None, error
    assert "STK Push: accepted, a prompt for KES 1 went to 254712345670" in out
    assert "Result: paid (ResultCode 0: The service request is processed successfully.)" in out
    pushes = platform.requests_to("/mpesa/stkpush/v1/processrequest")
    assert len(pushes) == 1
    body = pushes[0].body
    assert (body["Amount"], body["PhoneNumber"], body["BusinessShortCode"]) == (
        1,
        "254712345670",
        "174379",
    )
    assert "/donations/callback/" in body["CallBackURL"]
    assert platform.requests_to("/mpesa/stkpushquery/v1/query")
    with schema_context("greenwood"):
        assert not Donation.objects.exists()
    _assert_no_secret(out)


def test_a_cancelled_prompt_fails_with_what_a_donor_would_be_told(platform):
    out, error = _check("--phone", "0712345671", "--amount", "5")
    assert "a prompt for KES 5 went to 254712345671" in out
    assert "Result: cancelled (ResultCode 1032: Request cancelled by user)" in out
    assert error is not None
    assert "The payment did not go through (cancelled, ResultCode 1032)" in error
    assert "You cancelled the M-Pesa prompt on your phone" in error


def test_a_wrong_pin(platform):
    _out, error = _check("--phone", "0712345672")
    assert error is not None
    assert "The M-Pesa PIN entered was wrong" in error


def test_a_refused_push(platform, settings):
    settings.DARAJA_SHORTCODE = "12"  # not a shortcode: Daraja refuses the push
    out, error = _check("--phone", "0712345670")
    assert "OAuth: succeeded" in out
    assert error is not None
    assert error.startswith("STK Push failed:")
    assert "Invalid BusinessShortCode" in error
    assert platform.requests_to("/mpesa/stkpushquery/v1/query") == []


def test_an_invalid_phone_sends_nothing(platform):
    _out, error = _check("--phone", "0201234567")
    assert error is not None
    assert "Enter a Safaricom M-Pesa number" in error
    assert platform.requests_to("/oauth/v1/generate") == []


def test_a_schools_own_credentials(platform, settings):
    with schema_context("greenwood"):
        site = Site.objects.get(is_default_site=True)
        DonationSettings.objects.filter(site=site).update(
            shortcode="600987",
            consumer_key=SCHOOL_KEY,
            consumer_secret=SCHOOL_SECRET,
            passkey=SCHOOL_PASSKEY,
            account_reference="Greenwood",
        )
    out, error = _check("--school", "greenwood", "--phone", "0712345679")
    assert error is None, error
    assert "Credentials: Greenwood" in out and "own (Settings > Donations)" in out
    assert "Shortcode: 600987" in out
    assert "Consumer key: ••••••••9876" in out
    body = platform.requests_to("/mpesa/stkpush/v1/processrequest")[0].body
    assert (body["BusinessShortCode"], body["AccountReference"]) == ("600987", "Greenwood")
    assert "greenwood" in body["CallBackURL"]
    _assert_no_secret(out)


def test_a_school_without_its_own_account_uses_the_platforms(platform):
    out, error = _check("--school", "greenwood")
    assert error is None, error
    assert "the platform's (DARAJA_* settings)" in out
    assert "has no account of its own" in out
    assert "Consumer key: ••••••••4321" in out


def test_an_unknown_school(platform):
    _out, error = _check("--school", "nowhere")
    assert error == "No school has the slug 'nowhere'."
