"""A school's site: students signing up with a class code, and joining another class."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.http import client_ip
from core.ratelimit import error_status

from .forms import ClassJoinForm, SignupForm
from .services import student_class_join, student_signup

MESSAGE_WELCOME = _("Welcome, {name}! You have joined {classroom}.")
MESSAGE_JOINED = _("You have joined {classroom}.")

# The new student is logged in without a password check of axes' backend: they just chose it.
SIGNUP_BACKEND = "accounts.backends.EmailOrUsernameBackend"


def signup(request):
    if request.user.is_authenticated:  # one account each: a signed-in person joins instead
        code = request.GET.get("code", "")
        query = f"?{urlencode({'code': code})}" if code else ""
        return redirect(reverse("classrooms:class-join") + query)
    form = SignupForm(request.POST or None, initial={"join_code": request.GET.get("code", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = student_signup(address=client_ip(request), **form.signup_data())
        except ValidationError as error:
            form.add_service_errors(error)
            status = error_status(error)
        else:
            login(request, user, backend=SIGNUP_BACKEND)
            classroom = user.classrooms.get()
            messages.success(
                request, MESSAGE_WELCOME.format(name=user.get_short_name(), classroom=classroom)
            )
            return redirect("/")
    return render(request, "classrooms/signup.html", {"form": form}, status=status)


@login_required
def class_join(request):
    form = ClassJoinForm(request.POST or None, initial={"join_code": request.GET.get("code", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            classroom = student_class_join(
                student=request.user,
                join_code=form.cleaned_data["join_code"],
                address=client_ip(request),
            )
        except ValidationError as error:
            form.add_service_errors(error)
            status = error_status(error)
        else:
            messages.success(request, MESSAGE_JOINED.format(classroom=classroom))
            return redirect("/")
    return render(request, "classrooms/class_join.html", {"form": form}, status=status)
