"""'Privacy' in the Wagtail admin, for school admins: find a student, download their data, or
erase them after typing their username or email; see what the school's data retention
removes next. The services are in privacy.services.

As 'Invite teachers', anyone but a school admin gets Wagtail's "no permission" answer; a
person who is not a student of this school is a 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from accounts.permissions import require_school_admin, users_with_role
from accounts.roles import STUDENT

from . import services
from .selectors import retention_preview

MESSAGE_ERASED = _("{label} is erased: {pages} page(s) and {files} file(s), with the account.")
SEARCH_LIMIT = 100


def _students():
    return users_with_role(STUDENT)


def _student_or_404(pk):
    return get_object_or_404(_students(), pk=pk)


def privacy_index(request):
    require_school_admin(request.user)
    query = request.GET.get("q", "").strip()
    students = _students().order_by("first_name", "last_name", "username")
    if query:
        students = students.filter(
            Q(username__icontains=query)
            | Q(email__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(display_name__icontains=query)
        )
    context = {"students": students[:SEARCH_LIMIT], "query": query, "header_title": "Privacy"}
    return TemplateResponse(request, "privacy/admin/privacy_index.html", context)


@require_http_methods(["GET", "POST"])
def privacy_export(request, pk):
    require_school_admin(request.user)
    student = _student_or_404(pk)
    if request.method == "POST":
        archive = services.student_export(student=student, user=request.user)
        stamp = timezone.now().strftime("%Y%m%d")
        name = f"student-{student.pk}-{stamp}.zip"
        return FileResponse(archive, as_attachment=True, filename=name)
    context = {"student": student, "header_title": f"Export data: {student}"}
    return TemplateResponse(request, "privacy/admin/privacy_export.html", context)


class EraseForm(forms.Form):
    confirmation = forms.CharField(
        label="Type the student's username or email to confirm",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


@require_http_methods(["GET", "POST"])
def privacy_erase(request, pk):
    require_school_admin(request.user)
    student = _student_or_404(pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erased = services.student_erase(
                student=student, user=request.user, confirmation=form.cleaned_data["confirmation"]
            )
        except ValidationError as error:
            form.add_error("confirmation", error.messages)
        else:
            messages.success(
                request,
                MESSAGE_ERASED.format(label=erased.label, pages=erased.pages, files=erased.files),
            )
            return redirect("privacy_admin:index")
    context = {
        "student": student,
        "form": form,
        "pages": Page.objects.filter(owner=student).count(),
        "header_title": f"Erase: {student}",
    }
    return TemplateResponse(request, "privacy/admin/privacy_erase.html", context)


def privacy_retention(request):
    """What the next run of the school's data retention erases (privacy.selectors)."""
    require_school_admin(request.user)
    context = {
        "preview": retention_preview(now=timezone.now()),
        "settings_url": reverse("wagtailsettings:edit", args=["privacy", "retentionsettings"]),
        "header_title": "Data retention",
    }
    return TemplateResponse(request, "privacy/admin/privacy_retention.html", context)


urlpatterns = [
    path("", privacy_index, name="index"),
    path("retention/", privacy_retention, name="retention"),
    path("<int:pk>/export/", privacy_export, name="export"),
    path("<int:pk>/erase/", privacy_erase, name="erase"),
]
