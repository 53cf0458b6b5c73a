"""A school's site for families: joining with a family code (a new family account, or a
signed-in guardian linking another child), and the family account's page (children linked,
the email preference). What a guardian sees of the work is media_library's (My children)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_guardian
from core.http import client_ip
from core.ratelimit import error_status

from .forms import GuardianJoinForm, GuardianSignupForm, NotifyPreferenceForm
from .selectors import guardianship_list
from .services import (
    guardian_join_with_code,
    guardian_notify_preference_set,
    guardian_signup_with_code,
)

MESSAGE_WELCOME = _("Welcome, {name}! You are linked to {child}: their work is below.")
MESSAGE_LINKED = _("You are linked to {child}: their work is below.")
MESSAGE_PREFERENCE_ON = _("You will get an email when your children's work is published.")
MESSAGE_PREFERENCE_OFF = _(
    "You will no longer get an email when your children's work is published."
)

# The new guardian is logged in without axes' password check: they just chose the password.
SIGNUP_BACKEND = "accounts.backends.EmailOrUsernameBackend"
CHILDREN_URL = "media_library:children"


def join(request):
    """Where a slip's QR code leads: a family account with the code, or, signed in, the
    code links one more child."""
    if request.user.is_authenticated:
        return _join_signed_in(request)
    form = GuardianSignupForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = guardian_signup_with_code(address=client_ip(request), **form.signup_data())
        except ValidationError as error:
            form.add_service_errors(error)
            status = error_status(error)
        else:
            login(request, user, backend=SIGNUP_BACKEND)
            child = user.guardianships.get().student.get_short_name()
            messages.success(
                request, MESSAGE_WELCOME.format(name=user.get_short_name(), child=child)
            )
            return redirect(CHILDREN_URL)
    return render(request, "families/join.html", {"form": form}, status=status)


def _join_signed_in(request):
    form = GuardianJoinForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            link = guardian_join_with_code(
                guardian=request.user, code=form.cleaned_data["code"], address=client_ip(request)
            )
        except ValidationError as error:
            form.add_service_errors(error)
            status = error_status(error)
        else:
            messages.success(request, MESSAGE_LINKED.format(child=link.student.get_short_name()))
            return redirect(CHILDREN_URL)
    return render(request, "families/join_signed_in.html", {"form": form}, status=status)


@login_required
def account(request):
    """A guardian's family account: their children, and whether to email them on publish."""
    if not is_guardian(request.user):
        raise Http404("Not a family account")
    links = list(guardianship_list(guardian=request.user))
    notify = any(link.notify_on_publish for link in links)
    # An unticked box posts nothing: the form is bound on any POST, not on a non-empty one.
    data = request.POST if request.method == "POST" else None
    form = NotifyPreferenceForm(data, initial={"notify_on_publish": notify})
    if request.method == "POST" and form.is_valid():
        wanted = form.cleaned_data["notify_on_publish"]
        guardian_notify_preference_set(guardian=request.user, notify=wanted)
        messages.success(request, MESSAGE_PREFERENCE_ON if wanted else MESSAGE_PREFERENCE_OFF)
        return redirect("families:account")
    return render(request, "families/account.html", {"form": form, "links": links})
