"""Settings > Language in a school's Wagtail admin: the school's default language (the language
of visitors' pages, and of members who chose none; core.languages). The school's row lives in
the public schema; saving it drops the cached host lookup and the school's cached pages
(tenants.signals)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import connection, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts.permissions import require_school_admin

from .models import School

SAVED = _("The school's language is saved.")


class SchoolLanguageForm(forms.Form):
    default_language = forms.ChoiceField(
        label=_("Default language"),
        choices=[("", _("The platform's default (English)"))] + list(settings.LANGUAGES),
        required=False,
        help_text=_(
            "Visitors, and members who have not chosen a language, see the school's pages "
            "and get its emails in this language. Anyone can switch from the menu."
        ),
    )


@transaction.atomic
def school_language_set(*, school: School, language: str) -> School:
    """The school's default language (blank: the platform's)."""
    school = School.objects.select_for_update().get(pk=school.pk)
    school.default_language = language
    school.full_clean(exclude=["slug", "schema_name"])
    school.save(update_fields=["default_language"])
    return school


def school_language(request):
    require_school_admin(request.user)
    school = connection.tenant
    form = SchoolLanguageForm(
        request.POST or None, initial={"default_language": school.default_language}
    )
    if request.method == "POST" and form.is_valid():
        saved = school_language_set(school=school, language=form.cleaned_data["default_language"])
        connection.tenant.default_language = saved.default_language
        messages.success(request, SAVED)
        return redirect("tenants_admin:school-language")
    context = {"form": form, "header_title": _("Language"), "school": school}
    return TemplateResponse(request, "tenants/admin/school_language.html", context)


urlpatterns = [path("language/", school_language, name="school-language")]
