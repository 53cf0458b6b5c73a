"""Consent and privacy: the export holds the student's consent records; erasure keeps them
as the school's proof without the child's name; the school admin's consent page (paper form,
mark adult) and the privacy overview, for school admins only."""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from django_tenants.utils import schema_context

from accounts.roles import STUDENT
from accounts.services import user_build, user_save
from accounts.tests.factories import PASSWORD
from conftest import client_as, user_named
from families import consent
from families.models import AdultStudent, ConsentRecord, Purpose
from privacy import consent_admin
from privacy import services as privacy_services

pytestmark = pytest.mark.django_db

ADMIN = "admin@greenwood.test"


def _student():
    user = user_build(email="zara@greenwood.test", first_name="Zara", last_name="Quill")
    return user_save(user=user, password=PASSWORD, role=STUDENT)


def test_the_export_holds_the_consent_records(school):
    zara = _student()
    admin = user_named(ADMIN)
    consent.consent_give(student=zara, purpose=Purpose.PUBLIC, by=admin, note="Form 7")
    consent.consent_withdraw(student=zara, purpose=Purpose.PUBLIC, by=admin, note="Letter")
    archive = privacy_services.student_export(student=zara, user=admin)
    records = json.loads(zipfile.ZipFile(io.BytesIO(archive.read())).read("records.json"))
    assert [(c["purpose"], c["granted"], c["note"]) for c in records["consents"]] == [
        ("public", False, "Letter"),
        ("public", True, "Form 7"),
    ]
    assert records["consents"][0]["recorded_by"] == admin.get_username()


def test_erasure_keeps_the_records_without_the_name(school):
    zara = _student()
    admin = user_named(ADMIN)
    consent.consent_give(student=zara, purpose=Purpose.SCHOOL, by=admin, note="Form 7")
    pk = zara.pk
    privacy_services.student_erase(student=zara, user=admin, confirmation=zara.email)
    [record] = ConsentRecord.objects.filter(student_ref=str(pk))
    assert record.student_id is None and record.granted and record.note == "Form 7"
    kept = " ".join(str(getattr(record, f.attname)) for f in ConsentRecord._meta.fields)
    assert "Zara" not in kept and "Quill" not in kept and "zara@" not in kept


def test_a_school_admin_records_a_paper_form_and_marks_an_adult(greenwood):
    with schema_context("greenwood"):
        david = user_named("david")
    client = client_as(greenwood, ADMIN)
    url = reverse("privacy_admin:consent", args=[david.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"school": "on", "note": ""})
    assert str(consent.ERROR_NOTE_REQUIRED) in refused.content.decode().replace("&#x27;", "'")
    answer = client.post(url, {"school": "on", "note": "Form of 3 March"}, follow=True)
    assert consent_admin.MESSAGE_RECORDED.format(count=1) in answer.content.decode()
    assert "Form of 3 March" in answer.content.decode()  # the history
    client.post(reverse("privacy_admin:consent-adult", args=[david.pk]))
    with schema_context("greenwood"):
        assert consent.consent_allows(david, Purpose.SCHOOL)
        assert AdultStudent.objects.filter(student=david).exists()


def test_the_overview_is_for_school_admins(greenwood):
    url = reverse("privacy_admin:overview")
    html = client_as(greenwood, ADMIN).get(url).content.decode()
    assert "Media Studies" in html and "Work public on the web" in html
    for who in ("grace", "amina"):
        answer = client_as(greenwood, who).get(url)
        assert answer.status_code in (302, 403)
    with schema_context("greenwood"):
        david = user_named("david")
    assert client_as(greenwood, "grace").get(
        reverse("privacy_admin:consent", args=[david.pk])
    ).status_code in (302, 403)
