"""The content apps in Kiswahili (the language cookie, as the menu's switch sets it), beyond the
one walk through every front-end page (core/tests/test_i18n_pages.py, with the one harness
core.tests.i18n_check): pages in states that walk does not reach, an upload's refusal, the
page script's catalogue, the consent wording and a moderation email."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils.html import escape
from django_tenants.utils import schema_context

from classrooms.models import Classroom
from conftest import client_as, client_for, user_named
from core.tests.i18n_check import assert_kiswahili, english_left, visible_text
from families import services as family_services
from families.models import ConsentRecord, Purpose
from families.wording import WORDING_VERSION, wording
from media_library import services
from media_library.models import MediaPage
from media_library.tests import samples

pytestmark = pytest.mark.django_db

GUARDIAN = "mama.amina@greenwood.test"  # the demo's guardian of Amina (Art)
SWAHILI = {"Pakia", "Kazi", "Hifadhi", "Kagua", "Watoto", "Ridhaa", "Jiunge", "Ingia", "Msimbo"}


@pytest.fixture(autouse=True)
def _school_links(settings):
    settings.PLATFORM_SCHEME, settings.PLATFORM_DOMAIN, settings.PLATFORM_PORT = (
        "http",
        "localhost",
        8000,
    )


def _in_swahili(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sw"
    return client


def _work(*, review: str | None = None, owner="amina", title="Ziwa la asubuhi"):
    """Amina's photo in Art: awaiting review, or approved / sent back by Grace."""
    with schema_context("greenwood"):
        classroom = Classroom.objects.get(name="Art")
        page = services.media_upload(
            classroom=classroom,
            uploaded_by=user_named(owner),
            file=samples.uploaded(samples.png(), "ziwa.png"),
            title=title,
            description="Picha ya ziwa.",
            tags=["ziwa"],
        )
        if review is not None:
            services.media_review(
                page=page,
                user=user_named("grace"),
                decision=review,
                comment="Ongeza maelezo zaidi." if review == services.REQUEST_CHANGES else "",
            )
        return MediaPage.objects.get(pk=page.pk)


def _pages(greenwood) -> dict:
    """The content apps' pages in states the one list of front-end pages does not reach
    (mediahub/tests/front_pages.py, walked in Kiswahili by core/tests/test_i18n_pages.py):
    (who, URL)."""
    sent_back = _work(review=services.REQUEST_CHANGES, title="Mlima")
    with schema_context("greenwood"):
        art = Classroom.objects.select_related("page").get(name="Art")
        amina = user_named("amina")
        family_services.family_codes_ensure_for_class(classroom=art, created_by=user_named("grace"))
    return {
        "a work sent back": ("amina", f"/work/{sent_back.pk}/"),
        "edit a work sent back": ("amina", f"/work/{sent_back.pk}/edit/"),
        "add a child": (GUARDIAN, "/families/join/"),
        "family slip": ("grace", f"/admin/families/{art.pk}/slips/?student={amina.pk}&lang=sw"),
    }


PAGES = ["a work sent back", "edit a work sent back", "add a child", "family slip"]


@pytest.mark.parametrize("name", PAGES)
def test_each_page_is_in_kiswahili_with_no_english_left(greenwood, name):
    who, url = _pages(greenwood)[name]
    client = _in_swahili(client_as(greenwood, who) if who else client_for(greenwood))
    response = client.get(url)
    assert response.status_code == 200, url
    words = {word for chunk in visible_text(response.content.decode()) for word in chunk.split()}
    assert words & SWAHILI, f"no Kiswahili on {url}"
    assert_kiswahili(response, label=url)


def test_the_check_finds_english(greenwood):
    """The same pages in English fail it: the check can fail."""
    response = client_as(greenwood, "amina").get("/upload/")
    assert any("Upload work" in found for found in english_left(response.content.decode()))


def test_an_upload_refused_says_why_in_kiswahili(greenwood):
    client = _in_swahili(client_as(greenwood, "amina"))
    with schema_context("greenwood"):
        art = Classroom.objects.get(name="Art")
    html_file = samples.uploaded(b"<!doctype html><html><body>hi</body></html>", "page.html")
    data = {"file": html_file, "title": "Ukurasa", "classroom": art.pk, "visibility": "class"}
    response = client.post(
        "/upload/", data, HTTP_ACCEPT="application/json", HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]["file"]
    assert error["message"].startswith("Kurasa za mtandao (HTML) haziwezi kupakiwa.")
    page = client.post("/upload/", {**data, "file": samples.uploaded(b"", "empty.png")})
    assert escape("Faili hii haina kitu.") in page.content.decode()
    assert english_left(page.content.decode()) == []


def test_the_javascript_catalogue_answers_in_kiswahili(greenwood):
    english = client_for(greenwood).get("/jsi18n/")
    swahili = _in_swahili(client_for(greenwood)).get("/jsi18n/")
    assert english.status_code == swahili.status_code == 200
    assert english["Content-Type"].startswith("text/javascript")
    assert "Endelea kupakia" in swahili.content.decode()  # "Resume upload"
    assert "Endelea kupakia" not in english.content.decode()


def test_the_consent_wording_is_kiswahili_and_the_record_keeps_the_version(greenwood):
    with schema_context("greenwood"):
        amina = user_named("amina")
    client = _in_swahili(client_as(greenwood, GUARDIAN))
    page = client.get(f"/consent/child/{amina.pk}/").content.decode()
    for purpose in Purpose:
        assert escape(wording(purpose, language="sw")) in page
        assert escape(wording(purpose, language="en")) not in page
    answer = client.post(f"/consent/child/{amina.pk}/", {"school": "on", "public": "on"})
    assert answer.status_code == 302
    with schema_context("greenwood"):
        records = ConsentRecord.objects.filter(student_ref=str(amina.pk))
        assert {r.wording_version for r in records} == {WORDING_VERSION}


def test_a_student_who_reads_kiswahili_gets_the_approval_email_in_kiswahili(
    greenwood, mailoutbox, django_capture_on_commit_callbacks
):
    with schema_context("greenwood"):
        amina = user_named("amina")
        amina.language = "sw"
        amina.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        _work(review=services.APPROVE, title="Shamba")
    [mail] = [m for m in mailoutbox if m.to == [amina.email]]
    assert mail.subject == "“Shamba” imeidhinishwa"
    assert mail.body.startswith(f"Habari {amina.get_short_name()},")
    assert "Imechapishwa" in mail.body and "Ione hapa:" in mail.body
