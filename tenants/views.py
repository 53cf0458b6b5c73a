from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from .forms import SchoolRegistrationForm
from .selectors import school_list_active
from .services import school_create
from .urls_helpers import school_url


def landing(request):
    schools = [(school, school_url(school)) for school in school_list_active()]
    return render(request, "tenants/landing.html", {"schools": schools})


def school_register(request):
    form = SchoolRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            school = school_create(**form.service_kwargs())
        except ValidationError as exc:  # e.g. the slug was taken a moment ago
            form.add_service_errors(exc)
        else:
            return redirect(school_url(school, "/admin/login/?registered=1"))
    return render(request, "tenants/school_register.html", {"form": form})
