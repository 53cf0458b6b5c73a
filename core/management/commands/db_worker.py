"""`manage.py db_worker`: django-tasks-db's command (same options), with core.worker's
SchoolWorker, which runs each task in its school and retries passing failures."""

import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from core.worker import SchoolWorker


class Command(db_worker.Command):
    help = (
        "Run the task queue's worker: each task in the school it was enqueued from, failures "
        "of the mail server or Daraja tried again later (TASK_RETRY_*)."
    )

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, batch, **options):
        # django-tasks-db's handle, building our worker instead of its own.
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = SchoolWorker(
            queue_names=queue_names,
            excluded_queue_names=excluded,
            batch=batch,
            **{
                name: options[name]
                for name in ("interval", "backend_name", "startup_delay", "max_tasks", "worker_id")
            },
        )
        if not reload:
            worker.configure_signals()
            worker.run()
            return
        if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            worker.configure_signals()  # only in the reloaded child
        run_with_reloader(worker.run)
