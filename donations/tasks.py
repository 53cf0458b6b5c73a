"""Background work of donations (Django's Tasks API: a worker in dev and production, the
immediate backend in tests). The worker runs each task in the school it was enqueued from
(core.worker); the reconciliation sweep, a periodic job, enters every school itself."""

from dataclasses import asdict
from datetime import timedelta

from django_tasks import task
from django_tenants.utils import tenant_context

from tenants.models import School

from .models import Donation
from .services import ReconcileReport, donation_confirm, donations_reconcile

# Donations pushed (or made) longer ago than this are settled by the sweep.
RECONCILE_OLDER_THAN = timedelta(seconds=120)


@task()
def donation_confirm_task(*, donation_id: int) -> str:
    """STK Query for a donation whose success callback has just been recorded. Daraja
    unreachable: raised, so the worker asks again later (core.worker's back-off)."""
    donation = Donation.objects.filter(pk=donation_id).first()
    if donation is None:
        return "gone"
    return donation_confirm(donation=donation, raise_unavailable=True).status


def donations_reconcile_everywhere(
    *, older_than: timedelta = RECONCILE_OLDER_THAN, slug: str | None = None
) -> dict[str, ReconcileReport]:
    """Settle the donations left open in every school (or the one of `slug`)."""
    schools = School.objects.schools()
    if slug:
        schools = schools.filter(slug=slug)
    reports = {}
    for school in schools:
        # A sweep over all schools: each school's donations live in its own schema.
        with tenant_context(school):
            reports[school.slug] = donations_reconcile(older_than=older_than)
    return reports


@task()
def donations_reconcile_task() -> dict[str, dict]:
    """Every few minutes (PERIODIC_TASKS): settle the donations whose callback was lost."""
    return {slug: asdict(report) for slug, report in donations_reconcile_everywhere().items()}
