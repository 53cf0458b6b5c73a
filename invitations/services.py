"""Teacher invitations: a school admin invites by email; the emailed link lets the teacher
set a password and join with the Teacher role (and any classes chosen). Links expire
after INVITATION_MAX_AGE_DAYS and work once."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.roles import TEACHER
from accounts.services import user_build, user_save
from classrooms.services import classroom_teacher_assign
from core.emails import in_language_of
from core.tasks import email_send, enqueue_on_commit
from tenants.urls_helpers import current_base_url

from .models import Invitation

ERROR_INVITATION_UNKNOWN = _(
    "This invitation link is not valid. Ask your school admin for a new one."
)
ERROR_INVITATION_EXPIRED = _(
    "This invitation link has expired. Ask your school admin to invite you again."
)
ERROR_INVITATION_USED = _("This invitation has already been used. Sign in instead.")
ERROR_INVITATION_REVOKED = _("This invitation was withdrawn. Ask your school admin.")
ERROR_INVITE_EMAIL_INVALID = _("Enter a valid email address.")
ERROR_ACCEPT_EMAIL_TAKEN = _(
    "{email} already has an account at this school. Sign in with it, or reset its password."
)
ERROR_INVITE_EMAIL_TAKEN = _(
    "{email} already has an account at this school: give them a role instead."
)

INVITATION_SUBJECT = _("You're invited to teach at %(school)s on %(platform)s")
INVITATION_BODY = _(
    "%(inviter)s has invited you to join %(school)s on %(platform)s as a teacher.\n\n"
    "Set your password here (the link works once, until %(expires)s):\n"
    "%(link)s\n\n"
    "If you did not expect this, you can ignore this email.\n"
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    return f"{current_base_url()}/accounts/invitation/{token}/"


@transaction.atomic
def invitation_create(
    *, email: str, invited_by, first_name: str = "", last_name: str = "", classrooms=()
) -> tuple[Invitation, str]:
    """Invite a teacher and email them the link (on the school's own domain). A new
    invitation to the same address withdraws the earlier ones. Returns it and its token."""
    User = get_user_model()
    email = User.objects.normalize_email(email.strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [ERROR_INVITE_EMAIL_INVALID]}) from None
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": [ERROR_INVITE_EMAIL_TAKEN.format(email=email)]})
    now = timezone.now()
    Invitation.objects.filter(
        email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        token_hash=_hash(token),
        invited_by=invited_by,
        expires_at=now + timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
    )
    invitation.classrooms.set(classrooms)
    _invitation_email_send(invitation, token)
    return invitation, token


def _invitation_email_send(invitation: Invitation, token: str) -> None:
    """In the school's language: the teacher has no account, so no language of their own."""
    school = getattr(connection, "tenant", None)
    values = {
        "school": getattr(school, "name", None) or settings.PLATFORM_NAME,
        "platform": settings.PLATFORM_NAME,
        "name": invitation.first_name,
        "link": invitation_url(token),
    }
    with in_language_of(None):
        values["expires"] = date_format(timezone.localtime(invitation.expires_at), "j F Y")
        values["inviter"] = (
            invitation.invited_by.get_full_name() if invitation.invited_by else _("Your school")
        )
        hello = _("Hello %(name)s,") if invitation.first_name else _("Hello,")
        subject = str(INVITATION_SUBJECT) % values
        body = (str(hello) + "\n\n" + str(INVITATION_BODY)) % values
    enqueue_on_commit(email_send, subject=subject, body=body, to=[invitation.email])


def invitation_get(token: str) -> Invitation:
    """The invitation a link names, if it can still be used; otherwise a ValidationError
    saying why."""
    invitation = Invitation.objects.filter(token_hash=_hash(token)).first()
    if invitation is None:
        raise ValidationError(ERROR_INVITATION_UNKNOWN)
    if invitation.accepted_at:
        raise ValidationError(ERROR_INVITATION_USED)
    if invitation.revoked_at:
        raise ValidationError(ERROR_INVITATION_REVOKED)
    if invitation.expires_at <= timezone.now():
        raise ValidationError(ERROR_INVITATION_EXPIRED)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, first_name: str, last_name: str, password: str):
    """Create the teacher's account from the invitation, with the Teacher role and the
    invitation's classes. Nothing is created if the link is no longer valid."""
    invitation = invitation_get(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:  # accepted in a concurrent request
        raise ValidationError(ERROR_INVITATION_USED)
    User = get_user_model()
    if User.objects.filter(email__iexact=invitation.email).exists():
        # Someone made an account with this email after the invitation was sent.
        raise ValidationError(ERROR_ACCEPT_EMAIL_TAKEN.format(email=invitation.email))
    user = user_build(email=invitation.email, first_name=first_name, last_name=last_name)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user_save(user=user, password=password, role=TEACHER)
    for classroom in invitation.classrooms.all():
        classroom_teacher_assign(classroom=classroom, teacher=user)
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    return user


def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
