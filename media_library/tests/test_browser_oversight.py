"""The school admin's 'All media' in a real Chromium: the filters narrow the listing, ticking
a row brings up Wagtail's bulk-action bar, and its buttons lead to our confirmation pages
with the chosen items (nothing is changed: the page is left with "No, go back")."""

import pytest
from playwright.sync_api import expect

from demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "greenwood.localhost"


def test_admin_filters_selects_and_reaches_the_confirmation(live_site, page):
    page.goto(live_site.url(HOST, "/accounts/login/"))
    page.get_by_label("Email or username").fill("admin@greenwood.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(live_site.url(HOST, "/admin/"))
    page.get_by_role("link", name="All media").click()
    expect(page.get_by_role("heading", name="All media")).to_be_visible()
    listing = page.locator("#listing-results")
    expect(listing.get_by_text("Sunset over the lake")).to_be_visible()
    expect(listing.get_by_text("Our school garden")).to_be_visible()
    # The thumbnails show (a "1%" column once collapsed them to nothing, though fetched).
    thumbnail = listing.locator("tr", has_text="Sunset over the lake").locator("td img")
    expect(thumbnail).to_be_visible()
    assert thumbnail.bounding_box()["width"] >= 60

    page.goto(live_site.url(HOST, "/admin/all-media/?status=published&kind=image&q=sunset"))
    expect(listing.get_by_text("Sunset over the lake")).to_be_visible()
    expect(listing.get_by_text("Our school garden")).to_have_count(0)
    page.screenshot(path="test-results/oversight-listing.png", full_page=True)

    row = listing.locator("tr", has_text="Sunset over the lake")
    row.locator("input[data-bulk-action-checkbox]").check()
    footer = page.locator("[data-bulk-action-footer]")
    expect(footer).to_be_visible()
    footer.get_by_role("link", name="Move the selected media to another class").click()

    expect(page.get_by_text("Move these to another class?")).to_be_visible()
    expect(page.locator(".oversight-items")).to_contain_text("Sunset over the lake")
    expect(page.get_by_label("Move to class")).to_be_visible()
    page.screenshot(path="test-results/oversight-move-confirm.png", full_page=True)
    page.get_by_role("link", name="No, go back").click()
    expect(page.get_by_role("heading", name="All media")).to_be_visible()

    page.get_by_role("link", name="Privacy").click()
    expect(page.locator(".privacy-students")).to_contain_text("amina@greenwood.test")
