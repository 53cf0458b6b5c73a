"""The platform operators' view of schools (Django admin on the platform site)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django_tenants.utils import get_public_schema_name

from .forms import SchoolRegistrationForm
from .models import Domain, School
from .services import school_create
from .urls_helpers import school_url


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ["domain", "is_primary"]


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
    fields = ["name", "slug", "schema_name", "contact_email", "is_active", "created"]
    inlines = [DomainInline]

    def has_module_permission(self, request):
        # School rows live in the public schema: only the platform site manages them.
        return connection.schema_name == get_public_schema_name() and super().has_module_permission(
            request
        )

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
