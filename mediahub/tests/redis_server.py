"""A real redis-server for the shared cache's tests (Debian's, installed by `make redis`):
one for the session on a free port, in a temporary folder, saving nothing to disk.

`redis_server` is that server; `redis_caches` points this process's caches at it (as
REDIS_URL would) and empties it before and after the test. A pytest plugin of the whole
suite (the root conftest's `pytest_plugins`): every app's tests may use both fixtures."""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from conftest import _free_port
from mediahub.settings.cache import cache_settings

REDIS_SERVER = "redis-server"
TEST_KEY_PREFIX = "test"


@dataclass
class RedisServer:
    """A redis-server process of the tests; `client` talks to it directly (to look at keys)."""

    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=5, decode_responses=True)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def redis_start(folder: Path) -> RedisServer:
    """A new redis-server in `folder`, answering PING; fails the test when it cannot start."""
    executable = shutil.which(REDIS_SERVER)
    if executable is None:
        pytest.fail("redis-server is not installed: `make redis` installs Debian's.")
    port = _free_port()
    log = folder / "redis.log"
    options = {
        "port": str(port),
        "bind": "127.0.0.1",
        "dir": str(folder),
        "save": "",  # nothing written to disk
        "appendonly": "no",
        "daemonize": "no",  # this process, which the fixture stops
        "logfile": str(log),
    }
    arguments = [part for name, value in options.items() for part in (f"--{name}", value)]
    process = subprocess.Popen(
        [executable, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    server = RedisServer(port, process, log)
    deadline = time.monotonic() + 30
    while True:
        try:
            if server.client.ping():
                return server
        except redis.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                server.stop()
            pytest.fail(f"redis-server did not start: see {log}")
        time.sleep(0.1)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    server = redis_start(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def redis_caches(redis_server, settings):
    """This process's caches on the session's Redis, as the settings make them for REDIS_URL
    (the tenant KEY_FUNCTION, the timeouts), empty at the start and the end of the test."""
    redis_server.client.flushall()
    settings.CACHES = cache_settings(redis_server.url, TEST_KEY_PREFIX)
    yield redis_server
    redis_server.client.flushall()
