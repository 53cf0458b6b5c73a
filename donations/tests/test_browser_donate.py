"""A visitor donates on a public media page, in a real Chromium against a real server and the
Daraja simulator (over HTTP, with its real callback): the waiting page counts down, then
turns into the thank-you with the M-Pesa receipt, or says why the payment failed."""

import re
import time
from urllib.parse import urlsplit

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from conftest import run_committed
from donations import selectors
from donations.models import Donation, Status
from donations.tests.factories import demo_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
HOST = "greenwood.localhost"
# The last digit picks the simulator's outcome: pays, cancels, pays with the callback twice.
SUCCESS, CANCELS, TWICE = "0712 345 680", "0712 345 681", "0712 345 685"
PHONES = ["254712345680", "254712345681", "254712345685"]


@pytest.fixture
def live_simulator(daraja_simulator):
    """The session's simulator, posting its callbacks (to the live server). The donations
    the live server commits are deleted afterwards, committed too."""
    daraja_simulator.reset()
    yield daraja_simulator

    def delete():
        with schema_context("greenwood"):
            Donation.objects.filter(phone__in=PHONES).delete()

    run_committed(delete)
    daraja_simulator.reset()


def _donate(page, live_site, phone: str, amount: str = "250"):
    with schema_context("greenwood"):
        work = demo_page()
    page.goto(live_site.url(HOST, f"/work/{work.pk}/"))
    form = page.locator("section.donate")
    expect(form.get_by_role("heading", name="Support our young artists")).to_be_visible()
    # No CSRF token (the page may come from the visitors' cache): the browser's own Origin
    # header is what the server checks (core.http.same_origin).
    expect(form.locator("input[name=csrfmiddlewaretoken]")).to_have_count(0)
    form.get_by_text(amount, exact=True).click()
    form.get_by_label("M-Pesa phone number").fill(phone)
    form.get_by_label("Your name (optional)").fill("Wanjiku")
    page.screenshot(path="test-results/donation-form-phone.png", full_page=True)
    form.get_by_role("button", name="Donate with M-Pesa").click()


def test_a_visitor_donates_and_sees_the_thank_you_with_the_receipt(live_site, live_simulator, page):
    requested_hosts = set()
    page.on("request", lambda request: requested_hosts.add(urlsplit(request.url).hostname))
    page.set_viewport_size(PHONE)

    _donate(page, live_site, SUCCESS)

    expect(page.get_by_role("heading", name="Waiting for M-Pesa")).to_be_visible()
    expect(page.get_by_text(selectors.MESSAGE_WAITING.format(amount="250"))).to_be_visible()
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^\d+$"))
    page.screenshot(path="test-results/donation-waiting-phone.png", full_page=True)

    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible(timeout=20_000)
    with schema_context("greenwood"):
        donation = Donation.objects.get(phone="254712345680")
    assert donation.status == Status.PAID
    assert donation.amount == 250 and donation.donor_name == "Wanjiku"
    expect(page.get_by_text(selectors.MESSAGE_THANKS.format(amount="250"))).to_be_visible()
    receipt = selectors.MESSAGE_RECEIPT.format(receipt=donation.mpesa_receipt)
    expect(page.get_by_text(receipt)).to_be_visible()
    expect(page.get_by_role("heading", name="Waiting for M-Pesa")).to_be_hidden()
    page.screenshot(path="test-results/donation-thanks-phone.png", full_page=True)

    [callback] = live_simulator.callbacks()
    assert callback["status"] == 200
    assert callback["url"] == live_site.url(HOST, f"/donations/callback/{donation.callback_token}/")
    assert requested_hosts == {HOST}  # nothing from anywhere else


def test_a_cancelled_prompt_says_so_and_offers_to_try_again(live_site, live_simulator, page):
    page.set_viewport_size(PHONE)

    _donate(page, live_site, CANCELS, amount="500")

    heading = page.get_by_role("heading", name="The donation did not go through")
    expect(heading).to_be_visible(timeout=20_000)
    expect(page.get_by_text(str(selectors.RESULT_MESSAGES[1032]))).to_be_visible()
    page.screenshot(path="test-results/donation-cancelled-phone.png", full_page=True)

    page.get_by_role("link", name="Try again").click()
    expect(page.get_by_label("Other amount (KES)")).to_have_value("500")
    expect(page.get_by_role("button", name="Donate with M-Pesa")).to_be_visible()


def test_a_callback_that_comes_twice_pays_once(live_site, live_simulator, page):
    _donate(page, live_site, TWICE, amount="100")

    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible(timeout=20_000)
    deadline = time.monotonic() + 20
    while len(live_simulator.callbacks()) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [c["status"] for c in live_simulator.callbacks()] == [200, 200]
    with schema_context("greenwood"):
        [donation] = Donation.objects.filter(phone="254712345685")
    assert (donation.status, donation.amount) == (Status.PAID, 100)
    assert donation.mpesa_receipt
