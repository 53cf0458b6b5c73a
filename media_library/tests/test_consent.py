"""Consent, enforced on students' work: what the forms offer, what the services refuse
even when posted, what a school admin can publish in the Wagtail admin, what a teacher's
approval publishes, what a withdrawal changes at once (live pages, the audit log, emails,
the page cache's signal), and whose full name visitors see."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_tenants.utils import schema_context
from wagtail.models import PageLogEntry

from classrooms.models import Classroom
from conftest import client_as, client_for, user_named
from families import consent
from families.models import ConsentRecord, Guardianship, Purpose
from families.signals import consent_pages_changed
from families.wording import NO_CONSENT_HELP
from media_library import services
from media_library.consent import LOWERED_ACTION
from media_library.consent_rules import ERROR_VISIBILITY_NO_CONSENT, MESSAGE_APPROVED_CAPPED
from media_library.models import MediaPage
from media_library.tests import samples

pytestmark = pytest.mark.django_db

ADMIN = "admin@greenwood.test"


def _upload(owner, visibility="class", classroom="Media Studies", title="Rain"):
    return services.media_upload(
        classroom=Classroom.objects.get(name=classroom),
        uploaded_by=user_named(owner),
        file=samples.uploaded(samples.png(), "rain.png"),
        title=title,
        visibility=visibility,
    )


def _paper(student, purpose, granted=True):
    action = consent.consent_give if granted else consent.consent_withdraw
    return action(student=student, purpose=purpose, by=user_named(ADMIN), note="Form 12")


def _withdrawn_unnoticed(student, purpose):
    """A withdrawal recorded without its effects (as if it committed while a teacher was
    approving): what the approval itself must still respect."""
    ConsentRecord.objects.create(
        student=student,
        student_ref=str(student.pk),
        purpose=purpose,
        granted=False,
        recorded_as="school_admin",
        wording_version="test",
    )


def test_the_upload_form_offers_only_what_was_consented(school):
    david_form = client_as(school, "david").get("/upload/").context["form"]
    offered = [value for value, _label in david_form.fields["visibility"].choices]
    assert offered == ["class", "private"]
    assert david_form.fields["visibility"].help_text == str(NO_CONSENT_HELP)
    amina_form = client_as(school, "amina").get("/upload/").context["form"]
    assert "public" in [value for value, _ in amina_form.fields["visibility"].choices]
    assert amina_form.fields["visibility"].help_text == ""


def test_the_edit_form_offers_school_without_public_consent(school):
    david = user_named("david")
    page = _upload("david")
    _paper(david, Purpose.SCHOOL)
    form = client_as(school, "david").get(f"/work/{page.pk}/edit/").context["form"]
    assert [value for value, _ in form.fields["visibility"].choices] == [
        "school",
        "class",
        "private",
    ]


@pytest.mark.parametrize("visibility", ["public", "school"])
def test_the_services_refuse_wider_than_consent(school, visibility):
    with pytest.raises(ValidationError) as refused:
        _upload("david", visibility=visibility)
    assert "visibility" in refused.value.message_dict
    assert not MediaPage.objects.filter(title="Rain").exists()
    page = _upload("david")
    with pytest.raises(ValidationError):
        services.media_update(
            page=page,
            user=user_named("david"),
            title="Rain",
            description="",
            tags=[],
            visibility=visibility,
        )
    assert MediaPage.objects.get(pk=page.pk).get_latest_revision_as_object().visibility == "class"


def test_posting_public_anyway_is_refused(school):
    client = client_as(school, "david")
    answer = client.post(
        "/upload/",
        {
            "file": samples.uploaded(samples.png(), "rain.png"),
            "title": "Rain",
            "classroom": Classroom.objects.get(name="Media Studies").pk,
            "visibility": "public",
        },
    )
    assert answer.status_code == 200 and answer.context["form"].errors["visibility"]
    assert not MediaPage.objects.filter(title="Rain").exists()


def test_public_needs_school_consent_too(school):
    david = user_named("david")
    _paper(david, Purpose.PUBLIC)
    with pytest.raises(ValidationError):
        _upload("david", visibility="public")
    _paper(david, Purpose.SCHOOL)
    assert _upload("david", visibility="public").get_latest_revision_as_object().visibility == (
        "public"
    )


def test_no_admin_save_or_publish_goes_wider_than_consent(school):
    page = _upload("david")
    page = MediaPage.objects.get(pk=page.pk)
    page.visibility = "public"
    with pytest.raises(ValidationError) as refused:
        page.save_revision(user=user_named(ADMIN))
    audience = "public sharing"
    assert refused.value.message_dict["visibility"] == [
        ERROR_VISIBILITY_NO_CONSENT.format(audience=audience)
    ]


def test_the_wagtail_admin_edit_cannot_publish_as_public(greenwood):
    with schema_context("greenwood"):
        page = _upload("david", classroom="Media Studies")
        page.current_workflow_state.current_task_state.approve(user=user_named("peter"))
        page = MediaPage.objects.get(pk=page.pk)
    client = client_as(greenwood, ADMIN)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    form = client.get(url).context["form"]
    assert [value for value, _ in form.fields["visibility"].choices] == ["class", "private"]
    assert form.fields["visibility"].help_text == str(NO_CONSENT_HELP)
    data = {
        name: value
        for name, value in form.initial.items()
        if isinstance(value, (str, int)) and value is not None
    }
    data.update(
        {
            "title": page.title,
            "slug": page.slug,
            "kind": "image",
            "image": page.image_id,
            "visibility": "public",
            "tags": "",
            "description": "",
            "body-count": "0",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
            "action-publish": "action-publish",
        }
    )
    answer = client.post(url, data)
    assert answer.status_code == 200  # the form again, with the error
    assert answer.context["form"].errors["visibility"]
    with schema_context("greenwood"):
        assert MediaPage.objects.get(pk=page.pk).visibility == "class"


def test_a_teachers_approval_is_capped_to_consent(greenwood, mailoutbox):
    with schema_context("greenwood"):
        page = _upload("amina", visibility="public", classroom="Art")
        _withdrawn_unnoticed(user_named("amina"), Purpose.PUBLIC)
    url = reverse("media_library:review-detail", args=[page.pk])
    answer = client_as(greenwood, "grace").post(url, {"decision": "approve"}, follow=True)
    shown = [str(m) for m in answer.context["messages"]]
    assert MESSAGE_APPROVED_CAPPED.format(audience="members of the school") in shown
    with schema_context("greenwood"):
        page = MediaPage.objects.get(pk=page.pk)
        assert page.live and page.visibility == "school"
        assert PageLogEntry.objects.filter(page=page, action=LOWERED_ACTION).exists()


def test_an_approval_in_the_wagtail_admin_is_capped_too(school):
    page = _upload("david", classroom="Media Studies")
    david = user_named("david")
    _paper(david, Purpose.SCHOOL)
    services.media_update(
        page=page, user=david, title="Rain", description="", tags=[], visibility="school"
    )
    _withdrawn_unnoticed(david, Purpose.SCHOOL)
    page = MediaPage.objects.get(pk=page.pk)
    page.current_workflow_state.current_task_state.approve(user=user_named("peter"))
    page = MediaPage.objects.get(pk=page.pk)
    assert page.live and page.visibility == "class"
    assert PageLogEntry.objects.get(page=page, action=LOWERED_ACTION).data["reason"] == "approval"


def test_withdrawing_lowers_work_awaiting_review(school):
    amina = user_named("amina")
    page = _upload("amina", visibility="public", classroom="Art")
    _paper(amina, Purpose.PUBLIC, granted=False)
    page = MediaPage.objects.get(pk=page.pk)
    assert page.get_latest_revision_as_object().visibility == "school"
    page.current_workflow_state.current_task_state.approve(user=user_named("grace"))
    assert MediaPage.objects.get(pk=page.pk).visibility == "school"


def test_withdrawing_lowers_live_work_at_once(
    school, mailoutbox, django_capture_on_commit_callbacks
):
    amina = user_named("amina")
    guardian = user_named("mama.amina@greenwood.test")  # the demo's guardian of Amina
    assert Guardianship.objects.filter(guardian=guardian, student=amina).exists()
    sunset = MediaPage.objects.get(title="Sunset over the lake")
    assert sunset.live and sunset.visibility == "public"
    heard = []

    def receiver(sender, student, purpose, page_ids, **kwargs):
        heard.append((student.pk, purpose, page_ids))

    consent_pages_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            consent.consent_withdraw(student=amina, purpose=Purpose.PUBLIC, by=guardian)
    finally:
        consent_pages_changed.disconnect(receiver)
    sunset = MediaPage.objects.get(pk=sunset.pk)
    assert sunset.live and sunset.visibility == "school"
    assert sunset.live_revision.as_object().visibility == "school"
    assert not sunset.has_unpublished_changes
    entry = PageLogEntry.objects.get(page=sunset, action=LOWERED_ACTION)
    assert entry.user_id == guardian.pk and entry.data == {
        "from": "public",
        "to": "school",
        "reason": "withdrawal",
    }
    assert heard == [(amina.pk, "public", [sunset.pk])]
    # Her teacher and her guardian are told.
    assert sorted(m.to[0] for m in mailoutbox) == [
        "grace@greenwood.test",
        "mama.amina@greenwood.test",
    ]
    assert "Work public on the web" in mailoutbox[0].body
    # Without school consent as well: down to the class.
    with django_capture_on_commit_callbacks(execute=True):
        consent.consent_withdraw(student=amina, purpose=Purpose.SCHOOL, by=guardian)
    assert MediaPage.objects.get(pk=sunset.pk).visibility == "class"


def test_withdrawing_keeps_a_pending_change_but_lowers_it(school):
    amina = user_named("amina")
    sunset = MediaPage.objects.get(title="Sunset over the lake")
    services.media_update(
        page=sunset, user=amina, title="Sunset, again", description="", tags=[], visibility="public"
    )
    _paper(amina, Purpose.PUBLIC, granted=False)
    sunset = MediaPage.objects.get(pk=sunset.pk)
    assert sunset.visibility == "school" and sunset.title == "Sunset over the lake"
    pending = sunset.get_latest_revision_as_object()
    assert pending.title == "Sunset, again" and pending.visibility == "school"


def test_visitors_see_a_full_name_only_with_consent(greenwood):
    visitor = client_for(greenwood)
    with schema_context("greenwood"):
        sunset = MediaPage.objects.get(title="Sunset over the lake")
    for url in ("/dashboard/", f"/work/{sunset.pk}/"):
        html = visitor.get(url).content.decode()
        assert "Amina H." in html and "Amina Hassan" not in html
    with schema_context("greenwood"):
        _paper(user_named("amina"), Purpose.FULL_NAME)
    for url in ("/dashboard/", f"/work/{sunset.pk}/"):
        assert "Amina Hassan" in visitor.get(url).content.decode()
