"""Role checks, with the roles: who is a school admin, a teacher, a student, a guardian.
Every other app asks these (and `users_with_role`) instead of spelling a role's name."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from rolepermissions.checkers import has_role
from wagtail.admin.menu import MenuItem

from .roles import GUARDIAN, SCHOOL_ADMIN, STUDENT, TEACHER


def is_school_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, SCHOOL_ADMIN))


def is_teacher(user) -> bool:
    return user.is_authenticated and has_role(user, TEACHER)


def is_student(user) -> bool:
    return user.is_authenticated and has_role(user, STUDENT)


def is_guardian(user) -> bool:
    """A student's guardian (families): sees their own children's work, no admin."""
    return user.is_authenticated and has_role(user, GUARDIAN)


def is_staff_member(user) -> bool:
    """A school admin or a teacher: the people of the Wagtail admin."""
    return is_school_admin(user) or is_teacher(user)


def require_school_admin(user) -> None:
    """For the school-admin pages of the Wagtail admin: anyone else gets its "no permission"
    answer (PermissionDenied, which the admin turns into a redirect with a message)."""
    if not is_school_admin(user):
        raise PermissionDenied


def users_with_role(role: str) -> QuerySet:
    """The school's people who hold `role` (accounts.roles: SCHOOL_ADMIN, TEACHER, STUDENT,
    GUARDIAN)."""
    return get_user_model().objects.filter(groups__name=role)


class SchoolAdminMenuItem(MenuItem):
    """A Wagtail admin menu item only school admins see."""

    def is_shown(self, request):
        return is_school_admin(request.user)
