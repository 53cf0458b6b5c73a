"""Background work of donations (Django's Tasks API: the immediate backend in dev and tests,
a worker in production). Tasks take the school's schema name and enter it explicitly."""

from django_tasks import task
from django_tenants.utils import schema_context

from .models import Donation
from .services import donation_confirm


@task()
def donation_confirm_task(*, schema_name: str, donation_id: int) -> str:
    """STK Query for a donation whose success callback has just been recorded."""
    with schema_context(schema_name):
        donation = Donation.objects.filter(pk=donation_id).first()
        if donation is None:
            return "gone"
        return donation_confirm(donation=donation).status
