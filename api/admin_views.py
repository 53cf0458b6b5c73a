"""'API tokens' in the Wagtail admin, for school admins: every token of the school, whose it
is, what it may do and when it was last used, and Revoke. Anyone else gets Wagtail's "no
permission" answer (require_school_admin)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.permissions import require_school_admin

from . import selectors, services
from .views import MESSAGE_REVOKED

TITLE = _("API tokens")


def tokens_index(request):
    require_school_admin(request.user)
    context = {"tokens": selectors.token_list_school(), "header_title": TITLE}
    return TemplateResponse(request, "api/admin/tokens_index.html", context)


@require_POST
def token_revoke(request, pk):
    require_school_admin(request.user)
    row = get_object_or_404(selectors.token_list_school(), pk=pk)
    services.token_revoke(token=row)
    messages.success(request, MESSAGE_REVOKED.format(name=row.name))
    return redirect("api_admin:index")


urlpatterns = [
    path("", tokens_index, name="index"),
    path("<int:pk>/revoke/", token_revoke, name="revoke"),
]
