"""Posters and durations as people see them, in a real Chromium against a real server: a
student uploads a video and a recording; My media's cards show the video's poster (made after
the upload commits: the test server's tasks run at once) and both durations, and the work's
page the player with its poster. Screenshots at 390 and 1280 px wide in test-results/."""

import subprocess
import uuid

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from conftest import browser_sign_in, run_committed
from media_library.models import MediaPage
from media_library.tests import av_samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "greenwood.localhost"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def title():
    title = f"Waves {uuid.uuid4().hex[:6]}"
    yield title

    def delete():
        with schema_context("greenwood"):
            for page in MediaPage.objects.filter(title__startswith=title):
                media = page.media
                page.delete()
                media.delete()

    run_committed(delete)


# The image's natural width once it has loaded (0 if it failed): a lazy image can be visible
# before its bytes arrive, so wait for its load or error event rather than read it at once.
LOADED_WIDTH = """img => img.complete ? img.naturalWidth : new Promise(resolve => {
    img.addEventListener("load", () => resolve(img.naturalWidth), {once: true});
    img.addEventListener("error", () => resolve(0), {once: true});
})"""


def _video(tmp_path) -> bytes:
    """Twelve seconds of a moving test picture, 640x360, with sound."""
    path = tmp_path / "waves.mp4"
    subprocess.run(  # noqa: S603
        ["ffmpeg", "-nostdin", "-v", "error",
         "-f", "lavfi", "-i", "testsrc2=size=640x360:duration=12:rate=15",
         "-f", "lavfi", "-i", "sine=frequency=330:duration=12",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
         "-shortest", "-y", str(path)],
        check=True,
    )  # fmt: skip
    return path.read_bytes()


def _upload(page, live_site, *, name, mime, data, title):
    page.goto(live_site.url(HOST, "/upload/"))
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": mime, "buffer": data}])
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("link", name="See it in My media")).to_be_visible()


def test_cards_and_player_show_posters_and_durations(live_site, page, title, tmp_path):
    browser_sign_in(page, live_site.url(HOST, "/accounts/login/"), "amina")
    _upload(page, live_site, name="waves.mp4", mime="video/mp4", data=_video(tmp_path),
            title=f"{title} video")  # fmt: skip
    _upload(page, live_site, name="memo.m4a", mime="audio/mp4",
            data=av_samples.recording("m4a"), title=f"{title} memo")  # fmt: skip

    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.goto(live_site.url(HOST, "/my-media/"))
        video_card = page.locator(".media-card", has_text=f"{title} video")
        poster = video_card.locator("img")
        expect(poster).to_be_visible()
        assert poster.evaluate(LOADED_WIDTH) > 0  # loaded, not broken
        poster_src = poster.get_attribute("src")
        expect(video_card.locator(".media-duration")).to_have_text("0:12, Length 12 seconds")
        memo_card = page.locator(".media-card", has_text=f"{title} memo")
        expect(memo_card.locator(".media-duration")).to_contain_text("0:01")
        page.screenshot(path=f"test-results/media-posters-cards-{label}.png", full_page=True)

        video_card.get_by_role("link", name=f"{title} video", exact=True).click()
        video = page.locator("video")
        expect(video).to_have_attribute("poster", poster_src)
        expect(page.get_by_text("Video length 12 seconds")).to_be_attached()
        page.screenshot(path=f"test-results/media-posters-player-{label}.png", full_page=True)
