"""Daraja's callback answers at once; the confirmation (STK Query) is run by the real worker
(`manage.py db_worker`, a process of its own), in the donation's school, and tried again
when Daraja is down. The donation and the callback are committed (the worker sees nothing
else), then removed, leaving the demo as seeded."""

import json

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import schema_context

from conftest import client_for, run_committed, run_worker
from core.worker import attempts
from donations.models import Donation, Status
from donations.tests.conftest import payload
from donations.tests.factories import pending_donation
from donations.views import CALLBACK_ACCEPTED

pytestmark = pytest.mark.django_db
QUERY = "/mpesa/stkpushquery/v1/query"


@pytest.fixture
def called_back(task_queue, simulator, greenwood):
    """A pending donation whose success callback was posted (and committed): the response
    and the donation."""
    made = {}

    def donate_and_call_back():
        with schema_context(greenwood.schema_name):
            donation = pending_donation()
        simulator.answer_now(donation.checkout_request_id)
        body = payload(
            "success",
            CheckoutRequestID=donation.checkout_request_id,
            MerchantRequestID=donation.merchant_request_id,
            Amount=float(donation.amount),
            PhoneNumber=int(donation.phone),
        )
        url = reverse("donations:donation-callback", args=[donation.callback_token])
        made["response"] = client_for(greenwood).post(
            url, data=json.dumps(body), content_type="application/json"
        )
        made["donation"] = donation

    run_committed(donate_and_call_back)
    yield made["response"], made["donation"]

    def delete():
        with schema_context(greenwood.schema_name):
            Donation.objects.filter(pk=made["donation"].pk).delete()

    run_committed(delete)


def _status(donation) -> str:
    with schema_context("greenwood"):
        return Donation.objects.get(pk=donation.pk).status


def test_the_callback_answers_at_once_and_the_worker_confirms(called_back, simulator):
    response, donation = called_back
    assert response.status_code == 200 and response.json() == CALLBACK_ACCEPTED
    assert _status(donation) == Status.PENDING  # the request only queued the confirmation
    assert simulator.requests_to(QUERY) == []

    result = run_worker()

    assert result.returncode == 0, result.stdout + result.stderr
    assert _status(donation) == Status.PAID
    assert len(simulator.requests_to(QUERY)) == 1


def test_the_worker_asks_again_when_daraja_is_down(called_back, simulator):
    _, donation = called_back
    simulator.fail_next(503)  # the worker's first call to Daraja

    result = run_worker(TASK_RETRY_DELAY_SECONDS="0")  # tried again at once

    assert result.returncode == 0, result.stdout + result.stderr
    assert _status(donation) == Status.PAID
    [row] = DBTaskResult.objects.filter(task_path__endswith="donation_confirm_task")
    assert row.status == "SUCCESSFUL" and attempts(row) == 2
