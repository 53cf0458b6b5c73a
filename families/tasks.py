"""Emails about consent: when one is withdrawn, the student's teachers and guardians are told
(a task, enqueued once the withdrawal commits, run in the student's school)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from classrooms.models import TeacherAssignment
from core.languages import language_for_user
from tenants.urls_helpers import current_site_name

from .models import ConsentRecord, Guardianship


def consent_withdrawn_recipients(student) -> list:
    """The active teachers of the student's classes, and the student's guardians."""
    teachers = {
        a.teacher.pk: a.teacher
        for a in TeacherAssignment.objects.filter(
            classroom__enrolments__student=student, teacher__is_active=True
        ).select_related("teacher")
    }
    guardians = {
        g.guardian.pk: g.guardian
        for g in Guardianship.objects.filter(
            student=student, guardian__is_active=True
        ).select_related("guardian")
    }
    people = {**teachers, **guardians}
    return [person for person in people.values() if person.email and person.pk != student.pk]


@task()
def consent_withdrawn_notify(*, record_id: int) -> int:
    """Email each of the student's teachers and guardians that a consent was withdrawn and
    what changed. Returns how many emails were sent."""
    record = ConsentRecord.objects.select_related("student").filter(pk=record_id).first()
    if record is None or record.student is None:  # erased before this ran
        return 0
    context = {"record": record, "student": record.student, "school_name": current_site_name()}
    messages = []
    for person in consent_withdrawn_recipients(record.student):
        personal = {**context, "recipient": person}
        with translation.override(language_for_user(person)):  # theirs, else the school's
            subject = render_to_string("families/emails/consent_withdrawn_subject.txt", personal)
            body = render_to_string("families/emails/consent_withdrawn.txt", personal)
        messages.append(
            EmailMessage(
                " ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [person.email]
            )
        )
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
