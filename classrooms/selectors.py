"""Reads about classes."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.permissions import is_school_admin, is_teacher, users_with_role
from accounts.roles import TEACHER

from .models import Classroom


def join_code_normalize(code: str) -> str:
    """People type codes with dashes, spaces and in lowercase; the stored form has none."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def classroom_get_by_join_code(code: str) -> Classroom | None:
    normalized = join_code_normalize(code)
    if not normalized:
        return None
    return Classroom.objects.filter(join_code=normalized).first()


def classroom_list(*, user) -> QuerySet[Classroom]:
    """The classes a person sees: all for a school admin, the ones they teach for a teacher,
    the ones they are enrolled in for a student."""
    classes = Classroom.objects.select_related("page")
    if is_school_admin(user):
        return classes
    if is_teacher(user):
        return classes.filter(assignments__teacher=user)
    if user.is_authenticated:
        return classes.filter(enrolments__student=user)
    return classes.none()


def classroom_get(*, user, pk) -> Classroom:
    """A class the person may see, or 404 (never a 403 that confirms it exists)."""
    try:
        return classroom_list(user=user).get(pk=pk)
    except (Classroom.DoesNotExist, ValueError):
        raise Http404("No such class") from None


def teacher_list() -> QuerySet:
    return users_with_role(TEACHER).filter(is_active=True).order_by("first_name", "last_name")
