"""Every public screen of a school's site uses the whole window on a laptop and fits a phone:
the navigation bar and the footer span the window's width at 1280 px, and nothing is wider
than the window at 390 px (no sideways scrolling). A page's own width limit belongs on its
content, never on the whole page (the work's page once drew itself in an 800-pixel strip)."""

import pytest
from django_tenants.utils import schema_context

from galleries.models import GalleryPage
from media_library.models import MediaPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDTHS = (390, 1280)


@pytest.fixture
def paths(greenwood) -> list[str]:
    with schema_context(greenwood.schema_name):
        work = MediaPage.objects.get(title="Sunset over the lake")
        gallery = GalleryPage.objects.live().first()
        return [
            "/",
            "/dashboard/",
            work.get_parent().url,
            gallery.url,
            f"/work/{work.pk}/",
            f"/donate/{work.pk}/",
            "/accounts/signup/",
            "/accounts/login/",
            "/accounts/password-reset/",
        ]


def test_every_screen_uses_the_window_at_a_laptops_and_a_phones_width(live_site, page, paths):
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            page.goto(live_site.url("greenwood.localhost", path))
            widths = page.evaluate(
                """() => ({
                    window: document.documentElement.clientWidth,
                    scroll: document.documentElement.scrollWidth,
                    nav: document.querySelector('nav.navbar').getBoundingClientRect().width,
                    footer: document.querySelector('footer').getBoundingClientRect().width,
                })"""
            )
            if widths["scroll"] > widths["window"]:
                problems.append(f"{path} at {width}px scrolls sideways: {widths}")
            if widths["nav"] < widths["window"] or widths["footer"] < widths["window"]:
                problems.append(f"{path} at {width}px is narrower than the window: {widths}")
    assert not problems, "\n".join(problems)
