"""`manage.py tasks_failed`: the queue's tasks that failed for good (or, with --retrying,
those waiting to be tried again), with their school, attempts and error."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.task_backends import task_schema
from core.worker import attempts, error_summary, task_results_failed


class Command(BaseCommand):
    help = (
        "List the background tasks that failed for good: when, school, task, attempts, error. "
        "--retrying: those that failed and will be tried again, with when."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--retrying", action="store_true", help="Tasks waiting to be tried again."
        )
        parser.add_argument("--limit", type=int, default=50, help="At most this many. Default 50.")

    def handle(self, *args, retrying, limit, **options):
        results = list(task_results_failed(retrying=retrying)[:limit])
        if not results:
            self.stdout.write("No task waits to be tried again." if retrying else "No failed task.")
            return
        for result in results:
            when = result.run_after if retrying else result.finished_at
            self.stdout.write(
                f"{timezone.localtime(when):%Y-%m-%d %H:%M:%S}  {task_schema(result)}  "
                f"{result.task_path}  attempts={attempts(result)}  {error_summary(result)}"
            )
