"""Moderation emails: to a class's teachers when a student submits work, and to the student
when their work is approved or changes are requested; to the student's guardians (families)
who want it when their child's work is first published, approved or posted in a trusted class.

They follow Wagtail's task signals (task_submitted, task_approved, task_rejected) for the
classes' moderation task (classrooms.ClassTeachersTask), so a decision sends them wherever it
is taken: the front end's review queue, the Wagtail admin, or a TaskState.approve() anywhere.
They are tasks (Django's Tasks API: run by the worker in dev and production, at once in
tests), run in the school they were enqueued from (core.worker), and enqueued only once the
transaction that decided them commits, so a rolled-back decision sends nothing. Links point
at the school's own domain. Wagtail's own workflow emails are switched off
(media_library.apps): they would send students links into an admin they cannot open, twice
over with these. Each task also makes the app's own notifications (media_library.inbox),
which need no email address.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task
from wagtail.models import TaskState

from classrooms.models import ClassTeachersTask
from core.languages import language_for_user
from core.tasks import enqueue_on_commit
from families.selectors import guardians_to_notify
from tenants.urls_helpers import current_base_url, current_site_name

from .inbox import decision_inbox, guardians_inbox, submission_inbox
from .models import MediaPage

SUBMITTED = "submitted"
APPROVED = "approved"
CHANGES_REQUESTED = "changes_requested"
GUARDIAN_PUBLISHED = "guardian_published"


def _page_url(page, *, edit: bool = False) -> str:
    if isinstance(page, MediaPage):
        name = "media_library:media-edit" if edit else "media_library:media-detail"
        return current_base_url() + reverse(name, args=[page.pk])
    # A teacher's own page (a gallery) sent for approval: its editor in the Wagtail admin.
    return current_base_url() + reverse("wagtailadmin_pages:edit", args=[page.pk])


def _send(*, template: str, recipients, context: dict) -> int:
    """One message per person (nobody sees who else got it), over one connection."""
    context = {**context, "school_name": current_site_name()}
    messages = []
    for person in recipients:
        personal = {**context, "recipient": person}
        with translation.override(language_for_user(person)):  # theirs, else the school's
            subject = render_to_string(f"media_library/emails/{template}_subject.txt", personal)
            body = render_to_string(f"media_library/emails/{template}.txt", personal)
        messages.append(
            EmailMessage(
                " ".join(subject.split()),
                body,
                settings.DEFAULT_FROM_EMAIL,
                [person.email],
            )
        )
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


@task()
def submission_notify(*, task_state_id: int) -> int:
    """Email the class's teachers that work awaits their review, with a link to review it
    on the school's site. Returns how many emails were sent."""
    task_state = (
        TaskState.objects.select_related("workflow_state__requested_by")
        .filter(pk=task_state_id, status=TaskState.STATUS_IN_PROGRESS)
        .first()
    )
    if task_state is None:  # already reviewed, or cancelled, before this ran
        return 0
    classroom = task_state.task.specific.classroom
    page = task_state.workflow_state.content_object.specific
    student = task_state.workflow_state.requested_by
    submission_inbox(task_state=task_state, page=page, classroom=classroom, student=student)
    teachers = classroom.teachers.filter(is_active=True).exclude(email="")
    if student is not None:
        teachers = teachers.exclude(pk=student.pk)
    context = {
        "page": page,
        "classroom": classroom,
        "student": student,
        "review_url": _review_url(page),
        "queue_url": _queue_url(),
    }
    return _send(template=SUBMITTED, recipients=teachers, context=context)


def _review_url(page) -> str:
    if isinstance(page, MediaPage):
        return current_base_url() + reverse("media_library:review-detail", args=[page.pk])
    return _page_url(page)


def _queue_url() -> str:
    return current_base_url() + reverse("media_library:review-list")


@task()
def decision_notify(*, task_state_id: int) -> int:
    """Email the student that their work was approved (a link to it) or that changes are
    requested (the teacher's comment and a link to edit it). Returns how many were sent."""
    task_state = (
        TaskState.objects.select_related("workflow_state__requested_by", "finished_by")
        .filter(pk=task_state_id)
        .first()
    )
    if task_state is None or task_state.status not in (
        TaskState.STATUS_APPROVED,
        TaskState.STATUS_REJECTED,
    ):
        return 0
    student = task_state.workflow_state.requested_by
    reviewer = task_state.finished_by
    if student is None or not student.is_active or student == reviewer:
        return 0
    page = task_state.workflow_state.content_object.specific
    approved = task_state.status == TaskState.STATUS_APPROVED
    decision_inbox(
        task_state=task_state, page=page, student=student, reviewer=reviewer, approved=approved
    )
    if not student.email:
        return 0
    context = {
        "page": page,
        "reviewer": reviewer,
        "comment": task_state.comment,
        "page_url": _page_url(page, edit=not approved),
    }
    return _send(
        template=APPROVED if approved else CHANGES_REQUESTED,
        recipients=[student],
        context=context,
    )


def _class_task(task_state) -> bool:
    """Only the classes' own task sends these: any other workflow task (Wagtail's group
    approval of a teacher's gallery) sends nothing of ours."""
    return task_state.task.specific_class is ClassTeachersTask


def on_task_submitted(sender, instance, user=None, **kwargs) -> None:
    """A submission, or a resubmission after changes were requested: tell the teachers."""
    if _class_task(instance):
        enqueue_on_commit(submission_notify, task_state_id=instance.pk)


def on_task_decided(sender, instance, user=None, **kwargs) -> None:
    """Approved, or changes requested: tell the student (and, once it is published, the
    guardians who want it)."""
    if _class_task(instance):
        enqueue_on_commit(decision_notify, task_state_id=instance.pk)
        if instance.status == TaskState.STATUS_APPROVED:
            enqueue_on_commit(guardians_notify, page_id=int(instance.workflow_state.object_id))


@task()
def guardians_notify(*, page_id: int) -> int:
    """Email the guardians of a work's owner who want it (Guardianship.notify_on_publish)
    that their child's work is published, with a link to it. Only its first publication: an
    approved change to live work sends nothing again. Returns how many were sent."""
    page = MediaPage.objects.filter(pk=page_id, live=True).select_related("owner").first()
    if page is None or page.owner is None or page.first_published_at != page.last_published_at:
        return 0
    guardians_inbox(page=page)
    context = {
        "page": page,
        "child": page.owner,
        "page_url": _page_url(page),
        "account_url": current_base_url() + reverse("families:account"),
    }
    return _send(
        template=GUARDIAN_PUBLISHED, recipients=guardians_to_notify(page.owner), context=context
    )
