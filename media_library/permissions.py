"""Who may upload to, and manage media of, a class."""

from accounts.permissions import is_student
from classrooms.permissions import can_manage_classroom


def can_upload_to(user, classroom) -> bool:
    """Students of the class, and the people who manage it (its teachers, school admins)."""
    if not user.is_authenticated or classroom.is_archived:
        return False
    if is_student(user):
        return classroom.enrolments.filter(student=user).exists()
    return can_manage_classroom(user, classroom)
