"""Donations on the Wagtail dashboard: this month's, for whoever may open the report
(donations.permissions: school admins every donation, teachers their classes')."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from .models import Status
from .selectors import donation_list, donation_totals


def month_start(now: datetime | None = None) -> datetime:
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def donations_this_month(*, user, now: datetime | None = None) -> dict:
    """This month's donations `user` may see: how many were paid and their total (KES), how
    many were tried in all, and the report filtered to them. One query."""
    since = month_start(now)
    totals = donation_totals(donation_list(user=user).filter(created_at__gte=since))
    query = urlencode({"created_at_after": since.date().isoformat(), "status": Status.PAID})
    return {
        "month": since,
        "paid_total": totals["paid_total"],
        "paid_count": totals["paid_count"],
        "count": totals["count"],
        "report_url": f"{reverse('donations_report')}?{query}",
    }
