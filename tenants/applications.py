"""A school's registration, from the applicant's form to an operator's decision.

Registering costs the platform nothing until an operator approves: the application is one
row of the public schema (the password as a hash), its address is held but its host stays
unknown (the same 404 as any other), and the school's ~100-table schema is created only on
approval, by the same service as `manage.py create_school` (`services.school_create`).

    pending_email --(the applicant opens the emailed link)--> pending_approval
    pending_approval --(an operator, in the platform admin)--> approved | declined

Emails go out once the transaction that decided them commits (tenants.emails).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.languages import supported
from core.tasks import enqueue_on_commit

from . import emails
from .models import School, SchoolApplication
from .services import school_create, school_create_validate, school_template_ensure
from .urls_helpers import school_url
from .validators import SLUG_ERROR_REQUESTED

CONFIRM_SALT = "tenants.school-application-confirm"
CONFIRM_ERROR_EXPIRED = _(
    "This confirmation link has expired. Register your school again to get a new one."
)
CONFIRM_ERROR_INVALID = _(
    "This confirmation link is not valid, or it has been used already. If you registered "
    "more than once, use the link of the latest email."
)
DECISION_ERROR_NOT_PENDING = _("This application has been decided already, or is not confirmed.")
DECLINE_ERROR_REASON = _("Say why the school is declined: the applicant receives the reason.")

Status = SchoolApplication.Status


def confirm_token(application: SchoolApplication) -> str:
    return signing.dumps({"application": application.pk}, salt=CONFIRM_SALT)


@transaction.atomic
def school_application_create(
    *, name: str, slug: str, admin_email: str, admin_password: str
) -> SchoolApplication:
    """Record a registration and email its applicant the link that confirms their address.
    Raises ValidationError (keyed by field) like `school_create`, before anything is written.
    """
    name, slug, admin_email = name.strip(), slug.strip(), admin_email.strip().lower()
    # Unconfirmed applications whose link has expired give their address back.
    SchoolApplication.objects.unconfirmed_expired().delete()
    school_create_validate(
        name=name, slug=slug, admin_email=admin_email, admin_password=admin_password
    )
    application = SchoolApplication(
        name=name,
        slug=slug,
        admin_email=admin_email,
        password_hash=make_password(admin_password),
        language=supported(translation.get_language()) or "",
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a concurrent registration asked for the address first
        raise ValidationError({"slug": [SLUG_ERROR_REQUESTED.format(slug=slug)]}) from exc
    token = confirm_token(application)
    enqueue_on_commit(emails.application_confirm_send, application_id=application.pk, token=token)
    return application


@transaction.atomic
def school_application_confirm(*, token: str) -> SchoolApplication:
    """The applicant opened the emailed link: the application waits for an operator, who
    is told by email. The link works once, for SCHOOL_APPLICATION_CONFIRM_HOURS."""
    max_age = settings.SCHOOL_APPLICATION_CONFIRM_HOURS * 3600
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ValidationError(CONFIRM_ERROR_EXPIRED, code="expired") from exc
    except signing.BadSignature as exc:
        raise ValidationError(CONFIRM_ERROR_INVALID, code="invalid") from exc
    application = (
        SchoolApplication.objects.select_for_update()
        .filter(pk=data.get("application"), status=Status.PENDING_EMAIL)
        .first()
    )
    if application is None:  # used already, or replaced after it expired
        raise ValidationError(CONFIRM_ERROR_INVALID, code="invalid")
    application.status = Status.PENDING_APPROVAL
    application.email_confirmed = timezone.now()
    application.save(update_fields=["status", "email_confirmed"])
    enqueue_on_commit(emails.application_waiting_send, application_id=application.pk)
    return application


def _pending_for_decision(application_id: int) -> SchoolApplication:
    application = (
        SchoolApplication.objects.select_for_update()
        .filter(pk=application_id, status=Status.PENDING_APPROVAL)
        .first()
    )
    if application is None:
        raise ValidationError(DECISION_ERROR_NOT_PENDING, code="not_pending")
    return application


def school_application_approve(*, application_id: int, operator) -> School:
    """Create the school (its schema cloned from the template, its first admin with the
    applicant's password) and email the applicant its address."""
    school_template_ensure()  # outside any transaction (see its docstring); once per database
    with transaction.atomic():
        application = _pending_for_decision(application_id)
        # Decided first: the application no longer holds the address the school now takes.
        application.status = Status.APPROVED
        application.decided = timezone.now()
        application.decided_by = operator.get_username()
        application.save(update_fields=["status", "decided", "decided_by"])
        school = school_create(
            name=application.name,
            slug=application.slug,
            admin_email=application.admin_email,
            admin_password_hash=application.password_hash,
        )
        application.school = school
        application.save(update_fields=["school"])
        url = school_url(school)
        enqueue_on_commit(
            emails.application_approved_send, application_id=application.pk, school_url=url
        )
    return school


@transaction.atomic
def school_application_decline(*, application_id: int, operator, reason: str) -> None:
    """Decline an application and email the applicant why. Its address is free again."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [DECLINE_ERROR_REASON]})
    application = _pending_for_decision(application_id)
    application.status = Status.DECLINED
    application.decided = timezone.now()
    application.decided_by = operator.get_username()
    application.decline_reason = reason
    application.save(update_fields=["status", "decided", "decided_by", "decline_reason"])
    enqueue_on_commit(emails.application_declined_send, application_id=application.pk)
