from datetime import timedelta

from django.core.management.base import BaseCommand

from donations.tasks import RECONCILE_OLDER_THAN, donations_reconcile_everywhere


class Command(BaseCommand):
    help = (
        "Settle every school's donations left open: pending ones are asked with STK Query "
        "(their callback was lost), ones never pushed are failed. `manage.py scheduler` "
        "runs the same sweep every few minutes (RECONCILE_DONATIONS_EVERY_SECONDS)."
    )

    def add_arguments(self, parser):
        default = int(RECONCILE_OLDER_THAN.total_seconds())
        parser.add_argument(
            "--older-than",
            type=int,
            default=default,
            help=f"Only donations pushed (or made) more than this many seconds ago. "
            f"Default {default}.",
        )
        parser.add_argument("--school", help="Only this school (its slug).")

    def handle(self, *args, **options):
        reports = donations_reconcile_everywhere(
            older_than=timedelta(seconds=options["older_than"]), slug=options["school"]
        )
        for slug, report in reports.items():
            self.stdout.write(
                f"{slug}: {report.confirmed} settled, {report.still_pending} still "
                f"pending, {report.abandoned} never pushed"
            )
