"""The consent ledger: append-only, the latest record wins, nothing recorded is no consent;
who may record (a guardian of this child, a school admin with a note, an adult student for
themself); the guardian's and the adult student's pages; the school admin's overview."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.roles import GUARDIAN
from accounts.services import user_role_set
from accounts.tests.factories import UserFactory
from classrooms.models import Classroom
from conftest import client_as, client_for, sign_in_as, user_named
from families import consent
from families.consent_views import MESSAGE_SAVED
from families.models import (
    LEDGER_IS_APPEND_ONLY,
    AdultStudent,
    ConsentRecord,
    FamilyCode,
    Guardianship,
    Purpose,
    RecordedBy,
)
from families.wording import WORDING, WORDING_VERSION

pytestmark = pytest.mark.django_db


@pytest.fixture
def david(school):
    """Greenwood's student whose family has given no consent (demo.data no_consent)."""
    return user_named("david")


@pytest.fixture
def parent(school, david):
    guardian = UserFactory(username="mama.david", email="mama.david@example.test")
    Guardianship.objects.create(guardian=guardian, student=david)
    return guardian


def test_nothing_recorded_is_no_consent(david):
    assert consent.consent_state(david) == dict.fromkeys(Purpose.values, False)
    assert not consent.consent_allows(david, Purpose.PUBLIC)


def test_the_demo_families_consented_but_not_to_full_names(school):
    amina = user_named("amina")
    assert consent.consent_state(amina) == {
        "school": True,
        "public": True,
        "donations": True,
        "full_name": False,
    }
    record = consent.consent_history(amina).first()
    assert record.recorded_as == RecordedBy.SCHOOL_ADMIN and record.note == "demo"


def test_the_latest_record_wins(david, parent):
    consent.consent_give(student=david, purpose=Purpose.SCHOOL, by=parent)
    assert consent.consent_allows(david, Purpose.SCHOOL)
    consent.consent_withdraw(student=david, purpose=Purpose.SCHOOL, by=parent)
    assert not consent.consent_allows(david, Purpose.SCHOOL)
    consent.consent_give(student=david, purpose=Purpose.SCHOOL, by=parent)
    assert consent.consent_state(david)[Purpose.SCHOOL] is True
    assert consent.consent_history(david).count() == 3


def test_many_students_states_in_one_query(school, david, django_assert_num_queries):
    amina, brian = user_named("amina"), user_named("brian")
    with django_assert_num_queries(1):
        states = consent.consent_states([amina, brian, david])
    assert states[amina.pk][Purpose.PUBLIC] and states[brian.pk][Purpose.SCHOOL]
    assert not any(states[david.pk].values())


def test_the_ledger_is_append_only(david, parent):
    record = consent.consent_give(student=david, purpose=Purpose.PUBLIC, by=parent)
    record.granted = False
    with pytest.raises(PermissionError, match=str(LEDGER_IS_APPEND_ONLY)):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()
    records = ConsentRecord.objects.filter(pk=record.pk)
    with pytest.raises(PermissionError):
        records.update(granted=False)
    with pytest.raises(PermissionError):
        records.delete()
    assert ConsentRecord.objects.get(pk=record.pk).granted is True


def test_a_record_says_who_when_and_which_wording(david, parent):
    before = timezone.now()
    record = consent.consent_give(student=david, purpose=Purpose.DONATIONS, by=parent)
    assert record.recorded_by == parent and record.recorded_as == RecordedBy.GUARDIAN
    assert record.wording_version == WORDING_VERSION and record.student_ref == str(david.pk)
    assert record.recorded_at >= before


def test_only_a_guardian_of_this_child_may_record(school, david, parent):
    other_parent = UserFactory(username="baba.amina")
    Guardianship.objects.create(guardian=other_parent, student=user_named("amina"))
    for stranger in (other_parent, user_named("grace"), user_named("amina"), david):
        with pytest.raises(PermissionDenied):
            consent.consent_give(student=david, purpose=Purpose.PUBLIC, by=stranger)
    assert not ConsentRecord.objects.filter(student=david).exists()


def test_a_school_admin_records_a_paper_form_with_a_note(school, david):
    admin = user_named("admin@greenwood.test")
    with pytest.raises(ValidationError) as refused:
        consent.consent_give(student=david, purpose=Purpose.PUBLIC, by=admin, note="  ")
    assert refused.value.message_dict == {"note": [str(consent.ERROR_NOTE_REQUIRED)]}
    record = consent.consent_give(
        student=david, purpose=Purpose.PUBLIC, by=admin, note="Form of 3 March, file B2"
    )
    assert record.recorded_as == RecordedBy.SCHOOL_ADMIN and record.note.startswith("Form")


def test_an_adult_student_consents_for_themself_and_guardians_no_longer(school, david, parent):
    admin = user_named("admin@greenwood.test")
    with pytest.raises(PermissionDenied):
        consent.student_mark_adult(student=david, by=user_named("grace"))
    with pytest.raises(PermissionDenied):
        consent.consent_give(student=david, purpose=Purpose.PUBLIC, by=david)
    consent.student_mark_adult(student=david, by=admin)
    assert AdultStudent.objects.get(student=david).marked_by == admin
    with pytest.raises(ValidationError):
        consent.student_mark_adult(student=david, by=admin)
    record = consent.consent_give(student=david, purpose=Purpose.PUBLIC, by=david)
    assert record.recorded_as == RecordedBy.STUDENT
    with pytest.raises(PermissionDenied, match=str(consent.ERROR_ADULT_CONSENTS)):
        consent.consent_give(student=david, purpose=Purpose.SCHOOL, by=parent)


def test_consent_is_for_students_only(school):
    admin = user_named("admin@greenwood.test")
    with pytest.raises(PermissionDenied):
        consent.consent_give(student=user_named("grace"), purpose="public", by=admin, note="x")


def test_the_guardian_page_shows_plain_words_and_records_changes(greenwood, parent, david):
    client = sign_in_as(client_for(greenwood), greenwood, "mama.david")
    url = reverse("consent:consent-child", args=[david.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert escape(WORDING[Purpose.PUBLIC]) in page.content.decode()
    answer = client.post(url, {"school": "on", "public": "on"}, follow=True)
    assert str(MESSAGE_SAVED) in answer.content.decode()
    assert consent.consent_state(david) == {
        "school": True,
        "public": True,
        "donations": False,
        "full_name": False,
    }
    client.post(url, {"school": "on"})
    assert not consent.consent_allows(david, Purpose.PUBLIC)
    assert consent.consent_history(david).count() == 3  # only changes are recorded


def test_the_guardian_page_is_404_for_someone_elses_child(greenwood, parent):
    client = sign_in_as(client_for(greenwood), greenwood, "mama.david")
    amina = user_named("amina")
    assert client.get(reverse("consent:consent-child", args=[amina.pk])).status_code == 404
    assert client.post(reverse("consent:consent-child", args=[amina.pk])).status_code == 404


def test_the_adult_students_own_page(greenwood, david):
    client = client_as(greenwood, "david")
    assert client.get(reverse("consent:consent-mine")).status_code == 404
    consent.student_mark_adult(student=david, by=user_named("admin@greenwood.test"))
    client.post(reverse("consent:consent-mine"), {"school": "on"})
    [record] = consent.consent_history(david)
    assert record.recorded_as == RecordedBy.STUDENT and record.granted


def test_the_overview_counts_students_lacking_each_consent(school, david):
    rows = {row.classroom.name: row for row in consent.consent_overview_classes()}
    # Media Studies: Cynthia (consented) and David (nothing); Art: all three consented.
    assert rows["Media Studies"].students == 2
    assert rows["Media Studies"].lacking == {
        "school": 1,
        "public": 1,
        "donations": 1,
        "full_name": 2,
    }
    assert rows["Art"].lacking["public"] == 0 and rows["Art"].lacking["full_name"] == 3
    Classroom.objects.filter(name="Art").update(is_archived=True)
    assert "Art" not in {row.classroom.name for row in consent.consent_overview_classes()}


def test_the_overview_lists_pending_codes_and_recent_withdrawals(school, david, parent):
    unused = FamilyCode.objects.create(student=david, code="ABCDEFGH23")
    FamilyCode.objects.create(student=david, code="ABCDEFGH24", uses=1)
    FamilyCode.objects.create(student=david, code="ABCDEFGH25", withdrawn_at=timezone.now())
    assert list(consent.family_codes_pending()) == [unused]
    consent.consent_give(student=david, purpose=Purpose.SCHOOL, by=parent)
    withdrawal = consent.consent_withdraw(student=david, purpose=Purpose.SCHOOL, by=parent)
    assert list(consent.consent_withdrawals_recent()) == [withdrawal]
    assert withdrawal.recorded_at > timezone.now() - timedelta(minutes=1)


def test_a_guardian_finds_the_consent_page_from_my_children(greenwood, parent, david):
    user_role_set(user=parent, role=GUARDIAN)  # a family account (the fixture's is a link only)
    client = sign_in_as(client_for(greenwood), greenwood, "mama.david")
    page = client.get(reverse("media_library:children")).content.decode()
    assert f'href="{reverse("consent:consent-child", args=[david.pk])}"' in page


def test_an_adult_student_finds_their_consent_page_in_the_menu(greenwood, david):
    client = client_as(greenwood, "david")
    mine = f'href="{reverse("consent:consent-mine")}"'
    assert mine not in client.get(reverse("media_library:media-list")).content.decode()
    consent.student_mark_adult(student=david, by=user_named("admin@greenwood.test"))
    assert mine in client.get(reverse("media_library:media-list")).content.decode()
