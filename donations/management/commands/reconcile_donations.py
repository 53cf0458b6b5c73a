from datetime import timedelta

from django.core.management.base import BaseCommand
from django_tenants.utils import tenant_context

from donations.services import donations_reconcile
from tenants.models import School


class Command(BaseCommand):
    help = (
        "Settle every school's donations left open: pending ones are asked with STK Query "
        "(their callback was lost), ones never pushed are failed. Run it every few minutes "
        "(cron, or a scheduled task)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=120,
            help="Only donations pushed (or made) more than this many seconds ago. Default 120.",
        )
        parser.add_argument("--school", help="Only this school (its slug).")

    def handle(self, *args, **options):
        schools = School.objects.schools()
        if options["school"]:
            schools = schools.filter(slug=options["school"])
        older_than = timedelta(seconds=options["older_than"])
        for school in schools:
            # Each school's donations live in its own schema; enter it explicitly.
            with tenant_context(school):
                report = donations_reconcile(older_than=older_than)
            self.stdout.write(
                f"{school.slug}: {report.confirmed} settled, {report.still_pending} still "
                f"pending, {report.abandoned} never pushed"
            )
