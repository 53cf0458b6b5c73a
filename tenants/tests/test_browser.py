"""The newcomer's first minutes, in a real Chromium: the platform lists both schools, a
school's home page is on its own domain, and its admin signs into its own Wagtail admin."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_platform_to_school_to_wagtail_admin(live_site, page):
    requested_hosts = set()
    page.on("request", lambda request: requested_hosts.add(urlsplit(request.url).hostname))

    page.goto(live_site.url("localhost"))
    expect(page.get_by_role("link", name="Greenwood Academy")).to_be_visible()
    expect(page.get_by_role("link", name="Riverside School")).to_be_visible()
    # Bootstrap is served by the platform itself: the navbar is laid out by its CSS.
    assert page.eval_on_selector("nav.navbar", "el => getComputedStyle(el).display") == "flex"
    page.screenshot(path="test-results/platform-landing.png", full_page=True)

    page.get_by_role("link", name="Greenwood Academy").click()
    expect(page).to_have_url(live_site.url("greenwood.localhost"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Greenwood Academy")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.screenshot(path="test-results/greenwood-home-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 720})

    page.goto(live_site.url("greenwood.localhost", "/admin/"))
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    expect(page.get_by_role("heading", name="Sign in to Greenwood Academy")).to_be_visible()
    page.fill("input[name=username]", "admin@greenwood.test")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_site.url("greenwood.localhost", "/admin/"))
    expect(page.get_by_text("Greenwood Academy").first).to_be_visible()
    page.screenshot(path="test-results/greenwood-admin.png", full_page=True)

    # Nothing came from anywhere but the platform and its schools (no CDN).
    assert requested_hosts <= {"localhost", "greenwood.localhost"}, requested_hosts


def test_riverside_admin_refuses_greenwood_credentials(live_site, page):
    page.goto(live_site.url("riverside.localhost", "/admin/login/"))
    page.fill("input[name=username]", "admin@greenwood.test")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    expect(page.get_by_text("Your username and password didn't match")).to_be_visible()
