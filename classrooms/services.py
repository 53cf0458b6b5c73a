"""Writes about classes: creating them with their collection, page and permissions,
assigning teachers, enrolling students, join codes, and students signing up or joining a
class with its code."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from functools import partial

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts.permissions import is_student, is_teacher
from accounts.roles import STUDENT, TEACHER
from accounts.services import collection_permissions, user_signup_with_code
from core.pages import unique_child_slug
from core.ratelimit import TooManyFailures, attempt_begin, wait_text

from .models import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    Classroom,
    ClassroomPage,
    ClassTeachersTask,
    Enrolment,
    TeacherAssignment,
)
from .selectors import classroom_get_by_join_code

# What a class's teachers may do with its page subtree and its collection.
TEACHER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]

ERROR_NOT_A_TEACHER = _("{user} is not a teacher: give them the Teacher role first.")
ERROR_NOT_A_STUDENT = _("{user} is not a student: only students enrol in classes.")
ERROR_ARCHIVED = _("This class is archived and takes no new students.")
ERROR_NAME_REQUIRED = _("Enter the class's name.")
ERROR_JOIN_CODE_WRONG = _("That class code is not right. Check it with your teacher and try again.")
ERROR_JOIN_CODE_ARCHIVED = _("That class is archived and takes no new students. Ask your teacher.")
ERROR_ALREADY_ENROLLED = _("You are already in {classroom}.")
ERROR_JOIN_NOT_A_STUDENT = _(
    "Only students join classes with a code. Teachers are assigned by the school admin."
)
ERROR_JOIN_CODE_TOO_MANY = _(
    "Too many wrong class codes have been tried, so class codes are paused here. "
    "Wait {wait}, then type the code your teacher gave you."
)
# settings.RATE_LIMITS' group of wrong class codes, per signed-in student and per address.
JOIN_CODE_FAILURES = "join_code"


def join_code_generate() -> str:
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if not Classroom.objects.filter(join_code=code).exists():
            return code


def _home_page() -> Page:
    return Site.objects.get(is_default_site=True).root_page


@transaction.atomic
def classroom_create(
    *, name: str, grade: str = "", subject: str = "", teachers: Iterable = ()
) -> Classroom:
    """Create a class with its own Wagtail collection, its ClassroomPage under the school's
    home page, and a group holding its teachers' page and collection permissions."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": ERROR_NAME_REQUIRED})
    home = _home_page()
    label = f"{name} ({grade})" if grade else name
    collection = Collection.get_first_root_node().add_child(name=label)
    page = ClassroomPage(title=label, slug=unique_child_slug(home, label, fallback="class"))
    home.add_child(instance=page)
    page.save_revision(log_action=False).publish(log_action=False)
    group = Group.objects.create(name=f"Teachers of {label} [{page.slug}]")

    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group=group, page=page, permission=perm)
        for perm in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=TEACHER_PAGE_PERMISSIONS
        )
    )
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(group=group, collection=collection, permission=perm)
        for perm in collection_permissions()
    )
    classroom = Classroom(
        name=name,
        grade=grade.strip(),
        subject=subject.strip(),
        join_code=join_code_generate(),
        collection=collection,
        page=page,
        teacher_group=group,
    )
    classroom.full_clean()
    classroom.save()
    classroom_workflow_ensure(classroom=classroom)
    classroom_teachers_set(classroom=classroom, teachers=teachers)
    return classroom


def classroom_workflow_ensure(*, classroom: Classroom) -> Workflow:
    """The class's moderation workflow (one task: its teachers' approval), on its page, so
    everything under the class page goes through it."""
    task = ClassTeachersTask.objects.filter(classroom=classroom).first()
    if task is None:
        task = ClassTeachersTask.objects.create(
            name=f"Teachers of {classroom}", classroom=classroom
        )
    link = WorkflowPage.objects.filter(page_id=classroom.page_id).select_related("workflow").first()
    if link is not None:
        return link.workflow
    workflow = Workflow.objects.create(name=f"Moderation: {classroom}")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page_id=classroom.page_id)
    return workflow


def classroom_permissions_sync() -> None:
    """Every class's teachers' group holds the page and collection permissions of its class,
    including those of media apps installed after the class was made. Idempotent; runs
    after every school migration (classrooms.apps)."""
    page_perms = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=TEACHER_PAGE_PERMISSIONS
        )
    )
    media_perms = collection_permissions()
    for classroom in Classroom.objects.select_related("teacher_group"):
        classroom_workflow_ensure(classroom=classroom)  # classes made before workflows
        group = classroom.teacher_group
        for perm in page_perms:
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=classroom.page_id, permission=perm
            )
        for perm in media_perms:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection_id=classroom.collection_id, permission=perm
            )


@transaction.atomic
def classroom_update(*, classroom: Classroom, name: str, grade: str, subject: str) -> Classroom:
    name = name.strip()
    if not name:
        raise ValidationError({"name": ERROR_NAME_REQUIRED})
    classroom.name, classroom.grade, classroom.subject = name, grade.strip(), subject.strip()
    classroom.full_clean()
    classroom.save()
    label = str(classroom)
    Collection.objects.filter(pk=classroom.collection_id).update(name=label)
    if classroom.page.title != label:
        page = classroom.page.specific
        page.title = label
        page.save_revision(log_action=False).publish(log_action=False)
    return classroom


@transaction.atomic
def classroom_teacher_assign(*, classroom: Classroom, teacher) -> None:
    if not is_teacher(teacher):
        raise ValidationError(ERROR_NOT_A_TEACHER.format(user=teacher))
    TeacherAssignment.objects.get_or_create(classroom=classroom, teacher=teacher)
    teacher.groups.add(classroom.teacher_group)


@transaction.atomic
def classroom_teacher_unassign(*, classroom: Classroom, teacher) -> None:
    TeacherAssignment.objects.filter(classroom=classroom, teacher=teacher).delete()
    teacher.groups.remove(classroom.teacher_group)


@transaction.atomic
def classroom_teachers_set(*, classroom: Classroom, teachers: Iterable) -> None:
    wanted = {t.pk: t for t in teachers}
    current = {a.teacher_id: a.teacher for a in classroom.assignments.select_related("teacher")}
    for pk, teacher in wanted.items():
        if pk not in current:
            classroom_teacher_assign(classroom=classroom, teacher=teacher)
    for pk, teacher in current.items():
        if pk not in wanted:
            classroom_teacher_unassign(classroom=classroom, teacher=teacher)


@transaction.atomic
def classroom_student_enrol(*, classroom: Classroom, student) -> Enrolment:
    if classroom.is_archived:
        raise ValidationError(ERROR_ARCHIVED)
    if not is_student(student):
        raise ValidationError(ERROR_NOT_A_STUDENT.format(user=student))
    enrolment, _ = Enrolment.objects.get_or_create(classroom=classroom, student=student)
    return enrolment


def classroom_student_remove(*, classroom: Classroom, student) -> None:
    Enrolment.objects.filter(classroom=classroom, student=student).delete()


def classroom_join_code_regenerate(*, classroom: Classroom) -> str:
    """A new code; the old one stops working at once."""
    classroom.join_code = join_code_generate()
    classroom.save(update_fields=["join_code"])
    return classroom.join_code


def classroom_trust_set(*, classroom: Classroom, trusted: bool) -> None:
    """A trusted class's students publish without a teacher's approval (school admins)."""
    if classroom.is_trusted != trusted:
        classroom.is_trusted = trusted
        classroom.save(update_fields=["is_trusted"])


def classroom_archive(*, classroom: Classroom, archived: bool = True) -> None:
    classroom.is_archived = archived
    classroom.save(update_fields=["is_archived"])


@transaction.atomic
def memberships_clear_for_role(*, user, role: str) -> None:
    """A role change ends what the old role held: a former teacher's assignments (and so
    their per-class permissions), a former student's enrolments."""
    if role != TEACHER:
        for assignment in TeacherAssignment.objects.filter(teacher=user).select_related(
            "classroom"
        ):
            classroom_teacher_unassign(classroom=assignment.classroom, teacher=user)
    if role != STUDENT:
        Enrolment.objects.filter(student=user).delete()


def _classroom_for_code(join_code: str, *, address: str, student=None) -> Classroom:
    """The class a code lets a student into. A wrong code, or an archived class's, raises and
    counts as a failure of the address (and of the student, when signed in); once either
    has used up its failures (settings.RATE_LIMITS["join_code"]), no code is checked at all,
    right or wrong, until the wait is over."""
    attempt = attempt_begin(
        JOIN_CODE_FAILURES, address=address, user_id=student.pk if student else None
    )
    if attempt.wait:
        message = ERROR_JOIN_CODE_TOO_MANY.format(wait=wait_text(attempt.wait))
        raise TooManyFailures("join_code", message, wait=attempt.wait)
    classroom = classroom_get_by_join_code(join_code)
    if classroom is None:
        raise ValidationError({"join_code": [ERROR_JOIN_CODE_WRONG]})
    if classroom.is_archived:
        raise ValidationError({"join_code": [ERROR_JOIN_CODE_ARCHIVED]})
    attempt.succeeded()
    return classroom


@transaction.atomic
def student_signup(
    *, join_code: str, first_name: str, last_name: str, email: str, password: str, address: str
):
    """A student joins their school with a class code, from `address`: a Student account,
    enrolled in that class. A wrong or archived code, or a taken email, creates nothing.
    A taken email is reported only with a right code: without one, the answer is the same
    whoever's email is typed, so the page tells nobody who has an account."""
    user, classroom = user_signup_with_code(
        find=partial(_classroom_for_code, join_code, address=address),
        email=email,
        first_name=first_name,
        last_name=last_name,
        password=password,
        role=STUDENT,
    )
    classroom_student_enrol(classroom=classroom, student=user)
    return user


@transaction.atomic
def student_class_join(*, student, join_code: str, address: str):
    """A signed-in student joins another class with its code, from `address` (no second
    account). Wrong codes count against the student and the address."""
    if not is_student(student):
        raise ValidationError({"join_code": [ERROR_JOIN_NOT_A_STUDENT]})
    classroom = _classroom_for_code(join_code, address=address, student=student)
    if classroom.enrolments.filter(student=student).exists():
        raise ValidationError({"join_code": [ERROR_ALREADY_ENROLLED.format(classroom=classroom)]})
    classroom_student_enrol(classroom=classroom, student=student)
    return classroom
