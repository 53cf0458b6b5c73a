"""'Invite teachers' in the Wagtail admin, for school admins."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from classrooms.permissions import is_school_admin

from .forms import InvitationForm
from .models import Invitation
from .services import invitation_create, invitation_revoke


def _require_school_admin(request):
    if not is_school_admin(request.user):
        raise PermissionDenied


def invitation_index(request):
    _require_school_admin(request)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, _ = invitation_create(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                classrooms=data["classrooms"],
                invited_by=request.user,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("invitations_admin:index")
    invitations = Invitation.objects.select_related("invited_by").prefetch_related("classrooms")
    return TemplateResponse(
        request,
        "invitations/admin/index.html",
        {"form": form, "invitations": invitations[:100], "header_title": "Invite teachers"},
    )


@require_POST
def invitation_revoke_view(request, pk):
    _require_school_admin(request)
    invitation = get_object_or_404(Invitation, pk=pk)
    invitation_revoke(invitation=invitation)
    messages.success(request, f"The invitation to {invitation.email} is withdrawn.")
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


class SchoolAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_school_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_invitations_menu_item():
    return SchoolAdminMenuItem(
        "Invite teachers", reverse("invitations_admin:index"), icon_name="mail", order=160
    )
