"""The navigation bar on a phone, in Kiswahili (the longer language): the school's name never
runs over the menu (it once wrapped over "Kazi" at 390 px), and the menu and the language
switch stay together, on the name's line or whole on the next."""

from __future__ import annotations

import pytest

from conftest import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "greenwood.localhost"
BOXES = """() => {
    const box = (selector) => {
        const r = document.querySelector(selector).getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    };
    const brand = document.querySelector('.navbar-brand');
    return {
        brand: box('.navbar-brand'), end: box('.navbar-end'), menu: box('.user-menu'),
        switch: box('.language-switch'), brandLines: Math.round(brand.clientHeight /
            parseFloat(getComputedStyle(brand).lineHeight)),
        window: document.documentElement.clientWidth,
        scroll: document.scrollingElement.scrollWidth,
    };
}"""


def _apart(a, b) -> bool:
    return a["right"] <= b["left"] or b["right"] <= a["left"] or a["bottom"] <= b["top"]


@pytest.mark.parametrize("width", [360, 390])
@pytest.mark.parametrize("who", [None, "amina", "grace"])
def test_the_school_name_never_runs_over_the_menu(browser, live_site, who, width):
    context = browser.new_context()
    tab = context.new_page()
    if who:
        browser_sign_in(tab, live_site.url(HOST, "/accounts/login/"), who)
    context.add_cookies([{"name": "django_language", "value": "sw", "url": live_site.url(HOST)}])
    tab.set_viewport_size({"width": width, "height": 700})
    tab.goto(live_site.url(HOST, "/"))
    boxes = tab.evaluate(BOXES)
    context.close()
    assert boxes["scroll"] == boxes["window"], boxes
    assert _apart(boxes["brand"], boxes["end"]), boxes
    assert boxes["brandLines"] == 1, boxes  # one line, cut with an ellipsis if need be
    assert boxes["switch"]["top"] < boxes["menu"]["bottom"], boxes  # the switch by the menu
