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


def client_ip(request) -> str:
    """The address a request came from. Behind TRUSTED_PROXY_COUNT proxies, the address the
    first of them saw; never a value the client could simply choose."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/locked_out.html",
        {"message": LOCKOUT_MESSAGE.format(minutes=minutes)},
        status=429,
    )
