"""The accounts pages of a school's site: signing in and out, the profile, and changing or
resetting a password (students sign up with a class code in classrooms.views). Everything
here runs in the school's schema (chosen by the host), so every account, session and reset
link is the school's own."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    ProfileForm,
    SetPasswordForm,
)
from .services import user_password_reset_done

# Apps above this one add parts to the profile page (api: a person's tokens): each hook
# takes the request and returns the part's HTML.
PROFILE_SECTIONS_HOOK = "profile_sections"

MESSAGE_PROFILE_SAVED = _("Your profile is saved.")
MESSAGE_PASSWORD_CHANGED = _("Your password is changed.")  # noqa: S105 (a message)
MESSAGE_RESET_LINK_INVALID = _(
    "This password reset link has expired or has already been used. Ask for a new one."
)


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
    sections = [section(request) for section in hooks.get_hooks(PROFILE_SECTIONS_HOOK)]
    return render(request, "accounts/profile.html", {"form": form, "sections": sections})


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

    def form_valid(self, form):
        response = super().form_valid(form)
        user_password_reset_done(user=form.user)
        return response
