"""Start-up wiring every app may need."""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db import connection
from django.db.models.signals import post_migrate


def on_school_migrated(handler: Callable[[], None], *, dispatch_uid: str) -> None:
    """Call `handler()` after each migration of a school's schema (and of the template new
    schools are cloned from), once every app's tables and permissions exist. post_migrate is
    sent once per app: this answers only the last one. The public schema has no Wagtail
    tables and is skipped."""

    def receiver(sender, app_config, **kwargs) -> None:
        last = [config for config in apps.get_app_configs() if config.models_module][-1]
        if app_config is last and connection.schema_name != "public":
            handler()

    post_migrate.connect(receiver, dispatch_uid=dispatch_uid, weak=False)
