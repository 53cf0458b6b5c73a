"""Every front-end page (front_pages.FRONT_PAGES), in a real Chromium, at a phone's (360 px), a
tablet's (768 px) and a laptop's (1280 px) width:

- the navigation bar spans the window, the main content is the page's column (Bootstrap's
  container: the whole width on a phone, centred and at most 1320 px on a laptop), never a
  strip at one side (a work's page once drew itself, its navigation bar too, in an
  800-pixel strip at the left), and nothing scrolls sideways;
- axe-core (npm, node_modules/axe-core, injected from disk: nothing from a CDN) finds no
  violation of impact serious or critical.

One browser for the session (pytest-playwright's), one signed-in tab per role for this module,
reused from page to page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from conftest import browser_sign_in, run_committed

from .front_pages import FRONT_PAGES, HOST, ROLES, front_data_make, front_data_remove

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDTHS = (360, 768, 1280)
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# Bootstrap's .container (main's column): its width from each breakpoint up.
CONTAINER = ((1400, 1320), (1200, 1140), (992, 960), (768, 720), (576, 540))


def column_width(window: int) -> int:
    """The width of Bootstrap's .container in a window this wide (the whole window below
    576 px)."""
    return next((width for start, width in CONTAINER if window >= start), window)


@pytest.fixture(scope="module")
def front_data(live_site, django_db_blocker):
    made = []
    with django_db_blocker.unblock():
        run_committed(lambda: made.append(front_data_make()))
    yield made[0]
    with django_db_blocker.unblock():
        run_committed(front_data_remove)


def _signed_in_tabs(browser, live_site, **context_options):
    """A tab for each role, signed in once."""
    contexts, tabs = [], {}
    for role in ROLES:
        context = browser.new_context(**context_options)
        contexts.append(context)
        tab = context.new_page()
        if role is not None:
            browser_sign_in(tab, live_site.url(HOST, "/accounts/login/"), role)
        tabs[role] = tab
    yield tabs
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def tabs(browser, live_site, front_data):
    yield from _signed_in_tabs(browser, live_site)


@pytest.fixture(scope="module")
def axe_tabs(browser, live_site, front_data):
    """Tabs where axe-core may be added: the school's Content-Security-Policy allows no
    script but its own, so these tabs set it aside (the layout's tabs keep it)."""
    yield from _signed_in_tabs(browser, live_site, bypass_csp=True)


def _open(tabs, live_site, front_data, front_page, width: int):
    tab = tabs[front_page.role]
    tab.set_viewport_size({"width": width, "height": 800})
    path = front_page.path(front_data)
    response = tab.goto(live_site.url(HOST, path))
    assert response.status == front_page.status, f"{path}: {response.status}"
    assert tab.url.endswith(path), f"{path} went to {tab.url}"
    return tab


LAYOUT = """() => {
    const box = (selector) => {
        const element = document.querySelector(selector);
        if (!element) return null;
        const r = element.getBoundingClientRect();
        return {left: r.left, right: r.right, width: r.width};
    };
    return {
        window: document.documentElement.clientWidth,
        inner: window.innerWidth,
        scroll: document.scrollingElement.scrollWidth,
        nav: box('body > nav.navbar'),
        main: box('body > main'),
        footer: box('body > footer'),
        mains: document.querySelectorAll('main').length,
    };
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("front_page", FRONT_PAGES, ids=lambda page: page.id)
def test_page_spans_the_window_without_sideways_scrolling(
    tabs, live_site, front_data, front_page, width
):
    tab = _open(tabs, live_site, front_data, front_page, width)
    got = tab.evaluate(LAYOUT)
    window = got["window"]
    assert got["scroll"] <= got["inner"], f"scrolls sideways: {got}"
    assert got["mains"] == 1, got
    for part in ("nav", "footer"):
        assert got[part] and got[part]["width"] >= 0.95 * window, f"{part} too narrow: {got}"
    main = got["main"]
    # The column: the container's width (to a few pixels), centred in the window.
    assert main["width"] >= column_width(window) - 4, f"main is a strip: {got}"
    assert abs(main["left"] - (window - main["right"])) <= 2, f"main off centre: {got}"


@pytest.mark.parametrize("width", (360, 1280))
@pytest.mark.parametrize("front_page", FRONT_PAGES, ids=lambda page: page.id)
def test_page_has_no_serious_accessibility_violation(
    axe_tabs, live_site, front_data, front_page, width
):
    tab = _open(axe_tabs, live_site, front_data, front_page, width)
    if not tab.evaluate("() => typeof window.axe !== 'undefined'"):
        tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations
                .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                              nodes: v.nodes.slice(0, 5).map((n) => [n.target.join(' '),
                                                                     n.failureSummary])}));
        }"""
    )
    assert not result, json.dumps(result, indent=1)


def _width_classes() -> set[str]:
    """The classes of the site's stylesheet whose rules set a width: content classes."""
    css = (Path(settings.BASE_DIR) / "static" / "css" / "mediahub.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    classes = set()
    for selectors, declarations in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if re.search(r"(^|[;\s])(max-)?width\s*:", declarations):
            for selector in selectors.split(","):
                classes.update(re.findall(r"\.([A-Za-z][\w-]*)", selector)[:1])
    return classes


def test_no_content_class_on_the_body_narrows_the_page(tabs, live_site, front_data):
    """The root of the 800-pixel strip: a page's body class (base.html's body_class block) once
    was its content's width class. Content widths are written under main, so none narrows the
    frame even on <body>."""
    classes = _width_classes()
    assert "media-detail" in classes
    tab = tabs[None]
    tab.set_viewport_size({"width": 1280, "height": 800})
    tab.goto(live_site.url(HOST, f"/work/{front_data.public_work}/"))
    tab.evaluate("(classes) => document.body.classList.add(...classes)", sorted(classes))
    got = tab.evaluate(LAYOUT)
    assert got["nav"]["width"] >= got["window"] - 8, got  # (the drop zone adds a border)
    assert got["main"]["width"] >= column_width(got["window"]) - 4, got


ICON = """async () => {
    const link = document.querySelector('link[rel="icon"]');
    if (!link) return null;
    const answer = await fetch(link.href);
    return {status: answer.status, type: answer.headers.get("content-type"),
            svg: (await answer.text()).trimStart().startsWith("<svg")};
}"""


def test_page_names_an_icon_that_loads(tabs, live_site, front_data):
    """The tab's icon is the site's own (a static SVG, linked from base.html), so no browser
    asks for a /favicon.ico the site would answer with a 404 page."""
    home = next(page for page in FRONT_PAGES if page.id == "visitor-home")
    tab = _open(tabs, live_site, front_data, home, 1280)
    icon = tab.evaluate(ICON)
    assert icon == {"status": 200, "type": "image/svg+xml", "svg": True}, icon
