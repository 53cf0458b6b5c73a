"""Daraja failing at each step, through the visitor's own requests: the simulator answering
500 or too late at OAuth, at STK Push and at STK Query. Each time the visitor gets a clear
answer (never a 500), the rows are exactly what happened (none lost, none doubled), and the
next request works. test_views.py covers a 503 at OAuth, a 500 at the push, a timeout at
OAuth and missing credentials; these are the other cells of that table."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from donations import selectors
from donations.daraja import Credentials, DarajaClient
from donations.models import Donation, Status
from donations.tests.factories import demo_page, pending_donation

pytestmark = pytest.mark.django_db

FORM = {"preset": "250", "custom_amount": "", "phone": "0712 345 670", "donor_name": "Wanjiku"}
PUSH = "/mpesa/stkpush/v1/processrequest"
QUERY = "/mpesa/stkpushquery/v1/query"


def _donate(school, address):
    url = reverse("donations:donation-create", args=[demo_page().pk])
    return client_for(school).post(url, FORM, REMOTE_ADDR=address)


@pytest.mark.parametrize("fault", ["500 at OAuth", "timeout at the push"])
def test_a_fault_before_the_prompt_fails_one_row_and_the_retry_pushes(
    school, simulator, settings, fault
):
    if fault == "500 at OAuth":
        simulator.fail_next(status=500)  # no token cached: OAuth is the first request
    else:
        DarajaClient(Credentials.platform()).access_token()  # cached: the push comes first
        settings.DARAJA_READ_TIMEOUT = 0.3
        simulator.stall_next(seconds=1.5)

    response = _donate(school, "10.0.0.1")

    assert response.status_code == 302
    [failed] = Donation.objects.all()
    assert failed.status == Status.FAILED and failed.completed_at is not None
    assert not failed.checkout_request_id  # no prompt of ours is pending anywhere
    page = client_for(school).get(response["Location"])
    assert page.status_code == 200
    assert str(selectors.MESSAGE_UNAVAILABLE) in page.content.decode()
    status = client_for(school).get(f"{response['Location']}status/").json()
    assert status["done"] is True and status["status"] == "failed"

    retry = _donate(school, "10.0.0.2")

    assert retry.status_code == 302 and retry["Location"] != response["Location"]
    assert Donation.objects.count() == 2
    again = Donation.objects.exclude(pk=failed.pk).get()
    assert again.status == Status.PENDING and again.checkout_request_id
    assert Donation.objects.get(pk=failed.pk).status == Status.FAILED  # left as it was
    pushes = simulator.requests_to(PUSH)
    assert pushes[-1].body["CallBackURL"].endswith(f"/{again.callback_token}/")


@pytest.mark.parametrize("fault", ["500 at the query", "timeout at the query", "500 at OAuth"])
def test_a_fault_at_stk_query_keeps_the_donation_pending_and_the_next_check_settles_it(
    school, simulator, settings, fault
):
    donation = pending_donation(phone="0712345674")  # pays; the callback never comes
    simulator.answer_now(donation.checkout_request_id)
    Donation.objects.filter(pk=donation.pk).update(pushed_at=timezone.now() - timedelta(seconds=31))
    if fault == "500 at the query":
        simulator.fail_next(status=500)
    elif fault == "timeout at the query":
        settings.DARAJA_READ_TIMEOUT = 0.3
        simulator.stall_next(seconds=1.5)
    else:
        cache.clear()  # the token has to be fetched again, and that fails
        simulator.fail_next(status=500)
    url = f"/donations/{donation.reference}/status/"
    queries_before = len(simulator.requests_to(QUERY))

    status = client_for(school).get(url)

    assert status.status_code == 200
    assert status.json()["done"] is False  # the waiting page keeps waiting
    assert status.json()["message"] == selectors.MESSAGE_WAITING.format(amount="100")
    [row] = Donation.objects.all()
    assert row.status == Status.PENDING and row.last_queried_at is not None
    page = client_for(school).get(f"/donations/{donation.reference}/")
    assert page.status_code == 200

    # The next check, once the interval has passed, asks again and settles it.
    Donation.objects.filter(pk=donation.pk).update(
        last_queried_at=timezone.now() - timedelta(seconds=16)
    )
    status = client_for(school).get(url).json()

    assert status["done"] is True and status["status"] == "paid"
    assert len(simulator.requests_to(QUERY)) > queries_before
    [row] = Donation.objects.all()
    assert row.status == Status.PAID and row.completed_at is not None
