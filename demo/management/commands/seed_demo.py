from django.core.management.base import BaseCommand
from django.db import transaction

from demo.seed import seed


class Command(BaseCommand):
    help = (
        "Load the demo: schools greenwood and riverside, each with a school admin, two "
        "teachers and four students, and a platform operator. Safe to run repeatedly: "
        "what exists is left as it is."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        report = seed()
        for line in report.lines():
            self.stdout.write(line)
