"""A donate block shows only on work of a student whose family consented to donations, and
a donation cannot be started on other work, whatever is posted."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for, user_named
from donations import selectors, services
from donations.models import Donation
from donations.tests.factories import demo_page
from families import consent
from families.models import Purpose

pytestmark = pytest.mark.django_db

FORM = {"preset": "250", "custom_amount": "", "phone": "0712 345 670", "donor_name": "Wanjiku"}


def _withdraw_donations(page):
    consent.consent_withdraw(
        student=page.owner,
        purpose=Purpose.DONATIONS,
        by=user_named("admin@greenwood.test"),
        note="Letter of 2 May",
    )


def test_no_donate_block_without_donation_consent(school):
    page = demo_page()
    assert "Donate with M-Pesa" in client_for(school).get(f"/work/{page.pk}/").content.decode()
    _withdraw_donations(page)
    html = client_for(school).get(f"/work/{page.pk}/").content.decode()
    assert "Donate with M-Pesa" not in html and "Support our young artists" not in html
    url = reverse("donations:donation-create", args=[page.pk])
    assert client_for(school).post(url, FORM, REMOTE_ADDR="10.0.0.1").status_code == 404
    assert not Donation.objects.exists()


def test_the_service_refuses_a_donation_without_consent(school):
    page = demo_page()
    _withdraw_donations(page)
    with pytest.raises(ValidationError) as refused:
        services.donation_create(
            page=page, amount=250, phone="0712345670", client_address="10.0.0.1"
        )
    assert refused.value.messages == [selectors.ERROR_NO_DONATIONS_HERE]
    assert not Donation.objects.exists()
