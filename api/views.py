"""A person's tokens on their profile page (accounts.views.profile shows this app's section
through PROFILE_SECTIONS_HOOK): making one, shown once, and revoking one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.forms import ProfileForm

from . import selectors, services
from .forms import TokenForm

MESSAGE_REVOKED = _("The token “{name}” is revoked: apps using it are signed out.")


def profile_section(request) -> str:
    """The tokens part of the profile page (accounts.views.PROFILE_SECTIONS_HOOK)."""
    return _section(request, TokenForm(user=request.user))


def _section(request, form) -> str:
    context = {"tokens": selectors.token_list(user=request.user), "token_form": form}
    return render_to_string("api/profile_tokens.html", context, request=request)


@never_cache
@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            row, token = services.token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            # Shown on this answer only: nothing keeps it (no session, no message).
            return render(request, "api/token_created.html", {"row": row, "token": token})
    context = {"form": ProfileForm(instance=request.user), "sections": [_section(request, form)]}
    return render(request, "accounts/profile.html", context, status=400)


@login_required
@require_POST
def token_revoke(request, pk):
    row = selectors.token_get(user=request.user, pk=pk)  # one's own, else 404
    services.token_revoke(token=row)
    messages.success(request, MESSAGE_REVOKED.format(name=row.name))
    return redirect("accounts:profile")
