"""The consent ledger's services and selectors.

A consent is given or withdrawn by appending a ConsentRecord; the current state of a purpose
is its latest record, and a purpose without any record is not consented to (deny by
default). Who may record one for a student: a guardian linked to that child (Guardianship),
until the child is marked an adult; a school admin recording a signed paper form (a note is
required: which form, where it is kept); and an adult student (AdultStudent) for themself.

Withdrawing sends `signals.consent_withdrawn` inside the transaction (media_library lowers
the visibility of the student's work there), then, once committed, emails the student's
teachers and guardians (families.tasks) and sends `signals.consent_pages_changed`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_school_admin, is_student
from classrooms.models import Classroom, Enrolment
from core.tasks import enqueue_on_commit

from .models import AdultStudent, ConsentRecord, FamilyCode, Guardianship, Purpose, RecordedBy
from .signals import consent_withdrawn
from .tasks import consent_withdrawn_notify
from .wording import WORDING_VERSION

ERROR_NOT_ALLOWED = _("You cannot record consent for this student.")
ERROR_NOTE_REQUIRED = _(
    "Say which paper form this is (its date, who signed it, where it is kept): the note is "
    "the school's proof."
)
ERROR_NOT_A_STUDENT = _("Consent is recorded for students only.")
ERROR_ADULT_CONSENTS = _(
    "This student is an adult and gives or withdraws consent themself, from their account."
)
ERROR_ALREADY_ADULT = _("This student is already marked as an adult.")
ERROR_MARK_ADULT = _("Only a school admin can mark a student as an adult.")


# --- Selectors --------------------------------------------------------------------------------
def consent_states(students) -> dict[int, dict[str, bool]]:
    """{student id: {purpose: consented}} for many students, in one query."""
    ids = [getattr(s, "pk", s) for s in students]
    states = {pk: dict.fromkeys(Purpose.values, False) for pk in ids}
    if not ids:
        return states
    latest = ConsentRecord.objects.filter(
        student_id=OuterRef("student_id"), purpose=OuterRef("purpose")
    ).order_by("-recorded_at", "-pk")
    rows = (
        ConsentRecord.objects.filter(student_id__in=ids)
        .filter(pk=Subquery(latest.values("pk")[:1]))
        .values_list("student_id", "purpose", "granted")
    )
    for student_id, purpose, granted in rows:
        states[student_id][purpose] = granted
    return states


def consent_state(student) -> dict[str, bool]:
    """{purpose: consented} for one student (False where nothing is recorded)."""
    return consent_states([student])[student.pk]


def consent_allows(student, purpose: str) -> bool:
    """Whether `student`'s latest record for `purpose` grants it (no record: no)."""
    if student is None or student.pk is None:
        return False
    granted = (
        ConsentRecord.objects.filter(student=student, purpose=purpose)
        .values_list("granted", flat=True)
        .first()  # the model's ordering: latest first
    )
    return bool(granted)


def consent_history(student):
    """All of the student's records, latest first, with who recorded each."""
    return ConsentRecord.objects.filter(student=student).select_related("recorded_by")


def consent_records_export(student) -> list[dict]:
    """The student's records, for their data export (privacy.services.student_export)."""
    return [
        {
            "purpose": record.purpose,
            "granted": record.granted,
            "recorded_as": record.recorded_as,
            "recorded_by": record.recorded_by.get_username() if record.recorded_by else None,
            "wording_version": record.wording_version,
            "note": record.note,
            "recorded_at": record.recorded_at,
        }
        for record in consent_history(student)
    ]


def student_is_adult(student) -> bool:
    return AdultStudent.objects.filter(student=student).exists()


def consent_recorded_as(user, student) -> str | None:
    """In what capacity `user` may record consent for `student` (RecordedBy), or None."""
    if not user.is_authenticated or not is_student(student):
        return None
    adult = student_is_adult(student)
    if user.pk == student.pk:
        return RecordedBy.STUDENT if adult else None
    if is_school_admin(user):
        return RecordedBy.SCHOOL_ADMIN
    if not adult and Guardianship.objects.filter(guardian=user, student=student).exists():
        return RecordedBy.GUARDIAN
    return None


# --- Services ---------------------------------------------------------------------------------
def _record(*, student, purpose: str, granted: bool, by, note: str) -> ConsentRecord:
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": [_("Choose one of the purposes listed.")]})
    recorded_as = consent_recorded_as(by, student)
    if recorded_as is None:
        if by.is_authenticated and student_is_adult(student) and by.pk != student.pk:
            raise PermissionDenied(ERROR_ADULT_CONSENTS)
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    note = note.strip()
    if recorded_as == RecordedBy.SCHOOL_ADMIN and not note:
        raise ValidationError({"note": [ERROR_NOTE_REQUIRED]})
    record = ConsentRecord(
        student=student,
        student_ref=str(student.pk),
        purpose=purpose,
        granted=granted,
        recorded_by=by,
        recorded_as=recorded_as,
        wording_version=WORDING_VERSION,
        note=note,
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def consent_give(*, student, purpose: str, by, note: str = "") -> ConsentRecord:
    """Record that `purpose` is consented to for `student`, by `by` (see the module's doc)."""
    return _record(student=student, purpose=purpose, granted=True, by=by, note=note)


@transaction.atomic
def consent_withdraw(*, student, purpose: str, by, note: str = "") -> ConsentRecord:
    """Record the withdrawal, effective at once: the student's work is lowered to what the
    remaining consents allow (receivers of signals.consent_withdrawn), and once committed,
    their teachers and guardians are emailed (families.tasks)."""
    was_granted = consent_allows(student, purpose)
    record = _record(student=student, purpose=purpose, granted=False, by=by, note=note)
    if was_granted:
        consent_withdrawn.send(
            sender=ConsentRecord, student=student, purpose=purpose, record=record, user=by
        )
        enqueue_on_commit(consent_withdrawn_notify, record_id=record.pk)
    return record


@transaction.atomic
def student_mark_adult(*, student, by) -> AdultStudent:
    """Mark `student` as an adult (18+): from now on they give and withdraw consent
    themself, and their guardians no longer can. The consents recorded so far stand."""
    if not is_school_admin(by):
        raise PermissionDenied(ERROR_MARK_ADULT)
    if not is_student(student):
        raise ValidationError(ERROR_NOT_A_STUDENT)
    if student_is_adult(student):
        raise ValidationError(ERROR_ALREADY_ADULT)
    adult = AdultStudent(student=student, marked_by=by)
    adult.full_clean()
    adult.save()
    return adult


@transaction.atomic
def consent_set(*, student, wanted: dict[str, bool], by, note: str = "") -> list[ConsentRecord]:
    """Give or withdraw each purpose of `wanted` whose state differs from now (a form's
    answers): one record per change, none for what stays as it is."""
    state = consent_state(student)
    records = []
    for purpose, granted in wanted.items():
        if state.get(purpose) == granted:
            continue
        action = consent_give if granted else consent_withdraw
        records.append(action(student=student, purpose=purpose, by=by, note=note))
    return records


# --- The school admin's privacy overview ------------------------------------------------------
RECENT_WITHDRAWALS = 20


@dataclass
class ClassConsents:
    classroom: Classroom
    students: int
    lacking: dict[str, int]  # purpose → how many of its students have not consented

    @property
    def lacking_in_order(self) -> list[int]:
        """The counts in the order of Purpose (the overview's columns)."""
        return [self.lacking[purpose] for purpose in Purpose.values]


def consent_overview_classes() -> list[ClassConsents]:
    """Per class (archived ones left out), how many students lack each consent: two queries
    for the whole school."""
    enrolments = list(
        Enrolment.objects.filter(classroom__is_archived=False)
        .select_related("classroom")
        .order_by("classroom__name")
    )
    states = consent_states({e.student_id for e in enrolments})
    rows: dict[int, ClassConsents] = {}
    for enrolment in enrolments:
        row = rows.setdefault(
            enrolment.classroom_id,
            ClassConsents(enrolment.classroom, 0, dict.fromkeys(Purpose.values, 0)),
        )
        row.students += 1
        for purpose, granted in states[enrolment.student_id].items():
            row.lacking[purpose] += not granted
    return list(rows.values())


def family_codes_pending():
    """Family invitations not taken up yet: codes still usable and never used."""
    return (
        FamilyCode.objects.filter(withdrawn_at__isnull=True, uses=0)
        .select_related("student")
        .order_by("-created_at")
    )


def consent_withdrawals_recent(limit: int = RECENT_WITHDRAWALS):
    return (
        ConsentRecord.objects.filter(granted=False, student__isnull=False)
        .select_related("student", "recorded_by")
        .order_by("-recorded_at", "-pk")[:limit]
    )
