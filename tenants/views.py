from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from core.ratelimit import rate_limited, wait_text

from .applications import school_application_confirm, school_application_create
from .forms import SchoolRegistrationForm
from .selectors import school_list_active
from .urls_helpers import school_url

REGISTER_THROTTLED = _(
    "Many schools have been registered from your network today. Wait {wait}, then try "
    "again; if your school needs more, write to the platform's operators."
)


def landing(request):
    schools = [(school, school_url(school)) for school in school_list_active()]
    return render(request, "tenants/landing.html", {"schools": schools})


def school_register(request):
    form = SchoolRegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        wait = rate_limited(request, "school_register")  # counts registrations, not typos
        if wait:
            form.add_error(None, REGISTER_THROTTLED.format(wait=wait_text(wait)))
            status = 429
        else:
            try:
                school_application_create(**form.service_kwargs())
            except ValidationError as exc:  # e.g. the address was asked for a moment ago
                form.add_service_errors(exc)
            else:
                return redirect("tenants:school-register-sent")
    return render(request, "tenants/school_register.html", {"form": form}, status=status)


def school_register_sent(request):
    return render(request, "tenants/school_register_sent.html")


def school_register_confirm(request, token: str):
    try:
        application = school_application_confirm(token=token)
    except ValidationError as exc:
        context = {"error": exc.messages[0]}
        return render(request, "tenants/school_register_confirm.html", context, status=400)
    context = {"application": application}
    return render(request, "tenants/school_register_confirm.html", context)
