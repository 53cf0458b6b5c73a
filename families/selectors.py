"""Reads about families: a guardian's children, and the family codes of a class."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.permissions import is_guardian, is_staff_member
from classrooms.models import Classroom
from classrooms.selectors import classroom_get, join_code_normalize

from .models import FamilyCode, Guardianship


def family_code_normalize(code: str) -> str:
    """People type codes with dashes, spaces and in lowercase; the stored form has none."""
    return join_code_normalize(code)


def family_code_display(code: str) -> str:
    """A code as printed on a slip, in groups a person can copy: ABCDE-FGHJK."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def family_code_get(code: str) -> FamilyCode | None:
    """The code as typed, whatever its state (the service decides if it is usable)."""
    normalized = family_code_normalize(code)
    if not normalized:
        return None
    return FamilyCode.objects.select_related("student").filter(code=normalized).first()


def guardian_children(user) -> QuerySet:
    """The students `user` is a guardian of (none for anyone else), by first name."""
    if not is_guardian(user):
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(guardians__guardian=user, is_active=True)
        .order_by("first_name", "last_name", "pk")
    )


def guardian_children_ids(user) -> QuerySet:
    """The ids of `user`'s children, as a subquery (media_library's visibility rule)."""
    return Guardianship.objects.filter(guardian=user).values("student_id")


def is_guardian_of(user, student) -> bool:
    return (
        is_guardian(user) and Guardianship.objects.filter(guardian=user, student=student).exists()
    )


def guardianship_list(*, guardian) -> QuerySet[Guardianship]:
    """A guardian's links to their children, with the children (the account page)."""
    return (
        Guardianship.objects.filter(guardian=guardian)
        .select_related("student")
        .order_by("student__first_name", "pk")
    )


@dataclass
class StudentFamily:
    """A student of a class with their guardians and family codes (the admin's Families)."""

    student: object
    guardians: list
    codes: list

    @property
    def has_usable_code(self) -> bool:
        """Whether a slip can be printed for this student now."""
        return any(code.is_usable for code in self.codes)


def family_class_get(*, user, pk) -> Classroom:
    """A class whose families `user` manages: any class for a school admin, their own for a
    teacher; 404 otherwise (never a 403 that confirms it exists)."""
    if not is_staff_member(user):
        raise Http404("No such class")
    return classroom_get(user=user, pk=pk)


def family_codes_for_class(*, classroom: Classroom) -> list[StudentFamily]:
    """Each student of the class, by name, with their guardians and family codes (newest
    first), in three queries whatever the class's size."""
    students = (
        classroom.students.filter(is_active=True)
        .order_by("first_name", "last_name", "pk")
        .prefetch_related(
            Prefetch("family_codes", queryset=FamilyCode.objects.order_by("-created_at", "-pk")),
            Prefetch("guardians", queryset=Guardianship.objects.select_related("guardian")),
        )
    )
    return [
        StudentFamily(
            student=student,
            guardians=[link.guardian for link in student.guardians.all()],
            codes=list(student.family_codes.all()),
        )
        for student in students
    ]


def class_student_get(*, classroom: Classroom, student_pk) -> object:
    """A student of this class, or 404: a teacher reaches only their classes' students."""
    try:
        return classroom.students.get(pk=int(student_pk))
    except (get_user_model().DoesNotExist, ValueError, TypeError):
        raise Http404("No such student") from None


def family_code_of_class_get(*, classroom: Classroom, pk) -> FamilyCode:
    """A family code of a student of this class, or 404."""
    try:
        return FamilyCode.objects.select_related("student").get(
            pk=int(pk), student__enrolments__classroom=classroom
        )
    except (FamilyCode.DoesNotExist, ValueError, TypeError):
        raise Http404("No such family code") from None


def guardians_to_notify(student) -> QuerySet:
    """The guardians of `student` who want an email when their work is published."""
    return (
        get_user_model()
        .objects.filter(
            guardianships__student=student,
            guardianships__notify_on_publish=True,
            is_active=True,
        )
        .exclude(email="")
    )


@dataclass
class FamilySlip:
    """What a printed slip shows: the child's first name and a code that works."""

    student: object
    code: FamilyCode


def family_slips_for_class(*, classroom: Classroom, student_pk=None) -> list[FamilySlip]:
    """A slip per student of the class with a usable code (their newest), or for one of
    them; students without one are left out (the Families page makes codes first)."""
    slips = []
    for family in family_codes_for_class(classroom=classroom):
        if student_pk is not None and str(family.student.pk) != str(student_pk):
            continue
        usable = [code for code in family.codes if code.is_usable]
        if usable:
            slips.append(FamilySlip(student=family.student, code=usable[0]))
    return slips
