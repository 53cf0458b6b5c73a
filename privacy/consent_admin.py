"""Consent in the Wagtail admin, for school admins: a student's consents with their history,
where a paper form is recorded and a student marked as an adult; and the privacy overview
(per class, how many students lack each consent; family invitations not taken up; recent
withdrawals). The ledger's rules are in families.consent."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import require_school_admin, users_with_role
from accounts.roles import STUDENT
from families import consent
from families.consent_forms import PaperConsentForm
from families.models import Purpose
from families.wording import WORDING_VERSION

MESSAGE_RECORDED = _("Recorded: {count} change(s) from the paper form.")
MESSAGE_UNCHANGED = _("Nothing changed: the form says what is recorded already.")
MESSAGE_ADULT = _("{name} is marked as an adult: from now on they decide for themself.")


def _student_or_404(pk):
    return get_object_or_404(users_with_role(STUDENT), pk=pk)


@require_http_methods(["GET", "POST"])
def consent_student(request, pk):
    require_school_admin(request.user)
    student = _student_or_404(pk)
    form = PaperConsentForm(request.POST or None, state=consent.consent_state(student))
    if request.method == "POST" and form.is_valid():
        try:
            records = consent.consent_set(
                student=student,
                wanted=form.wanted(),
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                error = ValidationError(str(error))
            form.add_service_errors(error)
        else:
            done = MESSAGE_RECORDED.format(count=len(records)) if records else MESSAGE_UNCHANGED
            messages.success(request, done)
            return redirect("privacy_admin:consent", pk=student.pk)
    context = {
        "student": student,
        "form": form,
        "history": consent.consent_history(student),
        "is_adult": consent.student_is_adult(student),
        "version": WORDING_VERSION,
        "header_title": f"Consent: {student.get_full_name() or student.get_username()}",
    }
    return TemplateResponse(request, "privacy/admin/consent_student.html", context)


@require_POST
def consent_mark_adult(request, pk):
    require_school_admin(request.user)
    student = _student_or_404(pk)
    try:
        consent.student_mark_adult(student=student, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = student.get_full_name() or student.get_username()
        messages.success(request, MESSAGE_ADULT.format(name=name))
    return redirect("privacy_admin:consent", pk=student.pk)


def consent_overview(request):
    require_school_admin(request.user)
    context = {
        "purposes": Purpose.choices,
        "classes": consent.consent_overview_classes(),
        "codes": consent.family_codes_pending(),
        "withdrawals": consent.consent_withdrawals_recent(),
        "header_title": "Privacy overview",
    }
    return TemplateResponse(request, "privacy/admin/consent_overview.html", context)


urlpatterns = [
    path("overview/", consent_overview, name="overview"),
    path("<int:pk>/consent/", consent_student, name="consent"),
    path("<int:pk>/consent/adult/", consent_mark_adult, name="consent-adult"),
]
