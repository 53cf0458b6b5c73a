"""A person's notifications: the list (newest first), one opened (marked read, then its
work), and "mark all read". Only the recipient's own; anyone else's id is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .kinds import GONE

PER_PAGE = 20
NO_NOTIFICATIONS = _("No notifications yet. They appear when work is sent, reviewed or published.")
MESSAGE_ALL_READ = _("All your notifications are marked read.")


@login_required
@require_GET
def notification_list(request):
    page_obj = Paginator(selectors.notification_list(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    items = selectors.notification_items(user=request.user, notifications=page_obj)
    context = {"page_obj": page_obj, "items": items, "empty_message": NO_NOTIFICATIONS}
    return render(request, "notifications/notification_list.html", context)


@login_required
@require_GET
def notification_open(request, pk):
    # A link in the list: opening it is reading it (a GET, so it works as a plain link; the
    # worst a forged one can do is mark one of your own notifications read).
    notification = selectors.notification_get(user=request.user, pk=pk)
    services.notifications_mark_read(user=request.user, pks=[notification.pk])
    url = selectors.notification_targets(user=request.user, notifications=[notification])
    if notification.pk in url:
        return redirect(url[notification.pk])
    messages.info(request, GONE)
    return redirect("notifications:notification-list")


@login_required
@require_POST
def notifications_read(request):
    services.notifications_mark_read(user=request.user)
    messages.success(request, MESSAGE_ALL_READ)
    return redirect("notifications:notification-list")
