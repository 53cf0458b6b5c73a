"""django-axes hooks: what identifies an account and an address, and what a locked-out
person is told. Axes' tables live in each schema, so each school throttles on its own."""

from django.conf import settings
from django.shortcuts import render

LOCKOUT_MESSAGE = (
    "Too many failed sign-in attempts. Signing in is paused for {minutes} minutes for this "
    "account or from this network. Try again later, or reset your password."
)


def login_identifier(request, credentials=None) -> str:
    """One account however it is typed: Amina@School.test and amina@school.test alike."""
    value = (credentials or {}).get("username") or request.POST.get("username") or ""
    return value.strip().lower()


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/locked_out.html",
        {"message": LOCKOUT_MESSAGE.format(minutes=minutes)},
        status=429,
    )
