from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers every app shares (no models): forms, rate limits, the client's address, tasks
    enqueued after commit in the current school, page slugs."""

    name = "core"
    verbose_name = "Core"
