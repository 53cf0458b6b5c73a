"""Notifications in the app: made at the moderation decisions (once they commit), listed
and opened by their recipient only, and never showing work its reader can no longer see."""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from classrooms.models import Classroom
from classrooms.services import classroom_teacher_unassign
from conftest import client_as, client_for, user_named
from families.models import Guardianship
from media_library import notifications as moderation
from media_library import services
from media_library.models import MediaPage
from media_library.tests import samples
from notifications import kinds, selectors, views
from notifications.models import Kind, Notification
from notifications.services import notification_create, notifications_mark_read
from privacy.services import student_erase

pytestmark = pytest.mark.django_db


def _submit(title="Lake at noon", owner="amina", classroom="Art"):
    with schema_context("greenwood"):
        return services.media_upload(
            classroom=Classroom.objects.get(name=classroom),
            uploaded_by=user_named(owner),
            file=samples.uploaded(samples.png(), "lake.png"),
            title=title,
        )


def _notifications(login):
    with schema_context("greenwood"):
        return list(Notification.objects.filter(recipient=user_named(login)).order_by("pk"))


@pytest.fixture(autouse=True)
def _none_yet(greenwood):
    """The demo's own notifications (seed_demo makes some) are gone for each test, rolled
    back after it."""
    with schema_context("greenwood"):
        Notification.objects.all().delete()


@pytest.fixture
def submitted(greenwood, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return _submit()


def _decide(greenwood, page, decision, comment, callbacks):
    with callbacks(execute=True):
        response = client_as(greenwood, "grace").post(
            f"/review/{page.pk}/", {"decision": decision, "comment": comment}
        )
    assert response.status_code == 302


def test_a_submission_notifies_the_classs_teachers(submitted):
    [note] = _notifications("grace")
    assert note.kind == Kind.SUBMITTED and note.page_id == submitted.pk and note.read_at is None
    assert note.params == {"student": "Amina Hassan", "title": "Lake at noon", "classroom": "Art"}
    assert _notifications("peter") == [] and _notifications("admin@greenwood.test") == []
    assert _notifications("amina") == []


def test_approval_notifies_the_student_and_her_guardian(
    greenwood, submitted, django_capture_on_commit_callbacks
):
    _decide(greenwood, submitted, "approve", "Lovely colours", django_capture_on_commit_callbacks)
    [note] = _notifications("amina")
    assert note.kind == Kind.APPROVED and note.params["comment"] == "Lovely colours"
    [child] = _notifications("mama.amina@greenwood.test")
    assert child.kind == Kind.CHILD_PUBLISHED and child.page_id == submitted.pk
    html = client_as(greenwood, "amina").get("/notifications/").content.decode()
    html = re.sub(r'<span translate="no">([^<]*)</span>', r"\1", html)  # names, titles
    assert "Grace" in html and "approved “Lake at noon”" in html and "Lovely colours" in html
    assert f'href="/notifications/{note.pk}/"' in html


def test_changes_requested_notifies_the_student_with_the_comment(
    greenwood, submitted, django_capture_on_commit_callbacks
):
    _decide(greenwood, submitted, "reject", "Crop the sky.", django_capture_on_commit_callbacks)
    [note] = _notifications("amina")
    assert note.kind == Kind.CHANGES_REQUESTED and note.params["comment"] == "Crop the sky."
    assert _notifications("mama.amina@greenwood.test") == []  # nothing published
    amina = client_as(greenwood, "amina")
    response = amina.get(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response.url == f"/work/{submitted.pk}/edit/"


def test_a_student_without_email_is_notified_in_the_app(
    greenwood, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    with schema_context("greenwood"):
        type(user_named("amina")).objects.filter(username="amina").update(email="")
    mailoutbox.clear()
    _decide(greenwood, submitted, "approve", "", django_capture_on_commit_callbacks)
    assert [note.kind for note in _notifications("amina")] == [Kind.APPROVED]
    assert all(mail.to != ["amina@greenwood.test"] for mail in mailoutbox)


def test_a_rolled_back_decision_leaves_no_notification(
    greenwood, submitted, django_capture_on_commit_callbacks
):
    with (
        schema_context("greenwood"),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        page = MediaPage.objects.get(pk=submitted.pk)
        page.current_workflow_state.current_task_state.approve(user=user_named("grace"))
        raise RuntimeError("the rest of the request failed")
    assert _notifications("amina") == []
    assert _notifications("mama.amina@greenwood.test") == []


def test_a_task_run_again_notifies_once(greenwood, submitted):
    with schema_context("greenwood"):
        state = MediaPage.objects.get(pk=submitted.pk).current_workflow_state.current_task_state
        moderation.submission_notify.call(task_state_id=state.pk)  # as a retry would
    assert len(_notifications("grace")) == 1


def test_the_bell_counts_unread_for_signed_in_people_only(greenwood, submitted):
    grace = client_as(greenwood, "grace")
    html = grace.get("/dashboard/").content.decode()
    assert 'aria-label="Notifications, 1 unread"' in html
    assert 'href="/notifications/"' in html
    visitor = client_for(greenwood).get("/dashboard/").content.decode()
    assert "notification-bell" not in visitor and "/notifications/" not in visitor
    none = client_as(greenwood, "brian").get("/dashboard/").content.decode()
    assert 'aria-label="Notifications"' in none and "unread" not in none


def test_the_unread_count_is_one_query(greenwood, submitted):
    with schema_context("greenwood"):
        grace = user_named("grace")
        with CaptureQueriesContext(connection) as queries:
            assert selectors.unread_count(user=grace) == 1
    assert len(queries) == 1
    # The menu of a page asks for it once, whatever the number of notifications.
    client = client_as(greenwood, "grace")
    with CaptureQueriesContext(connection) as page_queries:
        client.get("/my-media/")
    counts = [q["sql"] for q in page_queries if '"notifications_notification"' in q["sql"]]
    assert len(counts) == 1 and "COUNT(" in counts[0]


def test_the_list_is_newest_first_and_paginated(greenwood, submitted):
    with schema_context("greenwood"):
        amina = user_named("amina")
        for n in range(views.PER_PAGE + 3):
            notification_create(
                recipient=amina,
                kind=Kind.APPROVED,
                event=f"test:{n}",
                page=submitted,
                params={"teacher": "Grace", "title": f"Work {n}"},
            )
    client = client_as(greenwood, "amina")
    first = client.get("/notifications/")
    items = first.context["items"]
    assert len(items) == views.PER_PAGE
    assert items[0].text == f"Grace approved “Work {views.PER_PAGE + 2}”. It is published."
    assert all(item.url == f"/work/{submitted.pk}/" for item in items)
    second = client.get("/notifications/?page=2")
    assert [item.text for item in second.context["items"]][-1].endswith(
        "“Work 0”. It is published."
    )
    assert len(second.context["items"]) == 3


def test_the_list_costs_the_same_queries_for_more_notifications(greenwood, submitted):
    client = client_as(greenwood, "grace")
    client.get("/notifications/")
    with CaptureQueriesContext(connection) as one:
        client.get("/notifications/")
    with schema_context("greenwood"):
        grace = user_named("grace")
        for n in range(8):
            notification_create(
                recipient=grace, kind=Kind.SUBMITTED, event=f"more:{n}", page=submitted
            )
    with CaptureQueriesContext(connection) as nine:
        client.get("/notifications/")
    assert len(nine) == len(one)


def test_opening_marks_read_and_goes_to_the_review(greenwood, submitted):
    [note] = _notifications("grace")
    grace = client_as(greenwood, "grace")
    response = grace.get(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response.url == f"/review/{submitted.pk}/"
    [note] = _notifications("grace")
    assert note.read_at is not None
    assert 'aria-label="Notifications"' in grace.get("/dashboard/").content.decode()


def test_someone_elses_notification_is_a_404(greenwood, submitted):
    [note] = _notifications("grace")
    for who in ("peter", "amina", "admin@greenwood.test"):
        assert client_as(greenwood, who).get(f"/notifications/{note.pk}/").status_code == 404
    assert client_for(greenwood).get(f"/notifications/{note.pk}/").status_code == 302  # sign in
    assert client_for(greenwood).get("/notifications/").status_code == 302
    with schema_context("greenwood"):
        assert notifications_mark_read(user=user_named("peter"), pks=[note.pk]) == 0
    client_as(greenwood, "peter").post("/notifications/read/")
    assert _notifications("grace")[0].read_at is None


def test_mark_all_read(greenwood, submitted):
    grace = client_as(greenwood, "grace")
    assert grace.get("/notifications/read/").status_code == 405  # a POST only
    response = grace.post("/notifications/read/", follow=True)
    assert str(views.MESSAGE_ALL_READ) in response.content.decode()
    assert all(note.read_at is not None for note in _notifications("grace"))
    assert b"Mark all read" not in response.content


def test_a_guardianship_ended_hides_the_work(
    greenwood, submitted, django_capture_on_commit_callbacks
):
    _decide(greenwood, submitted, "approve", "", django_capture_on_commit_callbacks)
    [note] = _notifications("mama.amina@greenwood.test")
    guardian = client_as(greenwood, "mama.amina@greenwood.test")
    assert "Lake at noon" in guardian.get("/notifications/").content.decode()
    with schema_context("greenwood"):
        Guardianship.objects.filter(guardian__email="mama.amina@greenwood.test").delete()
    html = guardian.get("/notifications/").content.decode()
    assert "Lake at noon" not in html and "Amina" not in html.split("<main")[1]
    assert str(kinds.GONE) in html and f"/notifications/{note.pk}/" not in html
    response = guardian.get(f"/notifications/{note.pk}/", follow=True)
    assert response.redirect_chain[-1][0] == "/notifications/"
    assert str(kinds.GONE) in response.content.decode()


def test_a_teacher_who_left_the_class_no_longer_sees_the_submission(greenwood, submitted):
    [note] = _notifications("grace")
    with schema_context("greenwood"):
        classroom_teacher_unassign(
            classroom=Classroom.objects.get(name="Art"), teacher=note.recipient
        )
    grace = client_as(greenwood, "grace")
    [item] = grace.get("/notifications/").context["items"]
    assert item.url is None and item.text == kinds.GONE
    assert grace.get(f"/notifications/{note.pk}/").url == "/notifications/"


def test_a_student_moved_class_still_reaches_her_own_work(
    greenwood, submitted, django_capture_on_commit_callbacks
):
    _decide(greenwood, submitted, "approve", "", django_capture_on_commit_callbacks)
    with schema_context("greenwood"):
        Classroom.objects.get(name="Art").enrolments.filter(student__username="amina").delete()
    [item] = client_as(greenwood, "amina").get("/notifications/").context["items"]
    assert item.url == f"/work/{submitted.pk}/"


def test_the_words_are_rendered_from_kind_and_parameters():
    note = Notification(kind=Kind.CHILD_PUBLISHED, params={"child": "Amina", "title": "Kite"})
    assert kinds.notification_text(note) == "Amina’s work “Kite” is published."
    assert kinds.notification_text(Notification(kind=Kind.APPROVED, params={})) == (
        "Someone approved “a work”. It is published."
    )
    assert kinds.notification_text(note, visible=False) == kinds.GONE


def test_erasing_a_student_takes_what_named_her(
    greenwood, submitted, django_capture_on_commit_callbacks
):
    _decide(greenwood, submitted, "approve", "", django_capture_on_commit_callbacks)
    with schema_context("greenwood"):
        assert Notification.objects.filter(params__student="Amina Hassan").exists()
        student_erase(
            student=user_named("amina"),
            user=user_named("admin@greenwood.test"),
            confirmation="amina",
        )
        # Her own, her guardian's of her work, and her teacher's of her submission.
        assert not Notification.objects.filter(page_id=submitted.pk).exists()
        assert not Notification.objects.filter(params__student="Amina Hassan").exists()
