"""Families on the Wagtail dashboard: the students (of a teacher's classes, or of the whole
school for an admin) whose family has given no consent at all yet (10/13)."""

from __future__ import annotations

from django.urls import reverse

from accounts.permissions import is_school_admin, is_teacher
from classrooms.models import Enrolment
from classrooms.selectors import classroom_list

from .consent import consent_states

SHOWN = 5


def students_without_consent(*, user) -> dict:
    """How many of `user`'s students have no consent granted for any purpose, the first few
    by name, and where to record it: the privacy overview for a school admin, Families for a
    teacher. Two queries."""
    if not (is_school_admin(user) or is_teacher(user)):
        return {"count": 0, "students": [], "url": ""}
    enrolments = Enrolment.objects.filter(
        classroom__in=classroom_list(user=user).filter(is_archived=False),
        student__is_active=True,
    ).select_related("student")
    students = {e.student_id: e.student for e in enrolments}
    states = consent_states(students)
    lacking = sorted(
        (students[pk] for pk, state in states.items() if not any(state.values())),
        key=lambda s: (s.first_name, s.last_name, s.pk),
    )
    url = reverse("privacy_admin:overview" if is_school_admin(user) else "families_admin:index")
    return {"count": len(lacking), "students": lacking[:SHOWN], "url": url}
