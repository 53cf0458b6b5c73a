"""The scheduler: each periodic job enqueued when due, and only by the one scheduler holding
the advisory lock (a second one waits, and takes over when the first stops); `manage.py
scheduler` enqueues PERIODIC_TASKS and stops cleanly on SIGTERM."""

import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from conftest import DATABASE_TASKS, run_committed, server_environment
from core.scheduler import Job, Scheduler, jobs_from

pytestmark = pytest.mark.django_db
RAN: list[str] = []


@task()
def tick_recorded() -> None:
    RAN.append(connection.schema_name)


@pytest.fixture
def clock():
    now = [timezone.now()]
    yield now


@pytest.fixture(autouse=True)
def _unlock():
    """The advisory lock outlives the test's transaction: release it."""
    RAN.clear()
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock_all()")


def _scheduler(clock, every=60) -> Scheduler:
    return Scheduler(
        [Job(task=tick_recorded, every=timedelta(seconds=every))], clock=lambda: clock[0]
    )


def test_a_job_is_enqueued_at_once_then_every_interval(clock):
    scheduler = _scheduler(clock)
    assert scheduler.tick() == [tick_recorded.module_path]
    clock[0] += timedelta(seconds=59)
    assert scheduler.tick() == []
    clock[0] += timedelta(seconds=1)
    assert scheduler.tick() == [tick_recorded.module_path]
    assert RAN == ["public", "public"]  # a platform job: it enters the schools it needs


def test_a_job_still_waiting_in_the_queue_is_not_enqueued_again(clock, settings):
    settings.TASKS = DATABASE_TASKS  # queued, not run
    scheduler = _scheduler(clock)
    assert scheduler.tick() == [tick_recorded.module_path]
    clock[0] += timedelta(seconds=60)
    assert scheduler.tick() == []  # the worker has not taken the first one yet
    DBTaskResult.objects.update(status="SUCCESSFUL")
    clock[0] += timedelta(seconds=60)
    assert scheduler.tick() == [tick_recorded.module_path]
    assert DBTaskResult.objects.filter(task_path=tick_recorded.module_path).count() == 2


def test_a_second_scheduler_waits_and_takes_over_when_the_first_stops(clock):
    first = _scheduler(clock)
    assert first.tick() == [tick_recorded.module_path]
    second = _scheduler(clock)
    seen = []
    run_committed(lambda: seen.append(second.tick()))  # its own connection: another session
    assert seen == [[]] and not second.leader and RAN == ["public"]

    with connection.cursor() as cursor:  # the first stops: its session's lock goes
        cursor.execute("SELECT pg_advisory_unlock_all()")
    run_committed(lambda: seen.append(second.tick()))
    assert seen[-1] == [tick_recorded.module_path] and RAN == ["public", "public"]


def test_the_periodic_jobs_are_tasks():
    jobs = jobs_from(settings.PERIODIC_TASKS)
    assert {job.task.module_path for job in jobs} == set(settings.PERIODIC_TASKS)
    with pytest.raises(ValueError):
        jobs_from({"core.scheduler.jobs_from": 60})


def _queued(paths) -> bool:
    return set(DBTaskResult.objects.values_list("task_path", flat=True)) >= set(paths)


def test_the_scheduler_process_enqueues_the_jobs_and_stops_on_sigterm(task_queue, tmp_path):
    env = {**server_environment(), "TASKS_BACKEND": DATABASE_TASKS["default"]["BACKEND"]}
    log = tmp_path / "scheduler.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "scheduler", "--interval", "0.2"],
            cwd=Path(settings.BASE_DIR),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while not _queued(settings.PERIODIC_TASKS) and process.poll() is None:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, log.read_text()
    assert "Scheduler stopped." in log.read_text()
    rows = DBTaskResult.objects.filter(task_path__in=list(settings.PERIODIC_TASKS))
    assert {row.args_kwargs["schema_name"] for row in rows} == {"public"}
    assert rows.count() == len(settings.PERIODIC_TASKS)  # each once: not due again yet
