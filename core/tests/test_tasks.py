"""Tasks are enqueued with the current school's schema, and only once the transaction commits."""

import pytest
from django.db import transaction
from django_tasks import task
from django_tenants.utils import schema_context

from core.tasks import enqueue_on_commit

pytestmark = pytest.mark.django_db
RAN: list[tuple[str, int]] = []


@task()
def _record(*, schema_name: str, number: int) -> None:
    RAN.append((schema_name, number))


def test_the_task_gets_the_school_and_runs_after_commit(
    greenwood, django_capture_on_commit_callbacks
):
    RAN.clear()
    with schema_context(greenwood.schema_name), django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(_record, number=1)
        assert RAN == []  # not before the commit
    assert [(greenwood.schema_name, 1)] == RAN


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
