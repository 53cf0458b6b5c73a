from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from .forms import InvitationAcceptForm
from .services import invitation_accept, invitation_get


def invitation_accept_view(request, token):
    """The emailed link: a teacher sets their name and password and is signed in."""
    try:
        invitation = invitation_get(token)
    except ValidationError as exc:
        return render(request, "invitations/invalid.html", {"message": exc.messages[0]}, status=410)
    initial = {"first_name": invitation.first_name, "last_name": invitation.last_name}
    form = InvitationAcceptForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = invitation_accept(
                token=token,
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            login(request, user, backend="accounts.backends.EmailOrUsernameBackend")
            return redirect("/admin/")
    return render(request, "invitations/accept.html", {"form": form, "invitation": invitation})
