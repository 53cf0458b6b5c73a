"""Families in the Wagtail admin: per class, each student's guardians and family codes, with
new codes, invitations by email, withdrawals and printable slips. School admins reach every
class, a teacher only theirs (families.selectors.family_class_get): anything else is a 404."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.permissions import is_staff_member
from classrooms.selectors import classroom_list

from . import services
from .forms import FamilyCodeForm, FamilyInviteForm
from .qr import qr_svg
from .selectors import (
    class_student_get,
    family_class_get,
    family_code_display,
    family_code_of_class_get,
    family_codes_for_class,
    family_slips_for_class,
)

MESSAGE_CODE_MADE = _("New family code for {student}: {code}.")
MESSAGE_INVITED = _("{student}'s family is invited: an email with a new code goes to {email}.")
MESSAGE_WITHDRAWN = _("The code {code} is withdrawn: it no longer works. Linked guardians stay.")
MESSAGE_CODES_MADE = _("{count} new family codes made, so every student has a slip.")


def family_index(request):
    """The classes whose families the person manages."""
    if not is_staff_member(request.user):
        raise PermissionDenied
    classes = classroom_list(user=request.user).filter(is_archived=False)
    context = {"classes": classes, "header_title": "Families", "page_title": "Families"}
    return TemplateResponse(request, "families/admin/index.html", context)


def family_class(request, pk):
    classroom = family_class_get(user=request.user, pk=pk)
    context = {
        "classroom": classroom,
        "families": family_codes_for_class(classroom=classroom),
        "code_form": FamilyCodeForm(),
        "invite_form": FamilyInviteForm(),
        "header_title": f"Families of {classroom}",
        "page_title": f"Families of {classroom}",
    }
    return TemplateResponse(request, "families/admin/class.html", context)


def _class_url(classroom) -> str:
    return reverse("families_admin:class", args=[classroom.pk])


@require_POST
def family_code_new(request, pk, student_pk):
    classroom = family_class_get(user=request.user, pk=pk)
    student = class_student_get(classroom=classroom, student_pk=student_pk)
    form = FamilyCodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["max_uses"]))
        return redirect(_class_url(classroom))
    code = services.family_code_create(
        student=student, created_by=request.user, max_uses=form.cleaned_data["max_uses"]
    )
    name = student.get_short_name()
    messages.success(request, MESSAGE_CODE_MADE.format(student=name, code=code_label(code)))
    return redirect(_class_url(classroom))


@require_POST
def family_invite(request, pk, student_pk):
    classroom = family_class_get(user=request.user, pk=pk)
    student = class_student_get(classroom=classroom, student_pk=student_pk)
    form = FamilyInviteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["email"])
        code = services.family_invite_email(
            student=student, email=form.cleaned_data["email"], invited_by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = student.get_short_name()
        messages.success(request, MESSAGE_INVITED.format(student=name, email=code.email))
    return redirect(_class_url(classroom))


@require_POST
def family_code_withdraw(request, pk, code_pk):
    classroom = family_class_get(user=request.user, pk=pk)
    code = family_code_of_class_get(classroom=classroom, pk=code_pk)
    services.family_code_withdraw(family_code=code, withdrawn_by=request.user)
    messages.success(request, MESSAGE_WITHDRAWN.format(code=code_label(code)))
    return redirect(_class_url(classroom))


def family_slips(request, pk):
    """The class's slips, one a page when printed (POST first makes a code for each student
    who has none); ?student=<id> for one student's."""
    classroom = family_class_get(user=request.user, pk=pk)
    if request.method == "POST":
        made = services.family_codes_ensure_for_class(classroom=classroom, created_by=request.user)
        if made:
            messages.success(request, MESSAGE_CODES_MADE.format(count=made))
        return redirect(reverse("families_admin:slips", args=[classroom.pk]))
    student_pk = request.GET.get("student")
    if student_pk is not None:
        class_student_get(classroom=classroom, student_pk=student_pk)
    slips = family_slips_for_class(classroom=classroom, student_pk=student_pk)
    for slip in slips:
        slip.url = services.family_join_url(slip.code.code)
        slip.code_display = family_code_display(slip.code.code)
        slip.qr = qr_svg(slip.url)
    context = {"classroom": classroom, "slips": slips, "back_url": _class_url(classroom)}
    context.update(student=student_pk, slip_languages=settings.LANGUAGES)
    # The slips go home to families: printed in the language asked for (?lang=sw), which
    # need not be the language of the teacher's admin.
    lang = request.GET.get("lang")
    language = lang if lang in dict(settings.LANGUAGES) else translation.get_language()
    with translation.override(language):
        return TemplateResponse(request, "families/admin/slips.html", context).render()


def code_label(code) -> str:
    return family_code_display(code.code)
