"""The emails of a school's registration: one task each (sent by the worker, from the
platform's schema), taking only ids and plain values; the caller enqueues it once its
transaction commits.

Plain text, addressed to one person each; the texts are constants the tests assert on.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from .models import SchoolApplication
from .urls_helpers import platform_url

# Links are to the platform site, whichever site (or worker) sends the email.
PLATFORM_URLS = settings.PUBLIC_SCHEMA_URLCONF

CONFIRM_SUBJECT = _("Confirm your email to register {name} on {platform}")
CONFIRM_BODY = _("""Hello,

Someone, probably you, asked to register {name} on {platform}, at {address}.

To confirm that this is your email address, open this link within {hours} hours:

{link}

A platform operator then reviews the registration; we email you once it is decided.
If you did not ask for this, ignore this email: nothing is created without it.
""")
OPERATORS_SUBJECT = _("A school waits for approval: {name}")
OPERATORS_BODY = _("""{name} ({address}) asks to join {platform}; {email} confirmed their email.

Approve or decline it in the platform admin:

{link}
""")
APPROVED_SUBJECT = _("{name} is ready on {platform}")
APPROVED_BODY = _("""Hello,

Your school {name} has been approved. Its site is:

{school_url}

Sign in to its admin with this email and the password you chose:

{login_url}
""")
DECLINED_SUBJECT = _("Your registration of {name} on {platform}")
DECLINED_BODY = _("""Hello,

We are sorry: your registration of {name} on {platform} was declined, for this reason:

{reason}

You may register again with the details corrected.
""")


def _send(subject, body, recipient: str, *, language: str = "", **values) -> None:
    """One email, its texts in `language` (the applicant's; the platform's for operators)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject, body = str(subject).format(**values), str(body).format(**values)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [recipient])


def _values(application: SchoolApplication) -> dict:
    return {
        "name": application.name,
        "platform": settings.PLATFORM_NAME,
        "address": f"{application.slug}.{settings.PLATFORM_DOMAIN}",
    }


@task()
def application_confirm_send(*, application_id: int, token: str) -> None:
    """Email the applicant the link that confirms their address."""
    application = SchoolApplication.objects.get(pk=application_id)
    values = {
        **_values(application),
        "hours": settings.SCHOOL_APPLICATION_CONFIRM_HOURS,
        "link": platform_url(
            reverse("tenants:school-register-confirm", args=[token], urlconf=PLATFORM_URLS)
        ),
    }
    _send(
        CONFIRM_SUBJECT,
        CONFIRM_BODY,
        application.admin_email,
        language=application.language,
        **values,
    )


@task()
def application_waiting_send(*, application_id: int) -> int:
    """Email the platform's operators (active superusers of the platform with an email)
    that an application waits for them. Returns how many were sent."""
    application = SchoolApplication.objects.get(pk=application_id)
    values = {
        **_values(application),
        "email": application.admin_email,
        "link": platform_url(
            reverse(
                "admin:tenants_schoolapplication_change",
                args=[application.pk],
                urlconf=PLATFORM_URLS,
            )
        ),
    }
    operators = (
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    for email in operators:
        _send(OPERATORS_SUBJECT, OPERATORS_BODY, email, **values)
    return len(operators)


@task()
def application_approved_send(*, application_id: int, school_url: str) -> None:
    """Email the applicant that their school is ready, with its address."""
    application = SchoolApplication.objects.get(pk=application_id)
    values = {
        **_values(application),
        "school_url": school_url,
        "login_url": school_url.rstrip("/") + "/admin/login/?registered=1",
    }
    _send(
        APPROVED_SUBJECT,
        APPROVED_BODY,
        application.admin_email,
        language=application.language,
        **values,
    )


@task()
def application_declined_send(*, application_id: int) -> None:
    """Email the applicant that their school was declined, and why."""
    application = SchoolApplication.objects.get(pk=application_id)
    values = {**_values(application), "reason": application.decline_reason}
    _send(
        DECLINED_SUBJECT,
        DECLINED_BODY,
        application.admin_email,
        language=application.language,
        **values,
    )
