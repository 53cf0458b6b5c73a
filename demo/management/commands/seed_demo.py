from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.seed import DemoSeedRefused, seed, seed_allowed_check


class Command(BaseCommand):
    help = (
        "Load the demo: schools greenwood and riverside, each with a school admin, two "
        "teachers and four students, and a platform operator. Safe to run repeatedly: "
        "what exists is left as it is. Refused where the settings do not allow it "
        "(DEMO_SEED_ALLOWED; never with the production settings)."
    )

    def handle(self, *args, **options):
        # Before the transaction, which would open a connection: nothing touches the database.
        try:
            seed_allowed_check()
        except DemoSeedRefused as refused:
            raise CommandError(str(refused)) from None
        with transaction.atomic():
            report = seed(story=True)
        for line in report.lines():
            self.stdout.write(line)
