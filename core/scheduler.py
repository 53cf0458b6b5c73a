"""The periodic jobs' scheduler (`manage.py scheduler`): a small loop that enqueues each job
of PERIODIC_TASKS (a task's dotted path: every how many seconds) when it is due; the worker
runs it. One scheduler schedules: each holds a PostgreSQL advisory lock while it does, so a
second one started by mistake only waits, and takes over if the first stops."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import get_public_schema_name, schema_context

logger = logging.getLogger(__name__)

# The advisory lock's key: any number of our own, the same for every scheduler.
LOCK_KEY = 0x4D6564696148  # "MediaH"


@dataclass
class Job:
    task: Task
    every: timedelta
    due: datetime | None = None  # None: at once


def jobs_from(periodic: dict[str, int]) -> list[Job]:
    """The jobs of a PERIODIC_TASKS mapping; a path that is not a task fails at start."""
    jobs = []
    for path, seconds in periodic.items():
        task = import_string(path)
        if not isinstance(task, Task) or seconds <= 0:
            raise ValueError(f"PERIODIC_TASKS: {path} must be a task, every > 0 seconds.")
        jobs.append(Job(task=task, every=timedelta(seconds=seconds)))
    return jobs


def _waiting(job: Job) -> bool:
    """Its last run has not started yet (the worker is behind, or down): this round is
    skipped, so that a stopped worker does not come back to a pile of the same job."""
    return DBTaskResult.objects.filter(
        task_path=job.task.module_path, status=TaskResultStatus.READY
    ).exists()


class Scheduler:
    def __init__(self, jobs: list[Job], *, clock: Callable[[], datetime] = timezone.now):
        self.jobs = jobs
        self.clock = clock
        self.running = True
        self.leader = False
        self.waiting = False  # told the log that another scheduler holds the lock

    def stop(self, *args) -> None:
        """Signal handler (SIGTERM, SIGINT): finish this turn, then stop."""
        self.running = False

    def _lock(self) -> bool:
        # A session lock: held as long as this connection lives, released when it ends.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            return cursor.fetchone()[0]

    def tick(self) -> list[str]:
        """Enqueue the jobs that are due, if this scheduler holds the lock. Their paths."""
        with schema_context(get_public_schema_name()):
            if not self.leader:
                self.leader = self._lock()
                if not self.leader:
                    if not self.waiting:
                        logger.warning("Another scheduler holds the lock: waiting to take over.")
                        self.waiting = True
                    return []
                logger.info("Scheduling %d periodic job(s).", len(self.jobs))
            now = self.clock()
            enqueued = []
            for job in self.jobs:
                if job.due is None or job.due <= now:
                    job.due = now + job.every
                    if not _waiting(job):
                        job.task.enqueue()
                        enqueued.append(job.task.module_path)
            return enqueued

    def run(self, *, interval: float = 1.0) -> None:
        """Tick every `interval` seconds until stopped; the lock goes with the connection."""
        while self.running:
            try:
                for path in self.tick():
                    logger.info("Enqueued %s", path)
            except DatabaseError:
                logger.exception("The scheduler lost the database; trying again.")
                connection.close()
                self.leader = False
            time.sleep(interval)
        connection.close()
        logger.info("Scheduler stopped.")
