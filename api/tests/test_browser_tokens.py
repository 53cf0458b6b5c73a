"""A student makes a token for an app on her profile page, in a real Chromium against a real
server: it is shown once, works with the API, shows in her list, and is revoked there; a
school admin sees it on the admin's API tokens page."""

import json
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from api.models import AccessToken
from conftest import browser_sign_in, run_committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "greenwood.localhost"
SHOTS = Path(os.environ.get("API_SHOTS", "test-results"))


def _api(live_site, path: str, token: str) -> tuple[int, bytes]:
    """The live server's answer to an app (not the browser: no cookie), by its address."""
    headers = {"Host": f"{HOST}:{live_site.port}", "Authorization": f"Bearer {token}"}
    request = urllib.request.Request(f"http://127.0.0.1:{live_site.port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our server)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def cleanup():
    yield

    def delete():
        with schema_context("greenwood"):
            AccessToken.objects.filter(name__startswith="Phone app").delete()

    run_committed(delete)


@pytest.mark.parametrize("width", [390, 1280])
def test_a_student_makes_uses_and_revokes_a_token(live_site, page, cleanup, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    browser_sign_in(page, live_site.url(HOST, "/accounts/login/"), "amina")
    page.goto(live_site.url(HOST, "/accounts/profile/"))
    expect(page.get_by_role("heading", name="Tokens for apps")).to_be_visible()
    expect(page.get_by_text("You have no tokens.")).to_be_visible()

    page.get_by_label("Name", exact=True).fill(f"Phone app {width}")
    page.get_by_label("What it may do").select_option("upload")
    page.get_by_role("button", name="Make a token").click()

    expect(page.get_by_role("heading", name="Your new token")).to_be_visible()
    token = page.locator("#api-token").input_value()
    assert token.startswith("mh_")
    page.screenshot(path=str(SHOTS / f"token-created-{width}.png"), full_page=True)
    status, body = _api(live_site, "/api/v1/me/works/", token)
    assert status == 200 and json.loads(body)["count"] >= 1

    page.get_by_role("link", name="Back to your profile").click()
    expect(page.locator(".api-tokens .fw-semibold")).to_have_text(f"Phone app {width}")
    expect(page.locator(".api-tokens")).not_to_contain_text(token)
    page.locator(".api-tokens").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"token-list-{width}.png"), full_page=True)
    page.get_by_role("button", name=f"Revoke Phone app {width}").click()

    expect(page.get_by_text("is revoked")).to_be_visible()
    expect(page.locator(".api-tokens")).to_contain_text("Revoked")
    assert _api(live_site, "/api/v1/", token)[0] == 401


def test_a_school_admin_sees_the_schools_tokens(live_site, page, cleanup):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_sign_in(page, live_site.url(HOST, "/accounts/login/"), "brian")
    page.goto(live_site.url(HOST, "/accounts/profile/"))
    page.get_by_label("Name", exact=True).fill("Phone app admin view")
    page.get_by_role("button", name="Make a token").click()
    expect(page.get_by_role("heading", name="Your new token")).to_be_visible()
    page.context.clear_cookies()

    browser_sign_in(page, live_site.url(HOST, "/accounts/login/"), "admin@greenwood.test")
    page.goto(live_site.url(HOST, "/admin/api-tokens/"))

    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    expect(page.locator("table.api-tokens")).to_contain_text("Phone app admin view")
    page.screenshot(path=str(SHOTS / "token-admin-1280.png"), full_page=True)
    page.get_by_role("button", name="Revoke Phone app admin view").click()
    expect(page.locator("table.api-tokens")).to_contain_text("Revoked")
