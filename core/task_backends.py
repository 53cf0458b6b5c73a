"""The task queue's backend: django-tasks-db's, recording the school each task is enqueued
from, so that the worker (core.worker) runs it there. Every task, ours and Wagtail's alike
(search index, reference index, deleting a file from storage), gets the school without
knowing it: it runs where it was asked for.

The school rides in the row's `args_kwargs`, beside the task's own arguments, under
SCHEMA_KEY, with the id of the request that enqueued it (REQUEST_ID_KEY: the task's log
lines share it, core.observability): django-tasks-db reads only its "args" and "kwargs"
keys, so the task never sees them. (django-tasks-db 0.13 has no metadata field for this.)"""

from __future__ import annotations

from django.apps import apps
from django.db import connection
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import normalize_json
from django_tenants.utils import get_public_schema_name

from .observability import NO_VALUE, current_request_id

SCHEMA_KEY = "schema_name"
REQUEST_ID_KEY = "request_id"


def _result_model():
    # Looked up when a task is enqueued, not imported: the backend is built while the apps
    # load (by the first @task()), before models may be imported.
    return apps.get_model("django_tasks_database", "DBTaskResult")


def task_schema(db_result) -> str:
    """The schema a queued task was enqueued from (the public one for rows without it)."""
    return db_result.args_kwargs.get(SCHEMA_KEY) or get_public_schema_name()


def task_request_id(db_result) -> str | None:
    """The id of the request that enqueued the task; None when no request did."""
    return db_result.args_kwargs.get(REQUEST_ID_KEY)


class SchoolDatabaseBackend(DatabaseBackend):
    """django-tasks-db's DatabaseBackend, with the current school's schema in each row."""

    def _row(self, task, args, kwargs) -> dict:
        arguments = {"args": args, "kwargs": kwargs, SCHEMA_KEY: connection.schema_name}
        if current_request_id() != NO_VALUE:
            arguments[REQUEST_ID_KEY] = current_request_id()
        return {
            "id": self._get_id(),
            "args_kwargs": normalize_json(arguments),
            "priority": task.priority,
            "task_path": task.module_path,
            "queue_name": task.queue_name,
            "run_after": task.run_after,
            "backend_name": self.alias,
        }

    # The two methods DatabaseBackend.enqueue / aenqueue call to make the row.
    def _task_to_db_task(self, task, args, kwargs):
        return _result_model().objects.create(**self._row(task, args, kwargs))

    async def _atask_to_db_task(self, task, args, kwargs):
        return await _result_model().objects.acreate(**self._row(task, args, kwargs))
