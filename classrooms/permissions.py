"""Who may do what with classes: the policy in one place."""

from accounts.permissions import is_school_admin, is_teacher


def can_manage_classroom(user, classroom) -> bool:
    """School admins manage every class; teachers the classes they are assigned to."""
    if is_school_admin(user):
        return True
    return is_teacher(user) and classroom.assignments.filter(teacher=user).exists()


def can_create_classroom(user) -> bool:
    return is_school_admin(user)
