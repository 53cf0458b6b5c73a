"""Platform operators (users of the public schema) in the Django admin. School users are
managed in each school's Wagtail admin."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import connection
from django_tenants.utils import get_public_schema_name

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (("Media Hub", {"fields": ["display_name"]}),)
    list_display = ["username", "email", "display_name", "is_staff", "is_superuser"]

    def has_module_permission(self, request):
        return connection.schema_name == get_public_schema_name() and super().has_module_permission(
            request
        )
