"""/healthz: the database, the cache and the storage, answered for any host, ok or failing
and nothing more."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.test import Client

from conftest import client_for
from media_library.tests.conftest import fake_cloudinary, fake_cloudinary_server  # noqa: F401
from mediahub.settings.cache import cache_settings
from mediahub.tests.redis_server import TEST_KEY_PREFIX, redis_start
from mediahub.tests.test_settings import PRODUCTION_ENV, ROOT

# Not in ALLOWED_HOSTS (nor the test client's "testserver"): what a load balancer sends.
PROBE_HOST = "10.0.0.7:8000"


def _probe(client: Client, **extra):
    return client.get("/healthz", **extra)


@pytest.mark.django_db
def test_an_unknown_host_gets_ok_not_a_404_or_a_400(settings, caplog):
    assert PROBE_HOST.split(":")[0] not in settings.ALLOWED_HOSTS
    with caplog.at_level(logging.WARNING, logger="core.health"):
        response = _probe(Client(), HTTP_HOST=PROBE_HOST)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response  # no session, no CSRF cookie
    assert [r for r in caplog.records if r.name == "core.health"] == []


def test_a_school_host_gets_ok_too(greenwood):
    response = _probe(client_for(greenwood))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_probe_leaves_no_file_behind(greenwood, settings):
    assert _probe(Client(), HTTP_HOST=PROBE_HOST).status_code == 200
    probes = settings.MEDIA_ROOT / "public" / "healthz"
    assert probes.is_dir()  # it did write under the public schema's folder...
    assert list(probes.iterdir()) == []  # ...and deleted what it wrote


def test_only_get_and_head(db):
    assert Client().head("/healthz", HTTP_HOST=PROBE_HOST).status_code == 200
    response = Client().post("/healthz", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 405


@pytest.mark.django_db
def test_a_cache_that_cannot_store_is_failing_and_the_error_stays_in_the_log(
    settings, tmp_path, caplog
):
    # A real backend failing for real: its folder would have to be inside a regular file.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(blocker / "cache"),
        },
    }
    with caplog.at_level(logging.WARNING, logger="core.health"):
        response = _probe(Client(), HTTP_HOST=PROBE_HOST)
    assert response.status_code == 503
    assert response.json() == {"status": "failing"}
    assert response["Cache-Control"] == "no-store"
    [record] = [r for r in caplog.records if r.name == "core.health"]
    assert record.levelno == logging.WARNING
    assert "Health check cache failed" in record.getMessage()
    assert "not-a-folder" in record.getMessage()  # the log says why...
    assert b"not-a-folder" not in response.content  # ...the caller does not learn it


@pytest.mark.django_db
def test_redis_going_down_turns_the_probe_failing_quickly(settings, tmp_path, caplog):
    # A Redis of its own: the session's keeps serving the other tests.
    server = redis_start(tmp_path)
    try:
        settings.CACHES = cache_settings(server.url, TEST_KEY_PREFIX)
        assert _probe(Client(), HTTP_HOST=PROBE_HOST).json() == {"status": "ok"}
    finally:
        server.stop()

    with caplog.at_level(logging.WARNING, logger="core.health"):
        response = _probe(Client(), HTTP_HOST=PROBE_HOST)
    assert response.status_code == 503
    assert response.json() == {"status": "failing"}
    [message] = [r.getMessage() for r in caplog.records if r.name == "core.health"]
    assert message.startswith("Health check cache failed: ConnectionError")
    assert str(server.port).encode() not in response.content


@pytest.mark.django_db
def test_a_media_root_that_cannot_be_written_is_failing(settings, tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"
    # A new storage: django-tenants' keeps the MEDIA_ROOT it first saw (a change of STORAGES
    # makes Django build the storages anew; MEDIA_ROOT alone does not reach it).
    settings.STORAGES = {**settings.STORAGES}
    with caplog.at_level(logging.WARNING, logger="core.health"):
        response = _probe(Client(), HTTP_HOST=PROBE_HOST)
    assert response.status_code == 503
    assert response.json() == {"status": "failing"}
    messages = [r.getMessage() for r in caplog.records if r.name == "core.health"]
    assert [message.split(":")[0] for message in messages] == ["Health check storage failed"]
    assert b"not-a-folder" not in response.content


def test_cloudinary_is_not_called_on_every_probe(settings, db, fake_cloudinary):  # noqa: F811
    # No upload (or any call) per probe: quota. The fake API counts every call it gets.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "media_library.storage.CloudinaryStorage"},
    }
    response = _probe(Client(), HTTP_HOST=PROBE_HOST)
    assert response.status_code == 200
    assert fake_cloudinary.request_count == 0


def test_an_unreachable_database_is_failing_under_the_production_settings(tmp_path, redis_server):
    """The production settings and middleware, in a process of their own whose database is a
    closed port: the probe is still answered (no 400 for the host, no HTTPS redirect), 503."""
    probe = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        f"r = Client().get('/healthz', HTTP_HOST={PROBE_HOST!r})\n"
        "print(r.status_code, r['Cache-Control'], r.content.decode())\n"
    )
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        **PRODUCTION_ENV,
        "DATABASE_URL": "postgres://mediahub:secret@127.0.0.1:9/mediahub",
        "REDIS_URL": redis_server.url,  # a working cache: only the database fails
        "MEDIA_ROOT": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    status, cache_control, body = result.stdout.strip().split(" ", 2)
    assert (status, cache_control) == ("503", "no-store")
    assert json.loads(body) == {"status": "failing"}
    assert "Health check database failed" in result.stderr
    assert "Health check cache failed" not in result.stderr
    assert "Health check storage failed" not in result.stderr
