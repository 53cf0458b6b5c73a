"""A student's first day, in a real Chromium on a phone-sized screen: she joins her class
with its code, signs out, forgets her password, resets it through the emailed link, and
signs back in to find her class on the school's home page."""

import email
import email.policy
import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from accounts.models import User
from classrooms.models import Classroom
from conftest import run_committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
HOST = "greenwood.localhost"
LINK = re.compile(r"https?://\S+/accounts/reset/\S+/")


def emailed_link(mail_dir: Path, to: str) -> str:
    """The reset link in the newest email to `to` that the live server wrote (Django's file
    backend: one file per connection, messages separated by a line of 79 dashes)."""
    for path in sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
        for raw in reversed(path.read_bytes().split(b"\n" + b"-" * 79 + b"\n")):
            message = email.message_from_bytes(raw, policy=email.policy.default)
            if message["To"] == to:
                return LINK.search(message.get_content()).group(0)
    raise AssertionError(f"no email to {to} in {mail_dir}")


@pytest.fixture
def new_address():
    """An address no other test or run uses. The live server commits what it writes, outside
    this test's transaction, so afterwards the account is deleted the same way: committed,
    on a connection of its own (a thread's), so other tests see the demo as seeded."""
    address = f"zawadi-{uuid.uuid4().hex[:10]}@example.test"
    yield address

    def delete():
        with schema_context("greenwood"):
            User.objects.filter(email=address).delete()

    run_committed(delete)


def test_student_joins_resets_password_and_signs_back_in(live_site, page, new_address):
    with schema_context("greenwood"):
        code = Classroom.objects.get(name="Art").join_code_display
    address = new_address
    requested_hosts = set()
    page.on("request", lambda request: requested_hosts.add(urlsplit(request.url).hostname))
    page.set_viewport_size(PHONE)

    # Anonymous: the home page invites her to join.
    page.goto(live_site.url(HOST))
    page.screenshot(path="test-results/accounts-home-anonymous-phone.png", full_page=True)
    page.get_by_role("main").get_by_role("link", name="Join your class").click()
    expect(page.get_by_role("heading", name="Join your class")).to_be_visible()

    # A mistyped code first: the message sits under the field and nothing is created.
    page.get_by_label("Class code").fill("WXYZ-2345")
    page.get_by_label("First name").fill("Zawadi")
    page.get_by_label("Last name").fill("Otieno")
    page.get_by_label("Email").fill(address)
    page.get_by_label("Password", exact=True).fill("first-Pass-phrase-31")
    page.get_by_label("Password again").fill("first-Pass-phrase-31")
    page.get_by_role("button", name="Join the class").click()
    expect(page.get_by_text("That class code is not right.")).to_be_visible()
    page.screenshot(path="test-results/accounts-signup-error-phone.png", full_page=True)

    # The code as a teacher would read it out: lowercase, no dash.
    page.get_by_label("Class code").fill(code.replace("-", "").lower())
    page.get_by_label("Password", exact=True).fill("first-Pass-phrase-31")
    page.get_by_label("Password again").fill("first-Pass-phrase-31")
    page.get_by_role("button", name="Join the class").click()
    expect(page).to_have_url(live_site.url(HOST))
    expect(page.get_by_text("Welcome, Zawadi! You have joined Art (Form 2).")).to_be_visible()
    expect(page.get_by_role("link", name="Art (Form 2)")).to_be_visible()

    # Sign out from the menu under her name.
    page.get_by_role("button", name="Zawadi").click()
    page.screenshot(path="test-results/accounts-user-menu-phone.png", full_page=True)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Sign in")).to_be_visible()

    # Forgotten password: ask for a link, open it from the email.
    page.get_by_role("navigation").get_by_role("link", name="Sign in").click()
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(address.upper())
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    link = emailed_link(live_site.mail_dir, address)
    assert urlsplit(link).netloc == f"{HOST}:{live_site.port}"

    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill("second-Pass-phrase-62")
    page.get_by_label("New password again").fill("second-Pass-phrase-62")
    page.screenshot(path="test-results/accounts-reset-confirm-phone.png", full_page=True)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", name="Your password is changed")).to_be_visible()

    # Back in with the new password, and her class is on the home page.
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    page.get_by_label("Email or username").fill(address)
    page.get_by_label("Password").fill("second-Pass-phrase-62")
    page.screenshot(path="test-results/accounts-login-phone.png", full_page=True)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_site.url(HOST))
    expect(page.get_by_role("heading", name="Your classes")).to_be_visible()
    expect(page.get_by_role("link", name="Art (Form 2)")).to_be_visible()
    page.screenshot(path="test-results/accounts-home-student-phone.png", full_page=True)

    # Her profile, from the menu: the email she signed up with, not editable there.
    page.get_by_role("button", name="Zawadi").click()
    page.get_by_role("link", name="Profile").click()
    expect(page.get_by_label("Email")).to_have_value(address)
    expect(page.get_by_label("Display name")).to_have_value("Zawadi Otieno")
    page.screenshot(path="test-results/accounts-profile-phone.png", full_page=True)

    # Nothing came from anywhere but the school (no CDN).
    assert requested_hosts == {HOST}, requested_hosts
