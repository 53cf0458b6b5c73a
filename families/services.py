"""Writes about families: family codes (made, emailed, printed on slips, withdrawn), and
guardians signing up or joining with a code, linked to that child.

A code is usable `max_uses` times until withdrawn. A wrong, used-up or withdrawn code all get
the same answer (ERROR_FAMILY_CODE_INVALID), so a guesser learns nothing from it, and each
counts as a failure of the address (and of the signed-in person) in the same limits as class
codes (settings.RATE_LIMITS["join_code"])."""

from __future__ import annotations

import secrets
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_guardian, is_school_admin, is_teacher
from accounts.roles import GUARDIAN
from accounts.services import user_signup_with_code
from core.ratelimit import TooManyFailures, attempt_begin, wait_text
from core.tasks import email_send, enqueue_on_commit
from tenants.urls_helpers import current_base_url, current_site_name

from .models import FAMILY_CODE_ALPHABET, FAMILY_CODE_LENGTH, FamilyCode, Guardianship
from .selectors import family_code_display, family_code_normalize

ERROR_FAMILY_CODE_INVALID = _(
    "That family code does not work. Check it against the slip (letters and numbers, like "
    "ABCDE-FGHJK), or ask your child's school for a new code."
)
ERROR_FAMILY_CODE_TOO_MANY = _(
    "Too many wrong family codes have been tried, so family codes are paused here. "
    "Wait {wait}, then type the code on your slip."
)
ERROR_ALREADY_LINKED = _("You are already linked to {child}: their work is on My children.")
ERROR_JOIN_NOT_A_GUARDIAN = _(
    "Family codes are for parents and guardians. This account belongs to the school's staff "
    "or a student: sign out, and create a family account with the code."
)
ERROR_NOT_YOUR_STUDENT = _("You can only make family codes for students of your own classes.")
ERROR_MAX_USES = _("A family code can be used from 1 to {most} times: choose a number in between.")
ERROR_INVITE_EMAIL_INVALID = _("Enter the family's email address, like name@example.com.")
# Failures are counted with those of class codes: one limit for whoever guesses codes.
FAMILY_CODE_FAILURES = "join_code"
MAX_USES_MOST = 10


def family_join_url(code: str) -> str:
    """The page a slip's QR code opens: the school's own site, the code filled in."""
    return f"{current_base_url()}/families/join/?code={family_code_display(code)}"


def _code_generate() -> str:
    while True:
        code = "".join(secrets.choice(FAMILY_CODE_ALPHABET) for _ in range(FAMILY_CODE_LENGTH))
        if not FamilyCode.objects.filter(code=code).exists():
            return code


def _require_manages_student(user, student) -> None:
    """A school admin manages every student's family; a teacher those of their classes."""
    if is_school_admin(user):
        return
    if (
        is_teacher(user)
        and student.enrolments.filter(classroom__assignments__teacher=user).exists()
    ):
        return
    raise PermissionDenied(ERROR_NOT_YOUR_STUDENT)


@transaction.atomic
def family_code_create(*, student, created_by, max_uses: int = 3, email: str = "") -> FamilyCode:
    """A new code for a student's family, by a school admin or one of the student's
    teachers. Earlier codes keep working until withdrawn or used up."""
    _require_manages_student(created_by, student)
    if not 1 <= max_uses <= MAX_USES_MOST:
        raise ValidationError({"max_uses": [ERROR_MAX_USES.format(most=MAX_USES_MOST)]})
    family_code = FamilyCode(
        student=student,
        code=_code_generate(),
        max_uses=max_uses,
        email=email,
        created_by=created_by,
    )
    family_code.full_clean()
    family_code.save()
    return family_code


def family_code_withdraw(*, family_code: FamilyCode, withdrawn_by) -> None:
    """The code stops working at once; guardians already linked stay linked."""
    _require_manages_student(withdrawn_by, family_code.student)
    if family_code.withdrawn_at is None:
        family_code.withdrawn_at = timezone.now()
        family_code.save(update_fields=["withdrawn_at"])


@transaction.atomic
def family_invite_email(*, student, email: str, invited_by, max_uses: int = 2) -> FamilyCode:
    """Email a family a new code for their child, with the link that joins with it. The
    email is a task (core.tasks), sent once this transaction commits, outside the request."""
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [ERROR_INVITE_EMAIL_INVALID]}) from None
    family_code = family_code_create(
        student=student, created_by=invited_by, max_uses=max_uses, email=email
    )
    school = current_site_name()
    enqueue_on_commit(
        email_send,
        subject=f"{school}: see {student.first_name}'s work on {settings.PLATFORM_NAME}",
        body=(
            "Hello,\n\n"
            f"{school} invites you to follow {student.first_name}'s work on "
            f"{settings.PLATFORM_NAME}: everything their teacher approves, on the school's "
            "site.\n\n"
            f"Create your family account here (or sign in and join, if you have one):\n"
            f"{family_join_url(family_code.code)}\n\n"
            f"Your family code is {family_code_display(family_code.code)}. It works "
            f"{family_code.max_uses} times, for {student.first_name}'s guardians only: "
            "do not share it with anyone else.\n\n"
            "If you did not expect this, you can ignore this email.\n"
        ),
        to=[email],
    )
    return family_code


def _usable_code(code: str, *, address: str, user_id: int | None = None) -> FamilyCode:
    """The code, locked for counting its use. Unknown, used up, withdrawn or of an inactive
    student: one answer, and a failure counted (settings.RATE_LIMITS["join_code"]); once the
    failures are used up, nothing is checked at all until the wait is over."""
    attempt = attempt_begin(FAMILY_CODE_FAILURES, address=address, user_id=user_id)
    if attempt.wait:
        message = ERROR_FAMILY_CODE_TOO_MANY.format(wait=wait_text(attempt.wait))
        raise TooManyFailures("code", message, wait=attempt.wait)
    family_code = (
        FamilyCode.objects.select_for_update()
        .select_related("student")
        .filter(code=family_code_normalize(code))
        .first()
    )
    if family_code is None or not family_code.is_usable or not family_code.student.is_active:
        raise ValidationError({"code": [ERROR_FAMILY_CODE_INVALID]})
    attempt.succeeded()
    return family_code


def _use(family_code: FamilyCode, guardian) -> Guardianship:
    FamilyCode.objects.filter(pk=family_code.pk).update(uses=family_code.uses + 1)
    family_code.uses += 1
    return Guardianship.objects.create(
        guardian=guardian, student=family_code.student, family_code=family_code
    )


@transaction.atomic
def guardian_signup_with_code(
    *, code: str, first_name: str, last_name: str, email: str, password: str, address: str
):
    """A child's guardian makes a family account with a family code, from `address`: a
    Guardian account linked to that child, and one use of the code counted. A code that does
    not work, or a taken email, creates nothing; a taken email is reported only with a code
    that works, so the page tells nobody who has an account."""
    user, family_code = user_signup_with_code(
        find=partial(_usable_code, code, address=address),
        email=email,
        first_name=first_name,
        last_name=last_name,
        password=password,
        role=GUARDIAN,
    )
    _use(family_code, user)
    return user


@transaction.atomic
def guardian_join_with_code(*, guardian, code: str, address: str) -> Guardianship:
    """A signed-in guardian links another child with that child's family code (no second
    account). Codes that do not work count against the guardian and the address."""
    if not is_guardian(guardian):
        raise ValidationError({"code": [ERROR_JOIN_NOT_A_GUARDIAN]})
    family_code = _usable_code(code, address=address, user_id=guardian.pk)
    if Guardianship.objects.filter(guardian=guardian, student=family_code.student).exists():
        child = family_code.student.first_name
        raise ValidationError({"code": [ERROR_ALREADY_LINKED.format(child=child)]})
    return _use(family_code, guardian)


def guardianship_ensure(*, guardian, student) -> Guardianship:
    """Link a guardian to a child without a code (the demo); idempotent."""
    link, _ = Guardianship.objects.get_or_create(guardian=guardian, student=student)
    return link


def guardianships_clear_for_role(*, user, role: str) -> None:
    """A role change ends what the old role held: a former guardian's links to children
    (their codes' uses stay counted)."""
    if role != GUARDIAN:
        Guardianship.objects.filter(guardian=user).delete()


def guardian_notify_preference_set(*, guardian, notify: bool) -> int:
    """Whether the guardian gets an email when their children's work is published (all of
    their children at once: the choice on their account page). Returns the links changed."""
    return Guardianship.objects.filter(guardian=guardian).update(notify_on_publish=notify)


@transaction.atomic
def family_codes_ensure_for_class(*, classroom, created_by) -> int:
    """A usable code for every active student of the class who has none (before printing
    the class's slips). Returns how many codes were made."""
    made = 0
    for student in classroom.students.filter(is_active=True):
        codes = FamilyCode.objects.filter(student=student, withdrawn_at__isnull=True)
        if not any(code.is_usable for code in codes):
            family_code_create(student=student, created_by=created_by)
            made += 1
    return made
