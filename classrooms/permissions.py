"""Who may do what with classes: the policy in one place."""

from rolepermissions.checkers import has_role


def is_school_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, "school_admin"))


def is_teacher(user) -> bool:
    return user.is_authenticated and has_role(user, "teacher")


def is_student(user) -> bool:
    return user.is_authenticated and has_role(user, "student")


def can_manage_classroom(user, classroom) -> bool:
    """School admins manage every class; teachers the classes they are assigned to."""
    if is_school_admin(user):
        return True
    return is_teacher(user) and classroom.assignments.filter(teacher=user).exists()


def can_create_classroom(user) -> bool:
    return is_school_admin(user)
