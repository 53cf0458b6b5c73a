"""Donating through real requests: the form on a public media page, the push to the
simulator, the waiting page and its status checks (with STK Query after 30 s, at most every
15 s), the limits, and a Daraja outage or timeout that fails the donation without a 500."""

import io
import re
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tenants.utils import schema_context
from wagtail.models import Site

from conftest import client_as, client_for, run_committed
from donations import selectors, services
from donations.daraja import Credentials, DarajaClient
from donations.models import Donation, DonationSettings, Status
from donations.phones import ERROR_PHONE
from donations.simulator import OUTCOMES
from donations.tests.factories import demo_page, donation_row, pending_donation
from media_library.models import MediaPage, SchoolMediaSettings

pytestmark = pytest.mark.django_db

FORM = {"preset": "250", "custom_amount": "", "phone": "0712 345 670", "donor_name": "Wanjiku"}


def _donate(school, data=None, *, page=None, address="10.0.0.1"):
    page = page or demo_page()
    url = reverse("donations:donation-create", args=[page.pk])
    return client_for(school).post(url, {**FORM, **(data or {})}, REMOTE_ADDR=address)


def _switch(**fields):
    with schema_context("greenwood"):
        site = Site.objects.get(is_default_site=True)
        DonationSettings.objects.filter(site=site).update(**fields)


def test_the_public_demo_page_shows_the_donate_form(school):
    page = demo_page()
    response = client_for(school).get(f"/work/{page.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Support our young artists" in html
    assert f'action="/donate/{page.pk}/"' in html
    assert "Donate with M-Pesa" in html
    for preset in ("100", "250", "500", "1,000"):
        assert f">{preset}</label>" in html


def test_no_form_when_the_school_has_donations_off(school):
    _switch(enabled=False)
    page = demo_page()
    assert "Donate with M-Pesa" not in client_for(school).get(f"/work/{page.pk}/").content.decode()
    assert _donate(school).status_code == 404


def test_no_form_when_the_school_does_not_share_publicly(school):
    with schema_context("greenwood"):
        site = Site.objects.get(is_default_site=True)
        SchoolMediaSettings.objects.update_or_create(site=site, defaults={"allow_public": False})
    assert _donate(school).status_code == 404


def test_only_public_pages_with_a_donate_block_take_donations(school):
    school_only = MediaPage.objects.get(title="Still life with mangoes")  # visibility: school
    assert _donate(school, page=school_only).status_code == 404
    response = client_as(school, "brian").get(f"/work/{school_only.pk}/")
    assert "Donate with M-Pesa" not in response.content.decode()


def test_donating_pushes_and_shows_the_waiting_page(school, simulator):
    response = _donate(school)

    donation = Donation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/donations/{donation.reference}/"
    assert (donation.status, donation.amount, donation.phone) == (
        Status.PENDING,
        250,
        "254712345670",
    )
    assert donation.donor_name == "Wanjiku"
    assert donation.classroom.name == "Art"
    [push] = simulator.requests_to("/mpesa/stkpush/v1/processrequest")
    assert push.body["CallBackURL"] == (
        f"http://greenwood.localhost:9/donations/callback/{donation.callback_token}/"
    )
    assert push.body["AccountReference"] == "Greenwood Ac"
    assert donation.checkout_request_id and donation.merchant_request_id

    page = client_for(school).get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert selectors.MESSAGE_WAITING.format(amount="250") in html
    assert 'id="donation-countdown"' in html
    assert re.search(r'<script src="/static/js/donation\.js">', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script (CSP)


def test_the_callback_url_is_the_schools_host_and_port(school, settings):
    settings.DARAJA_CALLBACK_BASE_URL = ""
    settings.PLATFORM_SCHEME, settings.PLATFORM_PORT = "https", 443
    donation = Donation(callback_token="abc")
    assert services.callback_url(donation) == "https://greenwood.localhost/donations/callback/abc/"
    settings.PLATFORM_SCHEME, settings.PLATFORM_PORT = "http", 8123
    assert services.callback_url(donation) == (
        "http://greenwood.localhost:8123/donations/callback/abc/"
    )
    settings.DARAJA_CALLBACK_BASE_URL = "https://{host}.tunnel.example/"
    assert services.callback_url(donation) == (
        "https://greenwood.localhost.tunnel.example/donations/callback/abc/"
    )


def test_a_custom_amount_wins_over_the_preset(school, simulator):
    _donate(school, {"preset": "", "custom_amount": "75"})
    assert Donation.objects.get().amount == 75


@pytest.mark.parametrize(
    "data, field_error",
    [
        ({"phone": "0202345678"}, str(ERROR_PHONE)),
        ({"preset": "", "custom_amount": ""}, "Choose an amount"),
        ({"preset": "", "custom_amount": "5"}, "Give between KES 10 and KES 150,000"),
        ({"preset": "", "custom_amount": "200000"}, "Give between KES 10 and KES 150,000"),
    ],
)
def test_form_errors_say_what_to_do(school, simulator, data, field_error):
    response = _donate(school, data)
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not Donation.objects.exists()
    assert simulator.requests_to("/mpesa/stkpush/v1/processrequest") == []


def test_one_pending_prompt_per_phone_per_minute(school, simulator):
    _donate(school)
    again = _donate(school, address="10.0.0.2")
    assert again.status_code == 400
    assert str(services.ERROR_PHONE_BUSY) in again.content.decode()
    assert Donation.objects.count() == 1

    Donation.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    assert _donate(school, address="10.0.0.2").status_code == 302


def test_a_finished_donation_does_not_block_the_phone(school, simulator):
    _donate(school)
    Donation.objects.update(status=Status.CANCELLED)
    assert _donate(school).status_code == 302


def test_attempts_per_address_are_limited(school, simulator, settings):
    settings.DONATION_RATE_LIMIT = 2
    assert _donate(school, {"phone": "0712345670"}).status_code == 302
    assert _donate(school, {"phone": "0712345679"}).status_code == 302
    third = _donate(school, {"phone": "0712345678"})
    assert third.status_code == 429
    assert str(services.ERROR_RATE_LIMITED) in third.content.decode()
    # Another address is not affected; nor is another school.
    assert _donate(school, {"phone": "0712345678"}, address="10.9.9.9").status_code == 302
    assert Donation.objects.count() == 3
    assert set(Donation.objects.values_list("client_key", flat=True)) == {
        services.client_key("10.0.0.1"),
        services.client_key("10.9.9.9"),
    }


PUSH = "/mpesa/stkpush/v1/processrequest"


def _pushes_to(simulator, phone="254712345670") -> int:
    return sum(1 for r in simulator.requests_to(PUSH) if r.body["PhoneNumber"] == phone)


def test_prompts_per_phone_per_day_are_limited(school, simulator, settings):
    settings.DONATION_PHONE_DAILY_LIMIT = 3
    # Each attempt from its own address and once the last one ended: only the daily cap acts.
    simulator.fail_next(status=503)  # a prompt tried but not sent counts too
    for attempt in range(3):
        assert _donate(school, address=f"10.0.1.{attempt}").status_code == 302
        Donation.objects.update(status=Status.CANCELLED)
    assert Donation.objects.filter(pushed_at=None).count() == 1  # the one Daraja refused
    assert _pushes_to(simulator) == 2

    fourth = _donate(school, address="10.0.1.9")

    assert fourth.status_code == 429
    assert str(services.ERROR_PHONE_DAILY_LIMIT) in fourth.content.decode()
    assert _pushes_to(simulator) == 2  # no prompt reached the phone
    assert Donation.objects.count() == 3  # and no row: refused attempts leave none
    # Another phone is not affected.
    assert _donate(school, {"phone": "0712345679"}, address="10.0.1.9").status_code == 302
    # A day later, the phone may be asked again.
    Donation.objects.update(created_at=timezone.now() - timedelta(days=1, seconds=1))
    assert _donate(school, address="10.0.1.10").status_code == 302


def test_the_daily_cap_of_a_phone_counts_every_school(school, simulator, settings):
    settings.DONATION_PHONE_DAILY_LIMIT = 2
    with schema_context("riverside"):  # someone has this phone prompted from another school
        for _ in range(2):
            donation_row(classroom="Music", status=Status.CANCELLED, phone="254712345670")

    refused = _donate(school)

    assert refused.status_code == 429
    assert str(services.ERROR_PHONE_DAILY_LIMIT) in refused.content.decode()
    assert _pushes_to(simulator) == 0
    assert not Donation.objects.exists()
    assert _donate(school, {"phone": "0712345679"}).status_code == 302


def test_a_schools_attempts_per_minute_are_limited(school, simulator, settings):
    settings.DONATION_SCHOOL_RATE_PER_MINUTE = 2
    for digit in "09":
        response = _donate(school, {"phone": f"071234567{digit}"}, address=f"10.0.2.{digit}")
        assert response.status_code == 302

    busy = _donate(school, {"phone": "0712345678"}, address="10.0.2.8")

    assert busy.status_code == 429
    assert str(services.ERROR_SCHOOL_BUSY) in busy.content.decode()
    assert _pushes_to(simulator, "254712345678") == 0
    assert Donation.objects.count() == 2
    # Another school takes its own donations as usual.
    with schema_context("riverside"):
        river = MediaPage.objects.get(title="River at dawn")
    response = client_for("riverside.localhost").post(
        reverse("donations:donation-create", args=[river.pk]),
        {**FORM, "phone": "0712345678"},
        REMOTE_ADDR="10.0.2.8",
    )
    assert response.status_code == 302
    assert _pushes_to(simulator, "254712345678") == 1
    # A minute later, this school does too.
    with schema_context("greenwood"):
        Donation.objects.update(created_at=timezone.now() - timedelta(seconds=61))
        assert _donate(school, {"phone": "0712345670"}, address="10.0.2.8").status_code == 302


@pytest.mark.parametrize(
    "first_school, second_phone, limit, error",
    [
        ("greenwood", "0712345679", "DONATION_SCHOOL_RATE_PER_MINUTE", services.ERROR_SCHOOL_BUSY),
        ("riverside", "0712345670", "DONATION_PHONE_DAILY_LIMIT", services.ERROR_PHONE_DAILY_LIMIT),
    ],
)
def test_attempts_at_the_same_time_wait_for_each_other(
    school, settings, first_school, second_phone, limit, error
):
    """One place left, and two attempts at once (each on its own connection, committed):
    the second waits for the first to commit, counts it, and is refused."""
    setattr(settings, limit, 1)
    saved, release, outcome = threading.Event(), threading.Event(), {}
    pages = {"greenwood": "Sunset over the lake", "riverside": "River at dawn"}

    def attempt(slug, phone, address, hold=False):
        def work():
            try:
                with schema_context(slug), transaction.atomic():
                    services.donation_create(
                        page=MediaPage.objects.get(title=pages[slug]),
                        amount=100,
                        phone=phone,
                        client_address=address,
                    )
                    if hold:
                        saved.set()
                        release.wait(10)
                outcome[address] = "saved"
            except ValidationError as refused:
                outcome[address] = refused.messages
            finally:
                saved.set()
                connection.close()

        return threading.Thread(target=work)

    first = attempt(first_school, "0712345670", "10.0.4.1", hold=True)
    second = attempt("greenwood", second_phone, "10.0.4.2")
    try:
        first.start()
        assert saved.wait(10)
        second.start()
        second.join(0.5)
        assert second.is_alive()  # waiting for the first one's transaction
        release.set()
        first.join(10)
        second.join(10)
        assert outcome == {"10.0.4.1": "saved", "10.0.4.2": [error]}
    finally:
        release.set()
        for thread in (first, second):
            if thread.is_alive() or thread.ident:
                thread.join(10)

        def clean_up():
            for slug in pages:
                with schema_context(slug):
                    Donation.objects.filter(
                        client_key__in=[
                            services.client_key("10.0.4.1"),
                            services.client_key("10.0.4.2"),
                        ]
                    ).delete()

        run_committed(clean_up)


@pytest.mark.parametrize("fault", ["503", "500 on push", "timeout", "not configured"])
def test_a_daraja_outage_fails_the_donation_and_lets_the_visitor_retry(
    school, simulator, settings, fault
):
    if fault == "503":
        simulator.fail_next(status=503)
    elif fault == "500 on push":
        DarajaClient(Credentials.platform()).access_token()  # cached: the push comes first
        simulator.fail_next(status=500)
    elif fault == "timeout":
        settings.DARAJA_READ_TIMEOUT = 0.3
        simulator.stall_next(seconds=1.5)
    else:
        settings.DARAJA_CONSUMER_KEY = ""

    response = _donate(school)

    donation = Donation.objects.get()
    assert response.status_code == 302
    assert donation.status == Status.FAILED
    assert donation.result_description  # the technical reason, for the school
    page = client_for(school).get(response["Location"]).content.decode()
    assert str(selectors.MESSAGE_UNAVAILABLE) in page
    assert f'href="/donate/{demo_page().pk}/?amount=250">Try again' in page
    # The phone is free again at once.
    assert _donate(school, address="10.0.0.2").status_code == 302


def _status(school, donation):
    return client_for(school).get(f"/donations/{donation.reference}/status/").json()


def test_status_is_checked_with_stk_query_after_30_seconds_at_most_every_15(school, simulator):
    donation = pending_donation(phone="0712345674")  # the callback never comes
    queries = lambda: len(simulator.requests_to("/mpesa/stkpushquery/v1/query"))  # noqa: E731

    assert _status(school, donation)["done"] is False
    assert queries() == 0  # too early

    Donation.objects.filter(pk=donation.pk).update(pushed_at=timezone.now() - timedelta(seconds=31))
    assert _status(school, donation)["done"] is False  # the customer has not answered yet
    assert queries() == 1
    assert _status(school, donation)["done"] is False
    assert queries() == 1  # not again within 15 s

    simulator.answer_now(donation.checkout_request_id)
    Donation.objects.filter(pk=donation.pk).update(
        last_queried_at=timezone.now() - timedelta(seconds=16)
    )
    status = _status(school, donation)
    assert queries() == 2
    assert status["done"] is True
    assert status["status"] == "paid"
    assert status["receipt"] == selectors.MESSAGE_RECEIPT_LATER


def test_the_waiting_page_of_a_failed_donation_says_why(school, simulator):
    donation = pending_donation(phone="0712345672")
    simulator.answer_now(donation.checkout_request_id)
    services.donation_confirm(donation=donation)
    html = client_for(school).get(f"/donations/{donation.reference}/").content.decode()
    assert str(selectors.RESULT_MESSAGES[2001]) in html
    assert "Try again" in html


def test_an_unknown_reference_is_404(school):
    assert (
        client_for(school).get("/donations/00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )
    assert client_for(school).get("/donations/not-a-uuid/status/").status_code == 404


def test_another_schools_donation_is_404(school, riverside, simulator):
    donation = pending_donation()
    assert client_for(riverside).get(f"/donations/{donation.reference}/").status_code == 404


def test_reconciliation_settles_a_donation_whose_callback_never_came(school, simulator):
    lost = pending_donation(phone="0712345674")  # paid, but no callback
    cancelled = pending_donation(phone="0712345671")
    recent = pending_donation(phone="0712345679")
    never_pushed = services.donation_create(
        page=demo_page(), amount=100, phone="0712345678", client_address="10.0.0.3"
    )
    for donation in (lost, cancelled):
        simulator.answer_now(donation.checkout_request_id)
    old = timezone.now() - timedelta(minutes=5)
    Donation.objects.filter(pk__in=[lost.pk, cancelled.pk]).update(pushed_at=old)
    Donation.objects.filter(pk=never_pushed.pk).update(created_at=old)

    out = io.StringIO()
    call_command("reconcile_donations", "--school", "greenwood", stdout=out)
    assert out.getvalue() == "greenwood: 2 settled, 0 still pending, 1 never pushed\n"

    with schema_context("greenwood"):
        statuses = dict(Donation.objects.values_list("pk", "status"))
    assert statuses == {
        lost.pk: Status.PAID,
        cancelled.pk: Status.CANCELLED,
        recent.pk: Status.PENDING,  # its prompt may still be answered
        never_pushed.pk: Status.FAILED,
    }


@pytest.mark.parametrize("digit", list("0123456789"))
def test_each_simulator_outcome_shows_its_own_message(school, simulator, digit):
    donation = pending_donation(phone=f"071234567{digit}")
    simulator.answer_now(donation.checkout_request_id)
    donation = services.donation_confirm(donation=donation)
    outcome = selectors.donation_outcome(donation)
    code = OUTCOMES[digit].result_code
    assert outcome.done
    if code == 0:
        assert (donation.status, outcome.message) == (
            Status.PAID,
            selectors.MESSAGE_THANKS.format(amount="100"),
        )
    else:
        assert outcome.message == selectors.RESULT_MESSAGES[code]
    html = client_for(school).get(f"/donations/{donation.reference}/").content.decode()
    assert escape(outcome.message) in html
