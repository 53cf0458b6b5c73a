"""`manage.py scheduler`: the one process that enqueues the periodic jobs (PERIODIC_TASKS)."""

import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from core.scheduler import Scheduler, jobs_from


class Command(BaseCommand):
    help = (
        "Enqueue each periodic job (PERIODIC_TASKS) when it is due, for the worker to run. "
        "Only one scheduler schedules (a second waits); stops on SIGTERM or Ctrl+C."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between checks. Default 1."
        )

    def handle(self, *args, interval, **options):
        scheduler = Scheduler(jobs_from(settings.PERIODIC_TASKS))
        signal.signal(signal.SIGTERM, scheduler.stop)
        signal.signal(signal.SIGINT, scheduler.stop)
        self.stdout.write(f"Scheduler started: {len(scheduler.jobs)} periodic job(s).")
        scheduler.run(interval=interval)  # logs "Scheduler stopped." at the end
