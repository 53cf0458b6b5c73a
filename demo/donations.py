"""The demo's donations (demo.seed calls this in each demo school's schema): donations on,
and a donate block on every public demo work, so a visitor can donate on the demo against the
local simulator. Done once, when the school's donation settings are first made; later runs
leave what an admin changed as it is."""

from __future__ import annotations

from wagtail.models import Site

from donations.models import DonationSettings
from media_library.models import MediaPage, Visibility

DEMO_BLOCK = {
    "heading": "Support our young artists",
    "text": "Donations buy paint, paper and cameras for the school's art and media classes.",
}


def demo_donations_ensure() -> list[str]:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or DonationSettings.objects.filter(site=site).exists():
        return []
    DonationSettings.objects.create(site=site, enabled=True)
    done = ["donations on"]
    for page in MediaPage.objects.live().filter(visibility=Visibility.PUBLIC):
        if any(block.block_type == "donate" for block in page.body):
            continue
        page.body.append(("donate", DEMO_BLOCK))
        page.save_revision().publish()
        done.append(f"donate block on {page.title!r}")
    return done
