"""Background work in a school: tasks (Django's Tasks API) take the school's schema name and
enter it themselves, and are enqueued only once the transaction that asked for them commits,
so work decided in a rolled-back transaction never runs."""

from __future__ import annotations

from functools import partial

from django.db import connection, transaction


def enqueue_on_commit(task, **kwargs) -> None:
    """Enqueue `task` with `schema_name` (the current school's) and `kwargs`, on commit."""
    transaction.on_commit(partial(task.enqueue, schema_name=connection.schema_name, **kwargs))
