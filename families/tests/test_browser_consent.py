"""Consent from a family slip to the public web and back, in a real Chromium against a real
server, each person in their own browser (10/13's "done when"): Peter prints his class's family
slips; David's guardian signs up with David's code on a phone and sees only David's work; David
cannot choose "public"; the guardian consents; David's next work is approved as public and a
visitor sees it; the guardian withdraws, and the visitor no longer does."""

import uuid

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from accounts.models import User
from classrooms.models import Classroom
from conftest import browser_sign_in, eventually, run_committed, user_named
from families.consent import consent_allows
from families.consent_views import MESSAGE_SAVED
from families.models import FamilyCode, Purpose
from families.wording import NO_CONSENT_HELP
from media_library import views
from media_library.models import MediaPage
from media_library.tests import samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "greenwood.localhost"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def consent_run():
    """Afterwards, what the live server committed goes: the guardian, the codes made, David's
    new work and the consent records of this run (the ledger refuses deletion through the
    ORM, so it is removed in SQL, here only), so the demo stays as seeded."""
    tag = uuid.uuid4().hex[:8]
    made = {}

    def before():
        with schema_context("greenwood"):
            made["code"] = max(FamilyCode.objects.values_list("pk", flat=True), default=0)
            made["david"] = user_named("david").pk

    run_committed(before)
    yield {"title": f"Market {tag}", "email": f"guardian-{tag}@example.test", **made}

    def delete():
        with schema_context("greenwood"):
            guardian = User.objects.filter(email=f"guardian-{tag}@example.test").first()
            if guardian is not None:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "DELETE FROM families_consentrecord WHERE recorded_by_id = %s",
                        [guardian.pk],
                    )
                guardian.delete()
            FamilyCode.objects.filter(pk__gt=made["code"]).delete()
            for page in MediaPage.objects.filter(title=f"Market {tag}"):
                page.delete()

    run_committed(delete)


def _work(title):
    with schema_context("greenwood"):
        return MediaPage.objects.filter(title=title).first()


def _consents(david_pk, purpose) -> bool:
    with schema_context("greenwood"):
        return consent_allows(User.objects.get(pk=david_pk), purpose)


def _offered(student) -> list[str]:
    return (
        student.get_by_label("Who can see it")
        .locator("option")
        .evaluate_all("options => options.map(o => o.value)")
    )


def test_from_a_family_slip_to_public_work_and_back(live_site, page, browser, consent_run):
    title = consent_run["title"]
    with schema_context("greenwood"):
        media_studies = Classroom.objects.get(name="Media Studies").pk

    # Peter prints his class's slips and hands David's to his family.
    teacher = page
    teacher.set_viewport_size(LAPTOP)
    browser_sign_in(teacher, live_site.url(HOST, "/accounts/login/"), "peter")
    teacher.goto(live_site.url(HOST, f"/admin/families/{media_studies}/"))
    teacher.get_by_role("button", name="Print slips for the whole class").click()
    slip = teacher.locator(f"section.slip[data-student='{consent_run['david']}']")
    expect(slip.locator("svg")).to_be_visible()
    join_url = slip.locator(".url").inner_text().strip()

    # David's guardian signs up with it on a phone, and sees David's work only.
    family = browser.new_context(viewport=PHONE).new_page()
    family.goto(join_url)
    family.get_by_label("First name").fill("Wanjiru")
    family.get_by_label("Last name").fill("Mwangi")
    family.get_by_label("Email").fill(consent_run["email"])
    family.get_by_label("Password", exact=True).fill("family-Pass-phrase-77")
    family.get_by_label("Password again").fill("family-Pass-phrase-77")
    family.get_by_role("button", name="Create my family account").click()
    expect(family.get_by_role("heading", name="My children")).to_be_visible()
    expect(family.get_by_role("heading", name="David")).to_be_visible()
    expect(family.get_by_role("link", name="Our school garden")).to_be_visible()  # class only
    expect(family.get_by_text("Still life with mangoes")).to_have_count(0)  # Brian's

    # Without his family's consent, David is not offered "public" (nor "school"), and is told
    # why and what his family can do.
    student = browser.new_context(viewport=PHONE).new_page()
    browser_sign_in(student, live_site.url(HOST, "/accounts/login/"), "david")
    student.goto(live_site.url(HOST, "/upload/"))
    assert "public" not in _offered(student) and "school" not in _offered(student)
    expect(student.get_by_text(str(NO_CONSENT_HELP))).to_be_visible()
    student.screenshot(path="test-results/consent-upload-without-phone.png", full_page=True)

    # The guardian consents, from My children, in plain words.
    family.get_by_role("link", name="Consent").click()
    family.get_by_label("Work visible to the whole school").check()
    family.get_by_label("Work public on the web").check()
    family.screenshot(path="test-results/consent-guardian-phone.png", full_page=True)
    family.get_by_role("button", name="Save").click()
    expect(family.get_by_text(str(MESSAGE_SAVED))).to_be_visible()
    eventually(lambda: _consents(consent_run["david"], Purpose.PUBLIC))

    # David's next work is offered, and approved, as public.
    student.goto(live_site.url(HOST, "/upload/"))
    assert "public" in _offered(student)
    student.set_input_files(
        "#id_file",
        files=[{"name": "market.png", "mimeType": "image/png", "buffer": samples.png()}],
    )
    student.get_by_label("Title").fill(title)
    student.get_by_label("Who can see it").select_option("public")
    student.get_by_role("button", name="Upload", exact=True).click()
    expect(student.get_by_text(views.MESSAGE_UPLOADED.format(title=title))).to_be_visible()
    eventually(lambda: _work(title) is not None)
    teacher.goto(live_site.url(HOST, f"/review/{_work(title).pk}/"))
    teacher.get_by_role("button", name="Approve and publish").click()
    eventually(lambda: _work(title).live)
    assert _work(title).visibility == "public"

    # A visitor sees it.
    visitor = browser.new_context().new_page()
    visitor.goto(live_site.url(HOST, "/dashboard/"))
    card = visitor.locator(".media-card", has_text=title)
    expect(card).to_be_visible()
    work_url = card.get_by_role("link", name=title).first.get_attribute("href")
    assert visitor.goto(live_site.url(HOST, work_url)).status == 200
    expect(visitor.get_by_role("heading", name=title)).to_be_visible()

    # The guardian withdraws public consent: at once, the visitor no longer sees the work.
    family.goto(live_site.url(HOST, "/my-children/"))
    family.get_by_role("link", name="Consent").click()
    family.get_by_label("Work public on the web").uncheck()
    family.get_by_role("button", name="Save").click()
    expect(family.get_by_text(str(MESSAGE_SAVED))).to_be_visible()
    eventually(lambda: _work(title).visibility == "school")
    assert visitor.goto(live_site.url(HOST, work_url)).status == 404
    visitor.goto(live_site.url(HOST, "/dashboard/"))
    expect(visitor.locator(".media-card", has_text=title)).to_have_count(0)
    # David's family still sees it (school consent stands).
    family.goto(live_site.url(HOST, "/my-children/"))
    expect(family.get_by_role("link", name=title)).to_be_visible()
