"""A student's video straight to Cloudinary, in a real Chromium: the live server is configured
for the fake Cloudinary (on its own port, another origin), the page sends the video in
chunks there, the progress bar advances, and the work waits for review. A chunk that fails
once is sent again; an upload broken off resumes after a reload from the last confirmed
byte, without sending again what Cloudinary had."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from conftest import (
    _free_port,
    browser_sign_in,
    eventually,
    server_environment,
    wait_for_port,
)
from media_library import views
from media_library.direct_upload_models import DirectUpload
from media_library.models import MediaPage, SchoolMedia
from media_library.testing.fake_cloudinary import FakeCloudinary
from media_library.tests import av_samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "greenwood.localhost"
CHUNK_MB = 0.02  # about 21 KB: the video below goes in at least 3 chunks


@pytest.fixture(scope="module")
def video(tmp_path_factory) -> Path:
    """A real, phone-tagged MP4 of a few hundred KB (on disk: a reload picks the same file,
    with the same date, again)."""
    path = tmp_path_factory.mktemp("video") / "field-trip.mp4"
    subprocess.run(  # noqa: S603
        ["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi",  # noqa: S607
         "-i", "testsrc=duration=4:size=320x240:rate=25", "-f", "lavfi",
         "-i", "sine=frequency=440:duration=4", "-metadata", f"location={av_samples.LOCATION}",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
         "-shortest", "-y", str(path)],
        check=True,
    )  # fmt: skip
    assert path.stat().st_size > 3 * CHUNK_MB * 1024 * 1024
    return path


@pytest.fixture(scope="module")
def cloudinary_site(live_site, django_db_blocker, tmp_path_factory):
    """`manage.py runserver` on the test database with CLOUDINARY_URL pointing at a fake
    Cloudinary of its own, small chunks; (fake, base URL). The demo's pictures in that database
    were stored locally, so the tests sign in straight to the upload page, not the home page.
    The session's live_site ends the database sessions left over when the session ends (its
    teardown), this server's too."""
    with FakeCloudinary() as fake:
        port = _free_port()
        with django_db_blocker.unblock():
            environment = server_environment()
        env = {
            **environment,
            "PLATFORM_PORT": str(port),
            "CLOUDINARY_URL": fake.cloudinary_url,
            "CLOUDINARY_DIRECT_UPLOADS": "True",
            "CLOUDINARY_CHUNK_MB": str(CHUNK_MB),
        }
        log = (tmp_path_factory.mktemp("direct") / "server.log").open("w")
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "runserver", "--noreload", "--insecure",
             f"127.0.0.1:{port}"],
            cwd=Path(__file__).parents[2],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            assert wait_for_port(port, server), f"runserver did not start: see {log.name}"
            yield fake, f"http://{HOST}:{port}"
        finally:
            server.terminate()
            server.wait(timeout=10)
            log.close()


def _upload_page(page, base: str, video: Path, title: str):
    page.goto(f"{base}/upload/")
    page.set_input_files("#id_file", str(video))
    page.get_by_label("Title").fill(title)


def _work(title: str) -> MediaPage | None:
    with schema_context("greenwood"):
        return MediaPage.objects.filter(title=title).first()


def test_a_video_goes_straight_to_cloudinary_in_chunks(cloudinary_site, page, video, title):
    fake, base = cloudinary_site
    fake.reset()
    page.set_viewport_size({"width": 390, "height": 844})
    browser_sign_in(page, f"{base}/accounts/login/?next=/upload/", "amina")
    _upload_page(page, base, video, title)
    page.evaluate(
        """() => { window.seen = [];
        new MutationObserver(() => window.seen.push(
          document.querySelector('[data-progress]').getAttribute('aria-valuenow'))
        ).observe(document.querySelector('[data-progress]'), {attributes: true}); }"""
    )
    fake.fail_next_upload()  # the first chunk fails once, and is sent again
    page.get_by_role("button", name="Upload", exact=True).click()

    expect(page.get_by_text(views.MESSAGE_UPLOADED.format(title=title))).to_be_visible(
        timeout=30_000
    )
    seen = [int(value) for value in page.evaluate("window.seen")]
    assert len(set(seen)) >= 3 and seen[-1] == 100, seen
    chunks = [u for u in fake.uploads() if "content-range" in u.headers]
    assert len(chunks) >= 4  # 3 or more, and the one sent again
    assert all(u.headers.get("origin") == base for u in chunks)  # from the page itself
    page.screenshot(path="test-results/direct-upload-phone.png", full_page=True)

    work = _work(title)
    assert work is not None and not work.live
    with schema_context("greenwood"):
        assert work.current_workflow_state is not None  # in the teacher's review
        stored = SchoolMedia.objects.get(title=title).file.name
    assert stored.startswith("video/greenwood/media/direct_")
    assert av_samples.COORDINATE not in next(iter(fake.stored.values())).data


def test_an_upload_broken_off_resumes_after_a_reload(cloudinary_site, page, video, title):
    fake, base = cloudinary_site
    fake.reset()
    browser_sign_in(page, f"{base}/accounts/login/?next=/upload/", "amina")
    page.set_viewport_size({"width": 1280, "height": 900})
    _upload_page(page, base, video, title)
    sent = []

    def second_chunk_refused(route):
        sent.append(route.request.headers.get("content-range"))
        if len(sent) == 2:  # Cloudinary refuses it: the page stops, keeping what was sent
            route.fulfill(status=400, json={"error": {"message": "Refused (test)"}})
        else:
            route.continue_()

    page.route(f"{fake.upload_prefix}/**", second_chunk_refused)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text(str(views.MESSAGE_UPLOAD_FAILED))).to_be_visible(timeout=30_000)
    page.unroute(f"{fake.upload_prefix}/**")

    page.reload()
    page.set_input_files("#id_file", str(video))
    expect(page.get_by_text("stopped at")).to_be_visible()
    page.get_by_label("Title").fill(title)
    page.screenshot(path="test-results/direct-upload-resume-desktop.png", full_page=True)
    page.get_by_role("button", name="Resume upload").click()
    expect(page.get_by_text(views.MESSAGE_UPLOADED.format(title=title))).to_be_visible(
        timeout=30_000
    )
    ranges = [u.headers["content-range"] for u in fake.uploads()]
    assert sum(r.startswith("bytes 0-") for r in ranges) == 1, ranges  # not sent again
    eventually(lambda: _work(title) is not None)
    with schema_context("greenwood"):
        assert DirectUpload.objects.filter(title=title).count() == 1  # one signed upload


FORGE = """async (title) => {
  const form = document.querySelector("[data-upload-form]");
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const headers = {"X-Requested-With": "XMLHttpRequest", "X-CSRFToken": csrf};
  const data = new FormData(form);
  data.delete("file");
  data.set("title", title);
  data.append("kind", "video");
  data.append("filename", "forged.mp4");
  data.append("size", "1000");
  const signed = await (await fetch(form.dataset.directUrl, {method: "POST", body: data,
                                                              headers})).json();
  const forged = {public_id: signed.public_id, version: 1, resource_type: "video",
                  signature: "f".repeat(40)};
  const answer = await fetch(signed.complete_url, {method: "POST",
    headers: {...headers, "Content-Type": "application/json"},
    body: JSON.stringify({response: forged})});
  return [answer.status, await answer.json(), signed.id];
}"""


def test_a_forged_completion_from_the_page_is_refused(cloudinary_site, page, title):
    from media_library import direct_uploads
    from media_library.direct_upload_models import DirectUploadStatus

    fake, base = cloudinary_site
    browser_sign_in(page, f"{base}/accounts/login/?next=/upload/", "amina")
    page.goto(f"{base}/upload/")
    status, body, upload_id = page.evaluate(FORGE, title)
    assert status == 400
    assert body["errors"]["__all__"][0]["message"] == str(direct_uploads.ERROR_NOT_CONFIRMED)
    with schema_context("greenwood"):
        row = DirectUpload.objects.get(pk=upload_id)
        assert row.status == DirectUploadStatus.DESTROYED
    assert _work(title) is None
    destroyed = [r for r in fake.requests if r.action == "destroy"]
    assert destroyed and destroyed[-1].fields["public_id"] == row.public_id
