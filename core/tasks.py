"""Background work in a school: tasks (Django's Tasks API) are enqueued only once the
transaction that asked for them commits, so work decided in a rolled-back transaction never
runs, and from the school that asked for them. The queue records that school with each task
(core.task_backends) and the worker runs the task there (core.worker): a task never takes or
enters a schema itself. With the immediate backend of the tests a task runs at once, in the
current school, which enqueue_on_commit restores for it."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import schema_context


def enqueue_on_commit(task, /, *args, **kwargs) -> None:
    """Enqueue `task(*args, **kwargs)` once the current transaction commits, in the school
    that is current now (a test may have left it by the time the commit runs)."""
    schema_name = connection.schema_name

    def enqueue():
        with schema_context(schema_name):
            task.enqueue(*args, **kwargs)

    transaction.on_commit(enqueue)


@task()
def email_send(*, subject: str, body: str, to: list[str], html_body: str = "") -> int:
    """Send one email (rendered by whoever enqueued it) from DEFAULT_FROM_EMAIL: outside the
    request, and again later if the mail server is down (core.worker)."""
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()


@task()
def task_results_prune() -> int:
    """Delete the queue's finished results (successful or failed) older than
    TASK_RESULTS_KEEP_DAYS. A periodic job (mediahub/settings/tasks.py PERIODIC_TASKS)."""
    cutoff = timezone.now() - timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return deleted
