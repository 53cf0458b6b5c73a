"""Shared fixtures. The test database gets the platform rows, the template schema and the two
demo schools once per session (the demo seed itself), so a test costs milliseconds; each test
runs in a transaction that is rolled back, schema changes included."""

import os
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from demo.data import DEMO_PASSWORD
from demo.seed import seed
from tenants.models import School

# A real redis-server for the session, for any test that asks for it (`redis_server`,
# `redis_caches`).
pytest_plugins = ["mediahub.tests.redis_server"]

# Playwright's sync API keeps an event loop running in the test thread; Django's database
# calls from that thread (the test transaction's rollback) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Browser tests last: the live server is another process, so what they do is committed
    (a student signing up stays enrolled). Each session starts from a new test database, so
    this keeps every other test on the demo exactly as seeded."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # pytest-django creates the test database only when a collected test is marked django_db;
    # otherwise this would be the developer's own database, which tests must never touch.
    if not connection.settings_dict["NAME"].startswith("test_"):
        yield
        return
    with django_db_blocker.unblock():
        seed()
        connection.set_schema_to_public()
    yield


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploaded files of the whole session go to a temporary folder: a test's transaction
    is rolled back, the files it stored are not."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _public_schema_after_test():
    """Requests switch the shared connection to a school's schema; every test starts and
    ends on the public schema."""
    yield
    connection.set_schema_to_public()


@pytest.fixture
def greenwood(db) -> School:
    return School.objects.get(slug="greenwood")


@pytest.fixture
def riverside(db) -> School:
    return School.objects.get(slug="riverside")


def client_for(school_or_host) -> Client:
    host = (
        school_or_host
        if isinstance(school_or_host, str)
        else school_or_host.domains.get(is_primary=True).domain
    )
    return Client(HTTP_HOST=host)


def user_named(login: str):
    """A person of the active schema by username, or by email (any case) when it has an @."""
    return get_user_model().objects.get(**{"email__iexact" if "@" in login else "username": login})


def school_user(school, login: str):
    """A person of the school (user_named, in that school's schema)."""
    with schema_context(school.schema_name):
        return user_named(login)


def sign_in_as(client: Client, school, login: str) -> Client:
    """Sessions and last_login are rows of the school's schema: sign in inside it."""
    with schema_context(school.schema_name):
        client.force_login(school_user(school, login))
    return client


def client_as(school, login: str) -> Client:
    """A client on the school's host, signed in as that person."""
    return sign_in_as(client_for(school), school, login)


@pytest.fixture
def platform_client(db) -> Client:
    return client_for("localhost")


@pytest.fixture
def greenwood_client(greenwood) -> Client:
    return client_for(greenwood)


@pytest.fixture
def riverside_client(riverside) -> Client:
    return client_for(riverside)


@pytest.fixture
def school(greenwood):
    """The demo school Greenwood, with its schema active for the whole test."""
    with schema_context(greenwood.schema_name):
        yield greenwood


# --- A real server and a real browser ---------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"


@dataclass
class LiveSite:
    port: int
    mail_dir: Path  # the server's emails, one file per connection (Django's file backend)

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process, *, seconds: float = 60) -> bool:
    """Until something listens on the loopback port: True; False if `process` ended first,
    or after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                return False
            time.sleep(0.2)


def server_environment() -> dict[str, str]:
    """The environment of a server process of the tests (another process's, not this one's
    settings): the test settings, on the session's test database."""
    db = connection.settings_dict
    if not db["NAME"].startswith("test_"):
        raise RuntimeError("A live server needs the test database: mark the test django_db.")
    host = db["HOST"] or db["OPTIONS"].get("host") or "localhost"
    where = (
        f"@/{db['NAME']}?host={host}"
        if host.startswith("/")
        else (f"@{host}:{db['PORT'] or 5432}/{db['NAME']}")
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mediahub.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}{where}",
    }


@pytest.fixture(scope="session")
def live_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """`manage.py runserver` in its own process, on the test database. It sees what the
    session set up (committed), not what a test writes inside its transaction."""
    db = connection.settings_dict
    port = _free_port()
    mail_dir = tmp_path_factory.mktemp("mail")
    env = {
        **server_environment(),
        "PLATFORM_PORT": str(port),
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("live-media")),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    log = (tmp_path_factory.mktemp("live") / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
        cwd=Path(__file__).parent,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    site = LiveSite(port, mail_dir)
    if not wait_for_port(port, server):
        log.close()
        raise RuntimeError(f"runserver did not start: see {log.name}")
    yield site
    server.terminate()
    server.wait(timeout=10)
    log.close()
    with django_db_blocker.unblock():
        _close_other_sessions(db["NAME"])


# --- The real worker: `manage.py db_worker` on the test database --------------------------------
DATABASE_TASKS = {"default": {"BACKEND": "core.task_backends.SchoolDatabaseBackend"}}


@pytest.fixture
def task_queue(settings):
    """Tasks go to the database queue (not run at once) for this test; what its committed
    work enqueued is removed afterwards. The worker sees only committed rows: enqueue from
    run_committed()."""
    settings.TASKS = DATABASE_TASKS
    yield
    run_committed(lambda: DBTaskResult.objects.all().delete())


def run_worker(**env: str) -> subprocess.CompletedProcess:
    """`manage.py db_worker --batch` in a process of its own, on the test database: it runs
    every task queued (and committed), then exits. `env` adds to its environment (email)."""
    environment = {
        **server_environment(),
        "TASKS_BACKEND": DATABASE_TASKS["default"]["BACKEND"],
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),  # the session's temporary folder
        **env,
    }
    command = ["manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay", "-v2"]
    return subprocess.run(
        [sys.executable, *command],
        cwd=Path(__file__).parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_committed(work) -> None:
    """Run `work()` on a connection of its own (a thread's), outside the test's transaction,
    so that what it does is committed: how browser tests clean up what the live server
    committed, leaving the demo as seeded for the tests after them."""

    def run():
        try:
            work()
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()


def browser_sign_in(page, login_url: str, login: str) -> None:
    """Sign `login` (a demo person) in, in a real browser, through the sign-in page at
    `login_url`; returns once the page shows their menu."""
    page.goto(login_url)
    page.get_by_label("Email or username").fill(login)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=re.compile(r"\w"))).not_to_have_count(0)


def eventually(check, seconds: float = 15) -> None:
    """Wait until `check()` is true: what the live server commits, seen from the test once it
    has committed."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not done in time"
        time.sleep(0.2)


def _close_other_sessions(name: str) -> None:
    """Let pytest-django drop the test database: end the backends still attached to it (the
    stopped server's, which PostgreSQL ends a moment later, and any connection Django opened
    under Playwright's event loop, where connections are context-local)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (installed by `make test`), never a downloaded browser. Background
    networking off: this machine reaches no internet, and neither may the pages."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
