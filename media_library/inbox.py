"""Moderation in the app's notifications (the menu's bell), beside the emails of
media_library.notifications: made by the same tasks, so only once the decision's
transaction commits (a rolled-back decision leaves none), and once per event (a task run
again after a mail server failure makes none twice). Unlike the emails they need no email
address: many students have none, or never read it.

Whom each is for, and what it may link to later (`notification_targets`, checked each time
it is shown, so it never shows work its reader can no longer see):
- a class's teachers, of a new submission: while they still teach the class (review it
  while it awaits review, else the work's page);
- the student, of a decision on their work: their own work, which they always see;
- a student's guardians, of the work's first publication: while they are still a guardian
  of its owner and the work is live (the families' rule of media_page_visible_q).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from accounts.permissions import is_school_admin, is_teacher
from classrooms.selectors import classroom_list
from families.models import Guardianship
from families.selectors import guardian_children_ids
from notifications.models import Kind
from notifications.services import notification_create, notifications_create

from .models import MediaPage
from .selectors import media_page_visible_q, pages_under


def _name(person) -> str:
    return (person.get_full_name() or person.get_username()) if person is not None else ""


def submission_inbox(*, task_state, page, classroom, student) -> int:
    """The class's teachers: work awaits their review."""
    teachers = classroom.teachers.filter(is_active=True)
    if student is not None:
        teachers = teachers.exclude(pk=student.pk)
    return notifications_create(
        recipients=teachers,
        kind=Kind.SUBMITTED,
        event=f"task_state:{task_state.pk}",
        page=page,
        params={"student": _name(student), "title": page.title, "classroom": classroom.name},
    )


def decision_inbox(*, task_state, page, student, reviewer, approved: bool) -> None:
    """The student: approved, or changes requested (with the teacher's comment)."""
    notification_create(
        recipient=student,
        kind=Kind.APPROVED if approved else Kind.CHANGES_REQUESTED,
        event=f"task_state:{task_state.pk}",
        page=page,
        params={"teacher": _name(reviewer), "title": page.title, "comment": task_state.comment},
    )


def guardians_inbox(*, page) -> int:
    """The owner's guardians: their child's work is published (its first publication). The
    email is for those who asked for it; this is for every guardian, in the app."""
    guardians = [
        link.guardian
        for link in Guardianship.objects.filter(student=page.owner).select_related("guardian")
    ]
    return notifications_create(
        recipients=guardians,
        kind=Kind.CHILD_PUBLISHED,
        event=f"published:{page.pk}",
        page=page,
        params={"child": page.owner.get_short_name() or _name(page.owner), "title": page.title},
    )


def notification_targets(*, user, notifications) -> dict[int, str]:
    """notifications.selectors.TARGETS_HOOK: a link for each moderation notification whose
    work `user` may still see, none for the others. A fixed number of queries for any page."""
    by_kind: dict[str, list] = {}
    for notification in notifications:
        if notification.page_id is not None:
            by_kind.setdefault(notification.kind, []).append(notification)
    urls: dict[int, str] = {}
    urls.update(_submitted_targets(user, by_kind.get(Kind.SUBMITTED, [])))
    for kind in (Kind.APPROVED, Kind.CHANGES_REQUESTED):
        urls.update(_decision_targets(user, by_kind.get(kind, []), edit=kind != Kind.APPROVED))
    urls.update(_child_targets(user, by_kind.get(Kind.CHILD_PUBLISHED, [])))
    return urls


def _detail(pk: int, *, edit: bool = False) -> str:
    return reverse("media_library:media-edit" if edit else "media_library:media-detail", args=[pk])


def _submitted_targets(user, notifications) -> dict[int, str]:
    if not notifications or not (is_school_admin(user) or is_teacher(user)):
        return {}
    ids = {n.page_id for n in notifications}
    paths = classroom_list(user=user).values_list("page__path", flat=True)
    in_their_classes = set(
        MediaPage.objects.filter(pages_under(paths), pk__in=ids).values_list("pk", flat=True)
    )
    # Work of their classes that awaits a decision (whose, then, is theirs to take).
    awaiting = {
        int(pk)
        for pk in TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
            workflow_state__content_type=ContentType.objects.get_for_model(MediaPage),
            workflow_state__object_id__in=[str(pk) for pk in in_their_classes],
        ).values_list("workflow_state__object_id", flat=True)
    }
    visible = set(
        MediaPage.objects.filter(media_page_visible_q(user), pk__in=in_their_classes).values_list(
            "pk", flat=True
        )
    )
    urls = {}
    for n in notifications:
        if n.page_id in awaiting:
            urls[n.pk] = reverse("media_library:review-detail", args=[n.page_id])
        elif n.page_id in visible:
            urls[n.pk] = _detail(n.page_id)
        elif n.page_id in in_their_classes:  # sent back for changes: nothing to open yet
            urls[n.pk] = reverse("media_library:review-list")
    return urls


def _decision_targets(user, notifications, *, edit: bool) -> dict[int, str]:
    if not notifications:
        return {}
    own = set(
        MediaPage.objects.filter(owner=user, pk__in={n.page_id for n in notifications}).values_list(
            "pk", flat=True
        )
    )
    return {n.pk: _detail(n.page_id, edit=edit) for n in notifications if n.page_id in own}


def _child_targets(user, notifications) -> dict[int, str]:
    if not notifications:
        return {}
    visible = set(
        MediaPage.objects.filter(
            media_page_visible_q(user, allow_public=False),
            owner__in=guardian_children_ids(user),
            live=True,
            pk__in={n.page_id for n in notifications},
        ).values_list("pk", flat=True)
    )
    return {n.pk: _detail(n.page_id) for n in notifications if n.page_id in visible}
