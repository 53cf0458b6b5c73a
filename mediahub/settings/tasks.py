"""Background work: Django's Tasks API on a database queue (django-tasks-db), run by
`manage.py db_worker`; periodic jobs enqueued by `manage.py scheduler`. Part of the base
settings (base.py imports them); every variable is in `.env.example`."""

from .env import config

# The queue: rows in the public schema that record the school each task was enqueued from
# (core.task_backends); the worker runs each task in that school. The immediate backend
# (django_tasks.backends.immediate.ImmediateBackend) runs tasks inside the request instead:
# the tests' choice, never production's.
TASKS = {
    "default": {
        "BACKEND": config("TASKS_BACKEND", default="core.task_backends.SchoolDatabaseBackend")
    }
}

# A task that fails for a passing reason (these exceptions: the mail server or Daraja down or
# slow) is run again, TASK_RETRY_DELAY_SECONDS later, then twice that, four times..., until it
# has been tried TASK_RETRY_ATTEMPTS times; then it is failed for good (`manage.py
# tasks_failed` lists those). Any other exception fails the task at once.
TASK_RETRY_ATTEMPTS = config("TASK_RETRY_ATTEMPTS", default=5, cast=int)
TASK_RETRY_DELAY_SECONDS = config("TASK_RETRY_DELAY_SECONDS", default=30, cast=int)
TASK_RETRY_EXCEPTIONS = [
    "smtplib.SMTPException",
    "builtins.ConnectionError",  # builtins: refused, reset, broken pipe
    "builtins.TimeoutError",  # builtins: socket timeouts
    "requests.ConnectionError",
    "requests.Timeout",
    "donations.daraja.DarajaUnavailable",  # unreachable, 5xx, or a timeout
]

# Finished task results are deleted after this many days (failed ones too).
TASK_RESULTS_KEEP_DAYS = config("TASK_RESULTS_KEEP_DAYS", default=14, cast=int)

# The periodic jobs `manage.py scheduler` enqueues: a task's dotted path and every how many
# seconds. A new job is one more line here (its task takes no arguments).
PERIODIC_TASKS = {
    "donations.tasks.donations_reconcile_task": config(
        "RECONCILE_DONATIONS_EVERY_SECONDS", default=300, cast=int
    ),
    "core.tasks.task_results_prune": config(
        "TASK_RESULTS_PRUNE_EVERY_SECONDS", default=6 * 3600, cast=int
    ),
    "privacy.tasks.retention_task": config("RETENTION_EVERY_SECONDS", default=86400, cast=int),
    "media_library.tasks.media_describe_sweep_task": config(
        "MEDIA_POSTERS_EVERY_SECONDS", default=86400, cast=int
    ),
    "media_library.direct_uploads.direct_uploads_sweep_task": config(
        "DIRECT_UPLOAD_SWEEP_EVERY_SECONDS", default=3600, cast=int
    ),
}
