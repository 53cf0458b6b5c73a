"""The upload page in Kiswahili on a phone (390 px), in a real Chromium against a real server:
the page, what its script writes (the JavaScript catalogue's strings), a refusal shown next to
the file, and the message when the connection drops, all in Kiswahili.

Grace (a teacher) uploads: her own work skips the review queue, so no email goes to the class's
teachers, whose mailbox the moderation test reads on the same live server."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from demo.data import DEMO_PASSWORD
from media_library.tests import samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
HOST = "greenwood.localhost"


def _upload_page_in_swahili(live_site, page):
    page.set_viewport_size(PHONE)
    page.goto(live_site.url(HOST, "/accounts/login/"))
    page.locator("#id_username").fill("grace")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "sw", "url": live_site.url(HOST)}]
    )
    page.goto(live_site.url(HOST, "/upload/"))
    expect(page.get_by_role("heading", name="Pakia kazi")).to_be_visible()


def test_the_upload_page_and_its_script_speak_kiswahili(live_site, page, title):
    _upload_page_in_swahili(live_site, page)
    assert page.evaluate("typeof window.gettext") == "function"  # the catalogue loaded
    page.screenshot(path="test-results/sw-upload-phone.png", full_page=True)

    # A refusal from the server, put next to the file by the script.
    page.set_input_files(
        "#id_file",
        files=[{"name": "ukurasa.html", "mimeType": "text/html", "buffer": b"<html></html>"}],
    )
    page.get_by_label("Kichwa").fill(title)
    page.get_by_role("button", name="Pakia", exact=True).click()
    expect(page.locator("[data-errors-for=file]")).to_contain_text(
        "Kurasa za mtandao (HTML) haziwezi kupakiwa."
    )

    # The connection drops: the script's message is the page's, in Kiswahili.
    page.route("**/upload/", lambda route: route.abort())
    page.set_input_files(
        "#id_file",
        files=[{"name": "mchoro.png", "mimeType": "image/png", "buffer": samples.png()}],
    )
    page.get_by_role("button", name="Pakia", exact=True).click()
    expect(page.get_by_text("Upakiaji haukukamilika.", exact=False)).to_be_visible()
    page.unroute("**/upload/")

    # It goes through: the progress bar, the message, and the script's own link.
    page.get_by_role("button", name="Pakia", exact=True).click()
    progress = page.get_by_role("progressbar", name="Maendeleo ya upakiaji")
    expect(progress).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_text(f"“{title}” imepakiwa", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Ione kwenye Kazi zangu")).to_be_visible()
    page.screenshot(path="test-results/sw-uploaded-phone.png", full_page=True)
