"""The accounts pages of a school's site: students joining with a class code, signing in and
out, the profile, and changing or resetting a password. Everything here runs in the school's
schema (chosen by the host), so every account, session and reset link is the school's own."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode

from .forms import (
    ClassJoinForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    ProfileForm,
    SetPasswordForm,
    SignupForm,
)
from .services import student_class_join, student_signup

MESSAGE_WELCOME = "Welcome, {name}! You have joined {classroom}."
MESSAGE_JOINED = "You have joined {classroom}."
MESSAGE_PROFILE_SAVED = "Your profile is saved."
MESSAGE_PASSWORD_CHANGED = "Your password is changed."  # noqa: S105 (a message)
MESSAGE_RESET_LINK_INVALID = (
    "This password reset link has expired or has already been used. Ask for a new one."
)

# The new student is logged in without a password check of axes' backend: they just chose it.
SIGNUP_BACKEND = "accounts.backends.EmailOrUsernameBackend"


def signup(request):
    if request.user.is_authenticated:  # one account each: a signed-in person joins instead
        code = request.GET.get("code", "")
        query = f"?{urlencode({'code': code})}" if code else ""
        return redirect(reverse("accounts:class-join") + query)
    form = SignupForm(request.POST or None, initial={"join_code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            user = student_signup(**form.signup_data())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            login(request, user, backend=SIGNUP_BACKEND)
            classroom = user.classrooms.get()
            messages.success(
                request, MESSAGE_WELCOME.format(name=user.get_short_name(), classroom=classroom)
            )
            return redirect("/")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def class_join(request):
    form = ClassJoinForm(request.POST or None, initial={"join_code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            classroom = student_class_join(
                student=request.user, join_code=form.cleaned_data["join_code"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, MESSAGE_JOINED.format(classroom=classroom))
            return redirect("/")
    return render(request, "accounts/class_join.html", {"form": form})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, MESSAGE_PROFILE_SAVED)
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    """Django's: it keeps the session valid after the change (update_session_auth_hash)."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:profile")
    success_message = MESSAGE_PASSWORD_CHANGED


class CustomPasswordResetView(auth_views.PasswordResetView):
    """Sends the reset link by email. The link's host is the request's (django.contrib.sites
    is not installed, so Django uses RequestSite), which the tenant middleware has already
    matched to this school: the link always leads back to the school it was asked at. The
    answer is the same whether or not the email belongs to anyone."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        self.extra_email_context = {
            "school_name": self.request.tenant.name,
            "link_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        return super().form_valid(form)


class CustomPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")

    def get_context_data(self, **kwargs):
        return super().get_context_data(invalid_link_message=MESSAGE_RESET_LINK_INVALID, **kwargs)
