"""The worker, in this process: each task runs in the school it was enqueued from; a passing
failure (mail server, Daraja) is tried again with growing delays, up to TASK_RETRY_ATTEMPTS;
a task failing for good is logged at ERROR and listed by `manage.py tasks_failed`; old
results are pruned. (The real worker process: mediahub/tests/test_worker_process.py.)"""

import logging
import smtplib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import schema_context

from conftest import DATABASE_TASKS
from core import worker as worker_module
from core.observability import current_request_id, current_school, log_context
from core.tasks import email_send, task_results_prune
from core.worker import SchoolWorker, attempts, retry_delay

pytestmark = pytest.mark.django_db
FLAKY = "core.tests.test_worker.flaky"


@task()
def where() -> str:
    return connection.schema_name


@task()
def context_seen() -> list[str]:
    return [current_school(), current_request_id()]


@task()
def flaky(*, kind: str) -> None:
    if kind == "smtp":
        raise smtplib.SMTPServerDisconnected("the mail server went away")
    raise ValueError("a bug, not the weather")


@pytest.fixture
def queue(settings):
    """The database queue, in this test's transaction (no other process sees it)."""
    settings.TASKS = DATABASE_TASKS
    settings.TASK_RETRY_ATTEMPTS = 3
    settings.TASK_RETRY_DELAY_SECONDS = 10


def _run_next() -> DBTaskResult:
    """Claim the next ready task and run it as `manage.py db_worker` does."""
    worker = SchoolWorker(
        queue_names=["default"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    )
    row = DBTaskResult.objects.ready().get_locked()
    row.claim(worker.worker_id)
    worker.run_task(row)
    row.refresh_from_db()
    return row


def _make_due(row: DBTaskResult) -> None:
    """As if its delay had passed."""
    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())


def test_a_task_runs_in_the_school_it_was_enqueued_from(queue, greenwood):
    with schema_context(greenwood.schema_name):
        where.enqueue()
    assert connection.schema_name == "public"  # where the worker starts

    row = _run_next()

    assert row.args_kwargs["schema_name"] == greenwood.schema_name
    assert row.status == "SUCCESSFUL" and row.return_value == greenwood.schema_name


def test_a_task_done_keeps_no_arguments_a_failed_one_does(queue, greenwood):
    """An email task's arguments may hold a link that signs someone in."""
    with schema_context(greenwood.schema_name):
        email_send.enqueue(subject="Reset", body="https://x/reset/secret/", to=["a@b.test"])
        flaky.enqueue(kind="bug")
    sent, failed = _run_next(), _run_next()
    assert sent.status == "SUCCESSFUL" and sent.args_kwargs["kwargs"] == {}
    assert failed.status == "FAILED" and failed.args_kwargs["kwargs"] == {"kind": "bug"}
    assert connection.schema_name == "public"  # and where it is left


def test_a_task_logs_with_the_school_and_the_request_that_enqueued_it(queue, greenwood):
    with schema_context(greenwood.schema_name), log_context(school="x", request_id="req-42"):
        context_seen.enqueue()
    context_seen.enqueue()  # outside any request: an id of its own

    by_request = _run_next()
    assert by_request.return_value == [greenwood.schema_name, "req-42"]
    alone = _run_next()
    assert alone.return_value[0] == "public" and alone.return_value[1] not in ("req-42", "-")


def test_the_retry_delay_doubles_until_the_last_attempt(settings):
    settings.TASK_RETRY_ATTEMPTS, settings.TASK_RETRY_DELAY_SECONDS = 4, 30
    error = ConnectionRefusedError("refused")
    delays = [retry_delay(error, attempts=n) for n in (1, 2, 3, 4)]
    assert delays == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120), None]
    assert retry_delay(ValueError("bug"), attempts=1) is None


def test_a_passing_failure_is_tried_again_later_then_fails_for_good(queue, greenwood, caplog):
    with schema_context(greenwood.schema_name):
        flaky.enqueue(kind="smtp")

    before = timezone.now()
    row = _run_next()
    assert (row.status, attempts(row)) == ("READY", 1)
    assert before + timedelta(seconds=10) <= row.run_after <= timezone.now() + timedelta(seconds=10)
    assert "SMTPServerDisconnected" in row.exception_class_path
    assert not DBTaskResult.objects.ready().exists()  # not before its delay

    _make_due(row)
    before = timezone.now()
    row = _run_next()
    assert (row.status, attempts(row)) == ("READY", 2)
    assert row.run_after >= before + timedelta(seconds=20)  # twice the first delay

    _make_due(row)
    with caplog.at_level(logging.ERROR, logger=worker_module.__name__):
        row = _run_next()
    assert (row.status, attempts(row)) == ("FAILED", 3)
    [record] = [
        r for r in caplog.records if r.name == worker_module.__name__ and r.levelno >= logging.ERROR
    ]
    assert FLAKY in record.message and greenwood.schema_name in record.message
    assert "the mail server went away" in record.message and "3 attempt" in record.message


def test_any_other_failure_fails_at_once(queue, greenwood):
    with schema_context(greenwood.schema_name):
        flaky.enqueue(kind="bug")
    row = _run_next()
    assert (row.status, attempts(row)) == ("FAILED", 1)
    assert "ValueError" in row.exception_class_path


def test_tasks_failed_lists_school_task_attempts_and_error(queue, greenwood, riverside):
    out = StringIO()
    call_command("tasks_failed", stdout=out)
    assert out.getvalue().strip() == "No failed task."

    with schema_context(riverside.schema_name):
        flaky.enqueue(kind="bug")
    _run_next()
    with schema_context(greenwood.schema_name):
        flaky.enqueue(kind="smtp")
    _run_next()

    failed, retrying = StringIO(), StringIO()
    call_command("tasks_failed", stdout=failed)
    call_command("tasks_failed", "--retrying", stdout=retrying)
    [line] = failed.getvalue().splitlines()
    assert riverside.schema_name in line and FLAKY in line and "attempts=1" in line
    assert "ValueError: a bug, not the weather" in line
    [line] = retrying.getvalue().splitlines()
    assert greenwood.schema_name in line and "attempts=1" in line
    assert "SMTPServerDisconnected: the mail server went away" in line


def test_old_finished_results_are_pruned(queue, settings):
    settings.TASK_RESULTS_KEEP_DAYS = 14
    for _ in range(3):
        where.enqueue()
    old, recent, waiting = DBTaskResult.objects.order_by("enqueued_at")
    for row, days in ((old, 15), (recent, 13)):
        row.set_successful(None)
        DBTaskResult.objects.filter(pk=row.pk).update(
            finished_at=timezone.now() - timedelta(days=days)
        )

    assert task_results_prune.call() == 1

    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
