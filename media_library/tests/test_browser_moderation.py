"""The whole moderation loop in a real Chromium against a real server, each person in their
own browser: a student submits a photo from her phone; her teacher follows the email's link
to the review queue and asks for changes; the student sees the comment, edits and
resubmits; the teacher approves in the Wagtail admin; the work appears on the school's
dashboard for visitors; the teacher puts it in a gallery of the class."""

import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from classrooms.forms import ERROR_COMMENT_REQUIRED
from conftest import browser_sign_in, eventually
from galleries.models import GalleryPage
from media_library import views
from media_library.models import MediaPage
from media_library.tests import samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "greenwood.localhost"
PHONE = {"width": 390, "height": 844}


def _live(title) -> bool:
    with schema_context("greenwood"):
        return MediaPage.objects.filter(title=title, live=True).exists()


def _gallery_url(title) -> str | None:
    with schema_context("greenwood"):
        gallery = GalleryPage.objects.filter(title=title, live=True).first()
        return gallery.url if gallery else None


def _emails_to(live_site, address):
    text = "\n".join(p.read_text() for p in sorted(live_site.mail_dir.glob("*")))
    return [
        m
        for m in text.split(
            "\n-------------------------------------------------------------------------------"
        )
        if f"To: {address}" in m
    ]


def test_submit_request_changes_resubmit_approve_publish_curate(live_site, page, browser, title):
    student = page
    student.set_viewport_size(PHONE)
    browser_sign_in(student, live_site.url(HOST, "/accounts/login/"), "amina")
    student.goto(live_site.url(HOST, "/upload/"))
    student.set_input_files(
        "#id_file",
        files=[{"name": "lake.png", "mimeType": "image/png", "buffer": samples.png()}],
    )
    student.get_by_label("Title").fill(title)
    student.get_by_label("Who can see it").select_option("public")
    student.get_by_role("button", name="Upload", exact=True).click()
    expect(student.get_by_text(views.MESSAGE_UPLOADED.format(title=title))).to_be_visible()

    # The teacher's email links to the review page on the school's own address.
    # (this work's: the live server's mail folder keeps other tests' emails to Grace too)
    [mail] = [m for m in _emails_to(live_site, "grace@greenwood.test") if title in m]
    review_url = re.search(r"http://greenwood\.localhost:\d+/review/\d+/", mail).group(0)
    assert str(live_site.port) in review_url

    teacher = browser.new_context().new_page()
    browser_sign_in(teacher, live_site.url(HOST, "/accounts/login/"), "grace")
    expect(teacher.locator(".review-link .badge")).to_contain_text("1")
    teacher.goto(review_url)
    expect(teacher.get_by_role("heading", name=title)).to_be_visible()
    expect(teacher.locator(".media-player img")).to_be_visible()
    teacher.get_by_role("button", name="Request changes").click()
    expect(
        teacher.get_by_text(str(ERROR_COMMENT_REQUIRED))
    ).to_be_visible()  # a comment is required
    teacher.get_by_label("Comment for the student").fill("Please add a description.")
    teacher.get_by_role("button", name="Request changes").click()
    expect(teacher.get_by_text("Changes requested on")).to_be_visible()
    teacher.screenshot(path="test-results/review-queue.png", full_page=True)

    # The student sees the comment in My media, edits and resubmits.
    student.goto(live_site.url(HOST, "/my-media/"))
    card = student.locator(".media-card", has_text=title)
    expect(card.get_by_text("Please add a description.")).to_be_visible()
    expect(card.get_by_text("Changes requested")).to_be_visible()
    card.get_by_role("link", name=f"Edit {title}").click()
    student.get_by_label("Description").fill("The lake at noon, from the jetty.")
    student.get_by_role("button", name="Save changes").click()
    expect(student.get_by_text(str(views.MESSAGE_SAVED))).to_be_visible()
    expect(
        student.locator(".media-card", has_text=title).get_by_text("Awaiting approval")
    ).to_be_visible()

    # The teacher approves in the Wagtail admin, from "Awaiting your review".
    teacher.goto(live_site.url(HOST, "/admin/"))
    teacher.get_by_role("link", name=title).first.click()
    expect(teacher.locator("h1")).to_contain_text(title)
    teacher.locator("footer .w-dropdown__toggle").first.click()
    teacher.get_by_role("button", name="Approve and Publish", exact=True).click()
    eventually(lambda: _live(title))
    teacher.screenshot(path="test-results/review-admin-approved.png", full_page=True)

    # A visitor finds it on the school's dashboard.
    visitor = browser.new_context().new_page()
    visitor.goto(live_site.url(HOST, "/dashboard/"))
    expect(visitor.locator(".media-card", has_text=title)).to_be_visible()
    visitor.locator(".media-card", has_text=title).get_by_role("link", name=title).click()
    expect(visitor.get_by_text("The lake at noon, from the jetty.")).to_be_visible()
    assert any("It is published" in m for m in _emails_to(live_site, "amina@greenwood.test"))

    # The teacher puts it in a new gallery of her class.
    with schema_context("greenwood"):
        art_page = MediaPage.objects.get(title=title).get_parent().pk
    teacher.goto(live_site.url(HOST, f"/admin/pages/add/galleries/gallerypage/{art_page}/"))
    teacher.locator("#id_title").fill(f"{title} gallery")
    teacher.locator("button.c-sf-add-button").first.click()
    teacher.get_by_role("option", name="Work").or_(
        teacher.get_by_text("Work", exact=True)
    ).first.click()
    teacher.get_by_role("button", name="Choose work").click()
    modal = teacher.locator(".modal")
    modal.get_by_role("link", name=title).click()
    expect(teacher.get_by_text(f"{title} (Amina H.)")).to_be_visible()
    teacher.locator("footer .w-dropdown__toggle").first.click()
    teacher.get_by_role("button", name="Publish").click()
    teacher.wait_for_load_state()
    teacher.screenshot(path="test-results/gallery-published.png", full_page=True)
    eventually(lambda: _gallery_url(f"{title} gallery"))
    gallery_url = _gallery_url(f"{title} gallery")
    visitor.goto(live_site.url(HOST, gallery_url))
    expect(visitor.locator(".gallery")).to_contain_text(title)
    visitor.screenshot(path="test-results/gallery.png", full_page=True)
