"""Tasks are enqueued only once the transaction commits, and run in the school that asked."""

import pytest
from django.db import connection, transaction
from django_tasks import task
from django_tenants.utils import schema_context

from core.tasks import enqueue_on_commit

pytestmark = pytest.mark.django_db
RAN: list[tuple[str, int]] = []


@task()
def _record(*, number: int) -> None:
    RAN.append((connection.schema_name, number))


def test_the_task_gets_the_school_and_runs_after_commit(
    greenwood, django_capture_on_commit_callbacks
):
    RAN.clear()
    with schema_context(greenwood.schema_name), django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(_record, number=1)
        assert RAN == []  # not before the commit
    assert [(greenwood.schema_name, 1)] == RAN


def test_the_task_runs_in_the_school_that_asked_even_if_the_commit_comes_later(
    greenwood, django_capture_on_commit_callbacks
):
    """The commit may run its callbacks after the code left the school (here: the test's
    capture ends outside it); the task still runs in the school that enqueued it."""
    RAN.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with schema_context(greenwood.schema_name):
            enqueue_on_commit(_record, number=3)
        assert connection.schema_name == "public"
    assert [(greenwood.schema_name, 3)] == RAN


def test_nothing_runs_when_the_transaction_rolls_back(
    greenwood, django_capture_on_commit_callbacks
):
    RAN.clear()
    with (
        schema_context(greenwood.schema_name),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_on_commit(_record, number=2)
        raise RuntimeError("the rest failed")
    assert RAN == []
