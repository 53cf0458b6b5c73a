"""The consent pages of the school's site: a guardian's, for each of their children, and an
adult student's own. Thin: the ledger's rules are in families.consent."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from .consent import consent_set, consent_state, student_is_adult
from .consent_forms import ConsentForm
from .models import Guardianship
from .wording import WORDING_VERSION

MESSAGE_SAVED = _("Saved. Changes take effect at once.")
MESSAGE_UNCHANGED = _("Nothing changed.")
INTRO_GUARDIAN = _(
    "Tick what you agree to for {name}. You can change your mind at any time: a consent "
    "you take back takes effect at once."
)
INTRO_ADULT = _(
    "You are an adult, so you decide yourself. You can change your mind at any time: a "
    "consent you take back takes effect at once."
)


def _consent_page(request, *, student, intro: str, back: str):
    form = ConsentForm(request.POST or None, state=consent_state(student))
    if request.method == "POST" and form.is_valid():
        try:
            changed = consent_set(student=student, wanted=form.wanted(), by=request.user)
        except PermissionDenied:
            raise Http404("No such student") from None  # adult since the form was shown
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, MESSAGE_SAVED if changed else MESSAGE_UNCHANGED)
            return redirect(back)
    context = {"form": form, "student": student, "intro": intro, "version": WORDING_VERSION}
    return render(request, "families/consent.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def guardian_consent(request, student_pk: int):
    """A guardian's consents for one of their children (404 for anyone else's child, and
    for a child marked adult, who decides themself)."""
    link = get_object_or_404(
        Guardianship.objects.select_related("student"), guardian=request.user, student=student_pk
    )
    if student_is_adult(link.student):
        raise Http404("This student decides themself")
    student = link.student
    intro = INTRO_GUARDIAN.format(name=student.get_short_name() or student.get_username())
    return _consent_page(request, student=student, intro=intro, back=request.path)


@login_required
@require_http_methods(["GET", "POST"])
def adult_consent(request):
    """An adult student's own consents (404 for anyone not marked adult)."""
    student = request.user
    if not student_is_adult(student):
        raise Http404("Your family decides for you")
    return _consent_page(request, student=student, intro=INTRO_ADULT, back=request.path)
