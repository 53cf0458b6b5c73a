"""Reviewing: the front end's review queue (a class's teachers and school admins only), the
decisions (approve publishes; request changes needs a comment the student sees), the emails
to teachers and students with links on the school's domain, and the same decisions taken in
the Wagtail admin. Wagtail's own workflow emails are off: each event sends exactly ours."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tenants.utils import schema_context
from wagtail.models import PageLogEntry, TaskState, WorkflowState

from classrooms.forms import ERROR_COMMENT_REQUIRED
from classrooms.models import Classroom
from conftest import client_as, client_for, user_named
from media_library import selectors, services, views
from media_library.models import MediaPage
from media_library.tests import samples

pytestmark = pytest.mark.django_db

SCHOOL_ORIGIN = "http://greenwood.localhost:8000"
AMINAS_GUARDIAN = "mama.amina@greenwood.test"  # the demo's; told when her work is published


def _to_student(mailoutbox) -> list:
    """The emails to the student (her guardian's are families' tests)."""
    return [mail for mail in mailoutbox if mail.to != [AMINAS_GUARDIAN]]


@pytest.fixture(autouse=True)
def _school_links(settings):
    settings.PLATFORM_SCHEME, settings.PLATFORM_DOMAIN, settings.PLATFORM_PORT = (
        "http",
        "localhost",
        8000,
    )


def _submit(title="Lake at noon", owner="amina", classroom="Art"):
    with schema_context("greenwood"):
        return services.media_upload(
            classroom=Classroom.objects.get(name=classroom),
            uploaded_by=user_named(owner),
            file=samples.uploaded(samples.png(), "lake.png"),
            title=title,
        )


def _state(page):
    with schema_context("greenwood"):
        page = MediaPage.objects.get(pk=page.pk)
        return selectors.media_page_status(page), page.live


def test_submitting_emails_the_classs_teachers_only(
    greenwood, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = _submit()
    [mail] = mailoutbox
    assert mail.to == ["grace@greenwood.test"]  # Art's teacher; not Peter, not the admin
    assert "Lake at noon" in mail.subject and "Amina Hassan" in mail.subject
    assert f"{SCHOOL_ORIGIN}/review/{page.pk}/" in mail.body
    assert f"{SCHOOL_ORIGIN}/review/" in mail.body


def test_the_queue_shows_what_awaits_each_teacher(greenwood):
    art = _submit()
    media = _submit("Our film", owner="david", classroom="Media Studies")
    grace = client_as(greenwood, "grace").get("/review/")
    assert [i.page.pk for i in grace.context["items"]] == [art.pk]
    assert b"Lake at noon" in grace.content and b"Our film" not in grace.content
    peter = client_as(greenwood, "peter").get("/review/")
    assert [i.page.pk for i in peter.context["items"]] == [media.pk]
    admin = client_as(greenwood, "admin@greenwood.test").get("/review/")
    assert {i.page.pk for i in admin.context["items"]} == {art.pk, media.pk}
    student = client_as(greenwood, "amina").get("/review/")
    assert student.context["items"] == [] and str(views.NO_REVIEWS).encode() in student.content


def test_the_menu_counts_what_awaits_review(greenwood):
    _submit()
    html = client_as(greenwood, "grace").get("/dashboard/").content.decode()
    assert '1<span class="visually-hidden"> awaiting your review' in html
    assert (
        "awaiting your review"
        not in client_as(greenwood, "amina").get("/dashboard/").content.decode()
    )


def test_a_submission_is_reviewed_only_by_its_classs_teachers(greenwood):
    page = _submit()
    url = f"/review/{page.pk}/"
    for who in ("peter", "amina", "brian"):
        client = client_as(greenwood, who)
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "approve"}).status_code == 404
    assert client_for(greenwood).get(url).status_code == 302  # to sign in
    assert _state(page) == (selectors.MediaStatus("awaiting_approval", "Awaiting approval"), False)
    assert client_as(greenwood, "grace").get(url).status_code == 200


def test_the_preview_shows_the_submitted_version(greenwood):
    page = _submit()
    response = client_as(greenwood, "grace").get(f"/review/{page.pk}/")
    assert response.context["page"].title == "Lake at noon"
    assert b"<img" in response.content and b"Approve and publish" in response.content


def test_approving_publishes_and_emails_the_student(
    greenwood, mailoutbox, django_capture_on_commit_callbacks
):
    page = _submit()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(greenwood, "grace").post(
            f"/review/{page.pk}/", {"decision": "approve", "comment": "Lovely colours"}
        )
    assert response.status_code == 302 and response.url == reverse("media_library:review-list")
    status, live = _state(page)
    assert live and status.code == "published"
    [mail] = _to_student(mailoutbox)
    assert mail.to == ["amina@greenwood.test"] and "approved" in mail.subject
    assert [m.to for m in mailoutbox if m is not mail] == [[AMINAS_GUARDIAN]]
    assert f"{SCHOOL_ORIGIN}/work/{page.pk}/" in mail.body and "Lovely colours" in mail.body
    # The visibility (class) decides who sees it now: a classmate does, a visitor does not.
    assert client_as(greenwood, "brian").get(f"/work/{page.pk}/").status_code == 200
    assert client_for(greenwood).get(f"/work/{page.pk}/").status_code == 404
    with schema_context("greenwood"):
        actions = set(PageLogEntry.objects.filter(page_id=page.pk).values_list("action", flat=True))
    assert {"wagtail.workflow.start", "wagtail.workflow.approve", "wagtail.publish"} <= actions


def test_requesting_changes_needs_a_comment(greenwood, mailoutbox):
    page = _submit()
    response = client_as(greenwood, "grace").post(
        f"/review/{page.pk}/", {"decision": "reject", "comment": "  "}
    )
    assert response.status_code == 200
    assert str(ERROR_COMMENT_REQUIRED) in response.context["form"].errors["comment"]
    assert _state(page)[0].code == "awaiting_approval" and mailoutbox == []


def test_changes_requested_resubmitted_then_approved(
    greenwood, mailoutbox, django_capture_on_commit_callbacks
):
    page = _submit()
    grace = client_as(greenwood, "grace")
    with django_capture_on_commit_callbacks(execute=True):
        grace.post(f"/review/{page.pk}/", {"decision": "reject", "comment": "Add a title card."})
    status, live = _state(page)
    assert status.code == "changes_requested" and status.comment == "Add a title card."
    assert not live
    [mail] = mailoutbox
    assert mail.to == ["amina@greenwood.test"] and "Add a title card." in mail.body
    assert f"{SCHOOL_ORIGIN}/work/{page.pk}/edit/" in mail.body
    # The student sees the comment in My media, and resubmits by editing.
    amina = client_as(greenwood, "amina")
    assert b"Add a title card." in amina.get("/my-media/").content
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = amina.post(
            f"/work/{page.pk}/edit/",
            {"title": "Lake at noon, titled", "description": "", "tags": "", "visibility": "class"},
        )
    assert response.status_code == 302
    assert _state(page)[0].code == "awaiting_approval"
    [again] = mailoutbox
    assert again.to == ["grace@greenwood.test"] and "Lake at noon, titled" in again.subject
    # The teacher sees the new version, and approves it.
    assert grace.get(f"/review/{page.pk}/").context["page"].title == "Lake at noon, titled"
    grace.post(f"/review/{page.pk}/", {"decision": "approve"})
    status, live = _state(page)
    assert live and status.code == "published"
    with schema_context("greenwood"):
        assert MediaPage.objects.get(pk=page.pk).title == "Lake at noon, titled"


def test_a_decision_already_taken_is_not_taken_twice(greenwood):
    page = _submit()
    with schema_context("greenwood"):
        services.media_review(
            page=MediaPage.objects.get(pk=page.pk), user=user_named("grace"), decision="approve"
        )
        with pytest.raises(services.ValidationError) as error:
            services.media_review(
                page=MediaPage.objects.get(pk=page.pk),
                user=user_named("admin@greenwood.test"),
                decision="reject",
                comment="Too late",
            )
        assert error.value.code == services.REVIEW_DONE
        assert error.value.messages == [str(services.ERROR_REVIEW_DONE)]
        assert TaskState.objects.filter(status=TaskState.STATUS_REJECTED).count() == 0


def test_the_service_refuses_a_teacher_of_another_class(school):
    page = _submit()
    with pytest.raises(services.PermissionDenied):
        services.media_review(page=page, user=user_named("peter"), decision="approve")
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_teachers_own_uploads_skip_the_queue(school):
    page = _submit("Example for the class", owner="grace")
    assert page.live and page.current_workflow_state is None


def test_admin_request_changes_needs_a_comment_and_emails_once(
    greenwood, mailoutbox, django_capture_on_commit_callbacks
):
    """The Wagtail admin's own "Request changes" path: the same rule, the same single email
    (Wagtail's would have been a second one, with an admin link the student cannot open)."""
    page = _submit()
    with schema_context("greenwood"):
        task_state = MediaPage.objects.get(pk=page.pk).current_workflow_state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk])
    grace = client_as(greenwood, "grace")
    xhr = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}  # the admin's modal posts this way
    empty = grace.post(url, {"comment": ""}, **xhr)
    assert str(ERROR_COMMENT_REQUIRED) in empty.json()["html"]
    assert _state(page)[0].code == "awaiting_approval"
    with django_capture_on_commit_callbacks(execute=True):
        grace.post(url, {"comment": "Crop the edges."}, **xhr)
    assert _state(page)[0] == selectors.MediaStatus(
        "changes_requested", "Changes requested", "Crop the edges."
    )
    [mail] = mailoutbox
    assert mail.to == ["amina@greenwood.test"] and SCHOOL_ORIGIN in mail.body


def test_admin_approval_publishes_and_emails_once(
    greenwood, mailoutbox, django_capture_on_commit_callbacks
):
    page = _submit()
    with schema_context("greenwood"):
        task_state = MediaPage.objects.get(pk=page.pk).current_workflow_state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_as(greenwood, "grace").post(url, {})
    status, live = _state(page)
    assert live and status.code == "published"
    assert [m.to for m in _to_student(mailoutbox)] == [["amina@greenwood.test"]]
    assert len(mailoutbox) == 2  # and one to her guardian


def test_the_admin_dashboard_lists_it_for_its_teacher_only(greenwood):
    """Wagtail's "Awaiting your review" panel on the admin's dashboard."""
    _submit()
    assert "Lake at noon" in client_as(greenwood, "grace").get("/admin/").content.decode()
    assert "Lake at noon" not in client_as(greenwood, "peter").get("/admin/").content.decode()


def test_a_teacher_of_another_class_cannot_reach_it_in_the_admin(greenwood):
    page = _submit()
    with schema_context("greenwood"):
        task_state = MediaPage.objects.get(pk=page.pk).current_workflow_state.current_task_state
    peter = client_as(greenwood, "peter")
    assert peter.get(f"/admin/pages/{page.pk}/edit/").status_code == 404
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
    )
    assert peter.post(approve, {}).status_code == 404
    assert _state(page)[0].code == "awaiting_approval"


def test_the_queue_costs_the_same_queries_for_more_submissions(greenwood):
    """Each submission's preview is built from its revision's data: no query per item."""
    grace = client_as(greenwood, "grace")
    counts = []
    for n in (1, 4):
        while len(grace.get("/review/").context["items"]) < n:
            _submit(f"Piece {n}")
        grace.get("/review/")  # thumbnails made once, as in production
        with CaptureQueriesContext(connection) as queries:
            assert len(grace.get("/review/").context["items"]) == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_decision_taken_anywhere_emails_the_student(
    greenwood, mailoutbox, django_capture_on_commit_callbacks
):
    """The emails follow Wagtail's task signals, not a view: a TaskState.approve() or
    reject() from any code (a script, another admin view) sends them too, once."""
    approved, rejected = _submit(), _submit("Lake at dusk")
    mailoutbox.clear()
    with schema_context("greenwood"), django_capture_on_commit_callbacks(execute=True):
        grace = user_named("grace")
        for page in (approved, rejected):
            page = MediaPage.objects.get(pk=page.pk)
            state = page.current_workflow_state.current_task_state
            if page.title == "Lake at noon":
                state.approve(user=grace)
            else:
                state.reject(user=grace, comment="Crop the sky.")
    to_student = _to_student(mailoutbox)
    assert [mail.to for mail in to_student] == [["amina@greenwood.test"]] * 2
    assert "Lake at noon" in to_student[0].subject
    assert "Crop the sky." in to_student[1].body
    assert [mail.to for mail in mailoutbox if mail not in to_student] == [[AMINAS_GUARDIAN]]
    assert _state(approved) == (selectors.MediaStatus("published", "Published"), True)


def test_a_rolled_back_decision_sends_nothing(
    greenwood, mailoutbox, django_capture_on_commit_callbacks
):
    page = _submit()
    mailoutbox.clear()
    with (
        schema_context("greenwood"),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        page = MediaPage.objects.get(pk=page.pk)
        page.current_workflow_state.current_task_state.approve(user=user_named("grace"))
        raise RuntimeError("the rest of the request failed")
    assert mailoutbox == []
    assert _state(page)[0].code == "awaiting_approval"
