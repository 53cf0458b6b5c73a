"""Outside services failing during an upload, and the database connection dropped between
requests: the student gets a clear message, nothing is kept (no page, no asset row, no file
on Cloudinary), and the next request works.

Cloudinary is the real SDK against the fake API (media_library/testing/fake_cloudinary.py),
told to answer 500, to answer too late, or to close the connection without answering.
"""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from classrooms.models import Classroom
from conftest import _free_port, client_as, wait_for_port
from media_library import views
from media_library.models import MediaPage, SchoolImage
from media_library.tests import samples

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "HTTP_ACCEPT": "application/json"}


@pytest.fixture
def on_cloudinary(fake_cloudinary, settings):
    # A short time-out, so that "Cloudinary answers too late" takes a second, not a minute.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "media_library.storage.CloudinaryStorage",
            "OPTIONS": {"timeout": 1.0},
        },
    }
    return fake_cloudinary


def _form(title: str) -> dict:
    with schema_context("greenwood"):
        art = Classroom.objects.get(name="Art").pk
    return {
        "title": title,
        "classroom": art,
        "visibility": "class",
        "file": samples.uploaded(samples.jpeg(), "photo.jpg", "image/jpeg"),
    }


def _rows() -> tuple[int, int]:
    with schema_context("greenwood"):
        return MediaPage.objects.count(), SchoolImage.objects.count()


@pytest.mark.parametrize("fault", ["answers 500", "times out", "drops the connection"])
def test_cloudinary_failing_during_an_upload(school, on_cloudinary, fault):
    if fault == "answers 500":
        on_cloudinary.fail_next_upload(status=500)
    elif fault == "times out":
        on_cloudinary.stall_next_upload(3)
    else:
        on_cloudinary.drop_next_upload()
    amina = client_as(school, "amina")
    before = _rows()

    response = amina.post("/upload/", _form("Lost?"), **XHR)

    assert response.status_code == 503
    assert response.json()["errors"]["__all__"] == [
        {"message": str(views.MESSAGE_STORAGE_FAILED), "code": ""}
    ]
    assert _rows() == before
    assert on_cloudinary.stored == {}
    assert len(on_cloudinary.uploads()) == 1  # tried once, not retried behind the user's back

    # The next upload works, and is kept once.
    response = amina.post("/upload/", _form("Kept"), **XHR)
    assert response.status_code == 201
    assert _rows() == (before[0] + 1, before[1] + 1)
    assert len(on_cloudinary.stored) == 1


def test_cloudinary_failing_without_the_script_shows_the_message_on_the_page(school, on_cloudinary):
    on_cloudinary.fail_next_upload(status=500)
    response = client_as(school, "amina").post("/upload/", _form("Lost?"))
    assert response.status_code == 503
    assert str(views.MESSAGE_STORAGE_FAILED) in response.content.decode()


@pytest.fixture
def gunicorn_server(django_db_setup, tmp_path):
    """gunicorn (one sync worker, so one connection kept between requests) on the test
    database, with persistent connections as deployed (DB_CONN_MAX_AGE)."""
    db = connection.settings_dict
    host = db["HOST"] or db["OPTIONS"].get("host") or "localhost"
    where = (
        f"@/{db['NAME']}?host={host}"
        if host.startswith("/")
        else f"@{host}:{db['PORT']}/{db['NAME']}"
    )
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mediahub.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}{where}",
        "DB_CONN_MAX_AGE": "600",
        "MEDIA_ROOT": str(tmp_path),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "mediahub.wsgi:application",
            "--workers=1",
            f"--bind=127.0.0.1:{port}",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    if not wait_for_port(port, server):
        raise RuntimeError(f"gunicorn did not start: see {log.name}")
    yield port
    server.terminate()
    server.wait(timeout=10)
    log.close()


def _get(port: int, path: str) -> tuple[int, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": "greenwood.localhost"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _server_backends(name: str) -> list[int]:
    with connection.cursor() as cursor:
        # Statistics views keep one snapshot per transaction, and the test is one transaction.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'",
            [name],
        )
        return [row[0] for row in cursor.fetchall()]


def test_the_database_connection_dropped_between_requests(gunicorn_server):
    """The server's kept connection is ended from outside (a database restart, a proxy's idle
    time-out, pg_terminate_backend): the next request still gets its page."""
    name = connection.settings_dict["NAME"]
    before = set(_server_backends(name))
    assert _get(gunicorn_server, "/dashboard/")[0] == 200
    kept = set(_server_backends(name)) - before
    assert kept, "the server keeps a connection between requests"
    with connection.cursor() as cursor:
        for pid in kept:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])

    status, body = _get(gunicorn_server, "/dashboard/")

    assert status == 200
    assert "Sunset over the lake" in body
    assert _get(gunicorn_server, "/dashboard/")[0] == 200
