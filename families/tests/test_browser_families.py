"""A family joins, in a real Chromium: a teacher prints her class's family slips (checked on
a phone, on a laptop and as printed), reads Amina's code off her slip, and a new guardian
signs up with it on a phone-sized screen, to find Amina's work (her class-only work too) and
nothing of her classmates' beyond what any visitor sees."""

import re
import uuid

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from accounts.models import User
from classrooms.models import Classroom
from conftest import browser_sign_in, run_committed, user_named
from families.models import FamilyCode
from media_library import services as media_services
from media_library.models import MediaPage
from media_library.tests import samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "greenwood.localhost"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def family_run():
    """A class-only work of Amina's, approved; afterwards it, the new guardian and every
    family code made meanwhile are deleted, committed, so the demo stays as seeded."""
    tag = uuid.uuid4().hex[:8]
    made = {}

    def create():
        with schema_context("greenwood"):
            art = Classroom.objects.get(name="Art")
            made["codes_before"] = FamilyCode.objects.order_by("-pk").values_list("pk", flat=True)
            made["codes_before"] = max(made["codes_before"], default=0)
            page = media_services.media_upload(
                classroom=art,
                uploaded_by=user_named("amina"),
                file=samples.uploaded(samples.png(), "baobab.png"),
                title=f"Baobab {tag}",
                visibility="class",
            )
            media_services.media_review(page=page, user=user_named("grace"), decision="approve")

    run_committed(create)
    yield {"title": f"Baobab {tag}", "email": f"guardian-{tag}@example.test"}

    def delete():
        with schema_context("greenwood"):
            User.objects.filter(email=f"guardian-{tag}@example.test").delete()
            FamilyCode.objects.filter(pk__gt=made["codes_before"]).delete()
            for page in MediaPage.objects.filter(title=f"Baobab {tag}"):
                page.delete()

    run_committed(delete)


def test_teacher_prints_slips_and_a_guardian_signs_up_with_one(
    live_site, page, browser, family_run
):
    with schema_context("greenwood"):
        art = Classroom.objects.get(name="Art").pk
        amina = user_named("amina").pk
    teacher = page
    teacher.set_viewport_size(LAPTOP)
    browser_sign_in(teacher, live_site.url(HOST, "/accounts/login/"), "grace")
    teacher.goto(live_site.url(HOST, f"/admin/families/{art}/"))
    expect(teacher.get_by_text("Amina Hassan")).to_be_visible()
    teacher.screenshot(path="test-results/families-admin-class-laptop.png", full_page=True)
    teacher.get_by_role("button", name="Print slips for the whole class").click()
    slips = teacher.locator("section.slip")
    expect(slips).to_have_count(3)
    teacher.screenshot(path="test-results/families-slips-laptop.png", full_page=True)
    teacher.set_viewport_size(PHONE)
    teacher.screenshot(path="test-results/families-slips-phone.png", full_page=True)
    # Nothing wider than the phone's screen: the slips fit.
    width = teacher.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    teacher.emulate_media(media="print")
    teacher.set_viewport_size(LAPTOP)
    expect(teacher.locator(".toolbar")).to_be_hidden()
    teacher.screenshot(path="test-results/families-slips-print.png", full_page=True)
    breaks = teacher.evaluate(
        "[...document.querySelectorAll('section.slip')].map(s => getComputedStyle(s).breakAfter)"
    )
    assert breaks[:-1] == ["page"] * 2
    teacher.emulate_media(media="screen")

    slip = teacher.locator(f"section.slip[data-student='{amina}']")
    expect(slip.locator("svg")).to_be_visible()
    code = slip.locator(".code").inner_text().strip()
    join_url = slip.locator(".url").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code)
    assert join_url.endswith(f"/families/join/?code={code}") and HOST in join_url

    # The family, on a phone: the QR code's address, with the code filled in.
    family = browser.new_context(viewport=PHONE).new_page()
    family.goto(join_url)
    expect(family.get_by_role("heading", name="Follow your child's work")).to_be_visible()
    expect(family.get_by_label("Family code")).to_have_value(code)
    family.get_by_label("First name").fill("Halima")
    family.get_by_label("Last name").fill("Wekesa")
    family.get_by_label("Email").fill(family_run["email"])
    family.get_by_label("Password", exact=True).fill("family-Pass-phrase-77")
    family.get_by_label("Password again").fill("family-Pass-phrase-77")
    family.screenshot(path="test-results/families-join-phone.png", full_page=True)
    family.get_by_role("button", name="Create my family account").click()

    expect(family.get_by_role("heading", name="My children")).to_be_visible()
    expect(family.get_by_role("heading", name="Amina")).to_be_visible()
    expect(family.get_by_role("link", name=family_run["title"])).to_be_visible()
    expect(family.get_by_text("Still life with mangoes")).to_have_count(0)  # Brian's
    family.screenshot(path="test-results/families-children-phone.png", full_page=True)
    assert family.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    family.goto(live_site.url(HOST, "/dashboard/"))
    expect(family.get_by_text("Our school garden")).to_have_count(0)  # David's, class only
    family.goto(live_site.url(HOST, "/admin/"))
    expect(family).to_have_url(re.compile(r"/admin/login/"))
