"""The API's docs in a real Chromium against a real server: Swagger UI from our own static
files (no request leaves the school's host, no script refused by the CSP), and a token pasted
into "Authorize" answers "Try it out" with the person's index."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from api import services
from api.models import AccessToken
from conftest import run_committed, user_named

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "greenwood.localhost"
SHOTS = Path(os.environ.get("API_SHOTS", "test-results"))


@pytest.fixture
def committed_token():
    made = {}

    def make():
        with schema_context("greenwood"):
            made["row"], made["token"] = services.token_create(
                user=user_named("amina"), name="Browser test", scope="read", days=1
            )

    run_committed(make)
    yield made["token"]

    def delete():
        with schema_context("greenwood"):
            AccessToken.objects.filter(pk=made["row"].pk).delete()

    run_committed(delete)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_docs_load_from_our_own_files_and_try_a_request(
    live_site, page, committed_token, width
):
    hosts, refused, failed = set(), [], []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(live_site.url(HOST, "/api/v1/docs/"))

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Media Hub API")
    expect(page.locator(".opblock").first).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"api-docs-{width}.png"), full_page=False)

    page.locator("button.authorize").first.click()
    page.locator(".auth-container input").first.fill(committed_token)
    page.locator(".auth-btn-wrapper button.authorize").click()
    page.locator(".auth-btn-wrapper button.btn-done").click()
    index = page.locator(".opblock-get").filter(has_text="The endpoints").first
    index.locator(".opblock-summary").click()
    index.locator("button.try-out__btn").click()
    index.locator("button.execute").click()
    expect(index.locator(".live-responses-table")).to_contain_text('"user": "amina"')
    page.screenshot(path=str(SHOTS / f"api-docs-tried-{width}.png"), full_page=False)

    assert hosts == {HOST}, hosts
    assert not failed, failed
    assert not refused, refused
