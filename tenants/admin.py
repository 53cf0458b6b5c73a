"""The platform operators' view of schools (Django admin on the platform site)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods
from django_tenants.utils import get_public_schema_name

from .applications import school_application_approve, school_application_decline
from .forms import SchoolRegistrationForm
from .models import Domain, School, SchoolApplication
from .services import school_create
from .urls_helpers import school_url


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ["domain", "is_primary"]


def _platform_only(request) -> bool:
    # School rows live in the public schema: only the platform site manages them.
    return connection.schema_name == get_public_schema_name()


class SchoolCreationAdminForm(SchoolRegistrationForm):
    contact_email = forms.EmailField(
        required=False, help_text="Defaults to the first administrator's email."
    )

    def service_kwargs(self) -> dict:
        return {
            **super().service_kwargs(),
            "contact_email": self.cleaned_data.get("contact_email", ""),
        }


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "schema_name", "site_link", "is_active", "created"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug", "contact_email"]
    readonly_fields = ["slug", "schema_name", "created"]
    fields = [
        "name",
        "slug",
        "schema_name",
        "contact_email",
        "default_language",
        "is_active",
        "created",
    ]
    inlines = [DomainInline]

    def has_module_permission(self, request):
        return _platform_only(request) and super().has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: deleting the row would orphan the school's schema and files.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).schools().prefetch_related("domains")

    @admin.display(description="Site")
    def site_link(self, school):
        url = school_url(school)
        return format_html('<a href="{}">{}</a>', url, url)

    def add_view(self, request, form_url="", extra_context=None):
        """New schools go through the onboarding service, like a registration."""
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = SchoolCreationAdminForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                school = school_create(**form.service_kwargs())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                self.log_addition(request, school, [{"added": {}}])
                messages.success(request, f"Created {school.name} at {school_url(school)}.")
                return redirect(reverse("admin:tenants_school_change", args=[school.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Add school",
            "form": form,
            "opts": self.model._meta,
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, "admin/tenants/school/add_form.html", context)


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "tenant", "is_primary"]
    list_filter = ["is_primary"]
    search_fields = ["domain", "tenant__name"]
    autocomplete_fields = ["tenant"]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sent to the applicant.",
        required=False,  # the service says what is missing
    )


@admin.register(SchoolApplication)
class SchoolApplicationAdmin(admin.ModelAdmin):
    """Registrations waiting for an operator: each one's page approves it (the school is
    created then) or declines it with a reason; the applicant is emailed either way."""

    list_display = ["name", "slug", "admin_email", "status", "created", "decided_by"]
    list_filter = ["status"]
    search_fields = ["name", "slug", "admin_email"]

    def has_module_permission(self, request):
        return _platform_only(request) and super().has_module_permission(request)

    def has_add_permission(self, request):
        return False  # schools register themselves; operators use "Add school"

    def has_delete_permission(self, request, obj=None):
        return False  # the record of who asked and what was decided stays

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("school")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return require_http_methods(["GET", "POST"])(self._decide)(request, object_id)

    def _decide(self, request, object_id):
        application = self.get_object(request, object_id)
        if application is None or not self.has_view_permission(request, application):
            return redirect("admin:tenants_schoolapplication_changelist")
        decline_form = DeclineForm(request.POST if "decline" in request.POST else None)
        if request.method == "POST" and self.has_change_permission(request, application):
            try:
                self._decision_take(request, application, decline_form)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    decline_form.add_error(None, exc)
                else:
                    messages.error(request, " ".join(exc.messages))
            else:
                return redirect("admin:tenants_schoolapplication_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": f"Registration of {application.name}",
            "application": application,
            "pending": application.status == SchoolApplication.Status.PENDING_APPROVAL,
            "can_decide": self.has_change_permission(request, application),
            "decline_form": decline_form,
            "opts": self.model._meta,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/tenants/schoolapplication/decide.html", context)

    def _decision_take(self, request, application, decline_form) -> None:
        if "approve" in request.POST:
            school = school_application_approve(
                application_id=application.pk, operator=request.user
            )
            self.log_change(request, application, "Approved")
            messages.success(request, f"Approved: {school.name} is at {school_url(school)}.")
        elif "decline" in request.POST and decline_form.is_valid():
            school_application_decline(
                application_id=application.pk,
                operator=request.user,
                reason=decline_form.cleaned_data["reason"],
            )
            self.log_change(request, application, "Declined")
            messages.success(request, f"Declined: {application.name}. The applicant is told why.")
        else:
            raise ValidationError("Choose Approve or Decline.")
