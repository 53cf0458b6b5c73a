"""The queue's worker (`manage.py db_worker`): django-tasks-db's, except that each task runs
in the school it was enqueued from, and a task failing for a passing reason is run again
later (back-off), up to TASK_RETRY_ATTEMPTS tries. A task that fails for good is logged at
ERROR with its school, and `manage.py tasks_failed` lists it. Its log lines carry the school
and the id of the request that enqueued it (core.observability)."""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import timedelta
from traceback import format_exception

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import schema_context

from .observability import log_context
from .task_backends import task_request_id, task_schema

logger = logging.getLogger(__name__)


def transient_exceptions() -> tuple[type[BaseException], ...]:
    return tuple(import_string(path) for path in settings.TASK_RETRY_EXCEPTIONS)


def retry_delay(error: BaseException, *, attempts: int) -> timedelta | None:
    """How long to wait before trying again after the `attempts`-th try failed with `error`:
    TASK_RETRY_DELAY_SECONDS, doubled at each try; None when it is not to be tried again
    (not a passing failure, or the last try)."""
    if not isinstance(error, transient_exceptions()) or attempts >= settings.TASK_RETRY_ATTEMPTS:
        return None
    return timedelta(seconds=settings.TASK_RETRY_DELAY_SECONDS * 2 ** (attempts - 1))


def _error_record(db_result: DBTaskResult, error: BaseException) -> None:
    db_result.exception_class_path = f"{type(error).__module__}.{type(error).__qualname__}"
    db_result.traceback = "".join(format_exception(error))


def task_retry_later(db_result: DBTaskResult, error: BaseException, delay: timedelta) -> None:
    """Put a claimed task back in the queue, to run after `delay`, with its last error."""
    _error_record(db_result, error)
    db_result.status = TaskResultStatus.READY
    db_result.run_after = timezone.now() + delay
    db_result.save(update_fields=["status", "run_after", "exception_class_path", "traceback"])


def attempts(db_result: DBTaskResult) -> int:
    """How many times the task was started: each claim by a worker adds its id."""
    return len(db_result.worker_ids)


def error_summary(db_result: DBTaskResult) -> str:
    """The last line of the task's last traceback: the exception and its message."""
    lines = db_result.traceback.strip().splitlines()
    return lines[-1] if lines else db_result.exception_class_path


def task_results_failed(*, retrying: bool = False):
    """Tasks failed for good, newest first; or, with `retrying`, those that failed and wait
    to be tried again."""
    if retrying:
        results = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        return results.exclude(exception_class_path="").order_by("run_after")
    return DBTaskResult.objects.failed().order_by("-finished_at")


def _arguments_forget(db_result: DBTaskResult) -> None:
    """A task done keeps no arguments: an email's may hold a link that signs someone in (a
    password reset, an invitation), which has no business in the queue's table once sent."""
    db_result.args_kwargs = {**db_result.args_kwargs, "args": [], "kwargs": {}}
    db_result.save(update_fields=["args_kwargs"])


class SchoolWorker(Worker):
    """django-tasks-db's Worker whose run_task enters the task's school and retries."""

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.running_task = True
        try:
            school = task_schema(db_task_result)
            # Its queries in its school; its log lines and error reports name the school and
            # the request that enqueued it.
            with (
                schema_context(school),
                log_context(school=school, request_id=task_request_id(db_task_result)),
            ):
                self._run(db_task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _run(self, db_result: DBTaskResult) -> None:
        # As django-tasks-db's Worker.run_task, but a passing failure goes back in the queue.
        try:
            task = db_result.task
            backend_type = type(task.get_backend())
            task_result = db_result.task_result
            task_started.send(sender=backend_type, task_result=task_result)
            arguments = (TaskContext(task_result=task_result),) if task.takes_context else ()
            value = task.call(*arguments, *task_result.args, **task_result.kwargs)
            db_result.set_successful(value)
            _arguments_forget(db_result)
            task_finished.send(sender=backend_type, task_result=db_result.task_result)
        except Exception as error:
            delay = retry_delay(error, attempts=attempts(db_result))
            if delay is not None:
                logger.warning(
                    "Task %s in school %s failed (try %d), trying again in %s: %s",
                    db_result.task_path,
                    task_schema(db_result),
                    attempts(db_result),
                    delay,
                    error,
                )
                task_retry_later(db_result, error, delay)
                return
            self._fail(db_result, error)
        except BaseException as error:  # stopped mid-task (a second Ctrl+C): failed, then stop
            self._fail(db_result, error)
            raise

    def _fail(self, db_result: DBTaskResult, error: BaseException) -> None:
        db_result.set_failed(error)
        logger.error(
            "Task %s failed in school %s after %d attempt(s): %r",
            db_result.task_path,
            task_schema(db_result),
            attempts(db_result),
            error,
        )
        with suppress(ImportError, SuspiciousOperation):  # the task is gone: nobody to tell
            task_finished.send(
                sender=type(db_result.task.get_backend()), task_result=db_result.task_result
            )
