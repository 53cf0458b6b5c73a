"""'Invite teachers' in the Wagtail admin, for school admins."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks

from accounts.permissions import SchoolAdminMenuItem, require_school_admin

from .forms import InvitationForm
from .models import Invitation
from .services import invitation_create, invitation_revoke


def invitation_index(request):
    require_school_admin(request.user)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, _token = invitation_create(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                classrooms=data["classrooms"],
                invited_by=request.user,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("invitations_admin:index")
    invitations = Invitation.objects.select_related("invited_by").prefetch_related("classrooms")
    return TemplateResponse(
        request,
        "invitations/admin/index.html",
        {"form": form, "invitations": invitations[:100], "header_title": _("Invite teachers")},
    )


@require_POST
def invitation_revoke_view(request, pk):
    require_school_admin(request.user)
    invitation = get_object_or_404(Invitation, pk=pk)
    invitation_revoke(invitation=invitation)
    messages.success(
        request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
    )
    return redirect("invitations_admin:index")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "invitations/",
            (
                [
                    path("", invitation_index, name="index"),
                    path("<int:pk>/revoke/", invitation_revoke_view, name="revoke"),
                ],
                "invitations_admin",
                "invitations_admin",
            ),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_invitations_menu_item():
    return SchoolAdminMenuItem(
        _("Invite teachers"), reverse("invitations_admin:index"), icon_name="mail", order=160
    )
