"""Who may upload to, and change work in, a class."""

from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_student
from classrooms.permissions import can_manage_classroom

ERROR_LEFT_CLASS = _(
    "You are no longer in {classroom}, so this work cannot be changed. Ask your teacher."
)
ERROR_CLASS_ARCHIVED = _("{classroom} is archived: its work can no longer be changed.")


def can_upload_to(user, classroom) -> bool:
    """Students of the class, and the people who manage it (its teachers, school admins)."""
    if not user.is_authenticated or classroom.is_archived:
        return False
    if is_student(user):
        return classroom.enrolments.filter(student=user).exists()
    return can_manage_classroom(user, classroom)


def work_change_refusal(user, classroom) -> str | None:
    """Why `user` may not change their work in `classroom` (the message to show them), or
    None when they may. Changing work is uploading to its class again: a new version goes
    through the class's moderation (and straight live in a trusted class), so it is for the
    same people as uploading (can_upload_to). An archived class's work stays as it is."""
    if classroom.is_archived:
        return ERROR_CLASS_ARCHIVED.format(classroom=classroom.name)
    if not can_upload_to(user, classroom):
        return ERROR_LEFT_CLASS.format(classroom=classroom.name)
    return None
