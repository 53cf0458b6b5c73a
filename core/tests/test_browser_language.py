"""The menu's language switch in a real Chromium on a phone-sized screen: a visitor switches
to Kiswahili and the page, and the next, are in Kiswahili; then back to English."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
HOST = "greenwood.localhost"


def test_a_visitor_switches_to_kiswahili_from_the_menu(live_site, page):
    page.set_viewport_size(PHONE)
    page.goto(live_site.url(HOST) + "/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switch = page.locator("nav form.language-switch").get_by_role("button", name="Kiswahili")
    expect(switch).to_be_visible()
    assert switch.bounding_box()["x"] + switch.bounding_box()["width"] <= PHONE["width"]
    switch.click()

    # Back on the same page, now in Kiswahili: the heading, the menu, the form.
    expect(page.locator("html")).to_have_attribute("lang", "sw")
    assert page.url.endswith("/accounts/login/")
    expect(page.get_by_role("heading", name="Ingia Greenwood Academy")).to_be_visible()
    expect(page.get_by_role("button", name="Ingia", exact=True)).to_be_visible()
    expect(page.get_by_label("Barua pepe au jina la mtumiaji")).to_be_visible()
    page.screenshot(path="test-results/language-login-sw-phone.png", full_page=True)

    # The choice is remembered: the next page is in Kiswahili too.
    page.get_by_role("link", name="Umesahau nenosiri lako?").click()
    expect(page.get_by_role("heading", name="Weka nenosiri jipya")).to_be_visible()

    # And back to English from the same menu.
    page.locator("nav form.language-switch").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
