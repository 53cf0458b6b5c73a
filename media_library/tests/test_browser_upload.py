"""A student shares a drawing from her phone, in a real Chromium against a real server: she
uploads a PNG, watches the progress bar fill, sees the result without the page reloading,
finds it in My media and deletes it. Nothing loads from anywhere but the school."""

from urllib.parse import urlsplit

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from demo.data import DEMO_PASSWORD
from media_library import views
from media_library.models import MediaPage
from media_library.tests import samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
HOST = "greenwood.localhost"


def test_student_uploads_sees_and_deletes_her_work(live_site, page, title):
    requested_hosts = set()
    page.on("request", lambda request: requested_hosts.add(urlsplit(request.url).hostname))
    page.set_viewport_size(PHONE)

    page.goto(live_site.url(HOST, "/accounts/login/"))
    page.get_by_label("Email or username").fill("amina")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your classes", exact=True)).to_be_visible()

    # From the menu under her name to the upload page.
    page.get_by_role("button", name="Amina").click()
    page.get_by_role("navigation").get_by_role("link", name="Upload work").click()
    expect(page.get_by_role("heading", name="Upload work")).to_be_visible()
    page.evaluate("window.sameDocument = true")  # gone if the page reloads
    page.screenshot(path="test-results/media-upload-phone.png", full_page=True)

    page.set_input_files(
        "#id_file",
        files=[{"name": "drawing.png", "mimeType": "image/png", "buffer": samples.png()}],
    )
    page.get_by_label("Title").fill(title)
    page.get_by_label("Tags").fill("art, colour")
    page.get_by_role("button", name="Upload", exact=True).click()

    progress = page.get_by_role("progressbar", name="Upload progress")
    expect(progress).to_have_attribute("aria-valuenow", "100")
    expect(progress.locator(".progress-bar")).to_have_attribute("style", "width: 100%;")
    expect(page.get_by_text(views.MESSAGE_UPLOADED.format(title=title))).to_be_visible()
    assert page.evaluate("window.sameDocument") is True
    page.screenshot(path="test-results/media-uploaded-phone.png", full_page=True)

    page.get_by_role("link", name="See it in My media").click()
    expect(page.get_by_role("heading", name="My media")).to_be_visible()
    card = page.locator(".media-card", has_text=title)
    expect(card.get_by_text("Awaiting approval")).to_be_visible()
    page.screenshot(path="test-results/media-my-media-phone.png", full_page=True)

    card.get_by_role("link", name=f"Delete {title}").click()
    expect(page.get_by_role("heading", name=f"Delete “{title}”?")).to_be_visible()
    page.screenshot(path="test-results/media-delete-phone.png", full_page=True)
    page.get_by_role("button", name="Delete it").click()
    expect(page.get_by_text(views.MESSAGE_DELETED.format(title=title))).to_be_visible()
    expect(page.locator(".media-card", has_text=title)).to_have_count(0)

    page.goto(live_site.url(HOST, "/dashboard/"))
    page.screenshot(path="test-results/media-dashboard-phone.png", full_page=True)

    with schema_context("greenwood"):
        assert not MediaPage.objects.filter(title=title).exists()
    assert requested_hosts == {HOST}, requested_hosts
