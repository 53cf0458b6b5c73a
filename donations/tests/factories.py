"""Donations for tests: made through the services (with a real push to the simulator) or,
for reports, as plain rows."""

from __future__ import annotations

import secrets

from django.utils import timezone

from classrooms.models import Classroom
from donations import services
from donations.models import Donation, Status
from media_library.models import MediaPage

DEMO_PAGE = "Sunset over the lake"  # Greenwood's public demo work, with a donate block


def demo_page() -> MediaPage:
    return MediaPage.objects.get(title=DEMO_PAGE)


def pending_donation(*, phone="0712345670", amount=100, page=None, address="10.0.0.1"):
    """A donation pushed to the simulator (which must be set up: the `simulator` fixture)."""
    donation = services.donation_create(
        page=page or demo_page(), amount=amount, phone=phone, client_address=address
    )
    donation = services.donation_push(donation=donation)
    assert donation.status == Status.PENDING, donation.result_description
    return donation


def donation_row(*, classroom: str = "Art", status=Status.PAID, amount=500, **fields) -> Donation:
    classroom = Classroom.objects.get(name=classroom)
    page = MediaPage.objects.child_of(classroom.page).first()
    values = {
        "page": page,
        "page_title": page.title if page else classroom.name,
        "classroom": classroom,
        "amount": amount,
        "phone": "254712345670",
        "status": status,
        "shortcode": "174379",
        "checkout_request_id": "ws_CO_" + secrets.token_hex(8),
        "mpesa_receipt": ("S" + secrets.token_hex(4).upper()) if status == Status.PAID else None,
        "completed_at": timezone.now(),
    }
    return Donation.objects.create(**{**values, **fields})
