"""What `/healthz` checks (mediahub.middleware.HealthCheckMiddleware answers it): the
database, the default cache and the default storage. Each check raises when its part is
not working; `failing_checks` runs them all and names the ones that failed, logging each
failure at WARNING. The caller only ever learns ok or failing."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

logger = logging.getLogger(__name__)

PROBE_FOLDER = "healthz"


def database_check() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def cache_check() -> None:
    cache = caches["default"]
    # A key of its own per probe: probes of several servers on one shared cache never meet.
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    try:
        if cache.get(key) != "ok":
            raise RuntimeError("the default cache did not return what was just stored")
    finally:
        cache.delete(key)


def storage_check() -> None:
    """Local storage: a tiny file saved and deleted under the public schema's folder, which
    proves MEDIA_ROOT is there and writable. Any other storage (Cloudinary) is not checked:
    its `exists()` asks nothing, and an upload on every probe would cost a call and quota."""
    storage = storages["default"]
    if not isinstance(storage, FileSystemStorage):
        return
    # Before the school middleware, the connection may still be on the last request's school.
    with schema_context(get_public_schema_name()):
        name = storage.save(f"{PROBE_FOLDER}/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        storage.delete(name)


CHECKS: dict[str, Callable[[], None]] = {
    "database": database_check,
    "cache": cache_check,
    "storage": storage_check,
}


def failing_checks() -> list[str]:
    """The names of the checks that fail (empty: all is well)."""
    failing = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure of any part is a failing check
            logger.warning("Health check %s failed: %s: %s", name, type(error).__name__, error)
            failing.append(name)
    return failing
