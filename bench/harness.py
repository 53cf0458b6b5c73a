"""How a benchmark runs and reports: the machine's description, the figures (printed, and
kept in bench/results.json for run.py's table), and servers in processes of their own
(gunicorn on a free loopback port, with the production settings on the scratch database).

The scratch database and the bench school are scratch.py's. Django is imported inside
session_cookie, the one function here that needs it: it needs django.setup() (scratch.py's
django_setup) to have run first.
"""

from __future__ import annotations

import json
import os
import platform
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from scratch import ROOT, bench_environment

RESULTS = ROOT / "bench" / "results.json"


# --- The machine ----------------------------------------------------------------------------------
def cpus() -> int:
    """The CPUs this process may run on (the server, PostgreSQL and the load share them)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def machine() -> str:
    """CPU count and model, memory, Python: printed with every figure."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil  # optional here: without it the line says "RAM unknown"

        ram = f"{psutil.virtual_memory().total / 2**30:.1f} GiB RAM"
    except ImportError:
        ram = "RAM unknown"
    return f"{cpus()} CPUs ({model}), {ram}, Python {platform.python_version()}"


# --- Figures --------------------------------------------------------------------------------------
@dataclass
class Row:
    id: str
    what: str
    figure: str
    baseline: str
    target: str
    met: bool | None  # None: no target to meet
    why: str = ""  # when not met: the reason, from the run's own figures where it can say

    def line(self) -> str:
        verdict = {True: "met", False: "NOT met", None: "-"}[self.met]
        text = (
            f"{self.id:<4} {self.what}\n     figure:   {self.figure}\n"
            f"     baseline: {self.baseline}\n     target:   {self.target} ({verdict})"
        )
        return text + (f"\n     why not:  {self.why}" if self.met is False and self.why else "")


def report(rows: list[Row]) -> None:
    """Print the rows with the machine, and add them to bench/results.json (by id), which
    run.py turns into the README's table."""
    print(f"machine: {machine()}")
    for row in rows:
        print(row.line())
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous.setdefault("rows", {})
    for row in rows:
        previous["rows"][f"{row.id} {row.what}"] = asdict(row)
    previous["machine"] = machine()
    previous["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    RESULTS.write_text(json.dumps(previous, indent=1) + "\n")


# --- Processes and HTTP ---------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"The server on :{port} did not start.") from None
            time.sleep(0.2)


def production_environment(port: int) -> dict[str, str]:
    """What gunicorn runs with in the HTTP benchmarks: the production settings on the
    scratch database, plain HTTP on loopback (no TLS proxy in front), persistent database
    connections as a production .env would set them."""
    env = {**os.environ, **bench_environment("mediahub.settings.production")}
    env.update(
        {
            "ALLOWED_HOSTS": ".localhost,127.0.0.1",
            "PLATFORM_DOMAIN": "localhost",
            "PLATFORM_SCHEME": "http",
            "PLATFORM_PORT": str(port),
            "SECURE_SSL_REDIRECT": "False",
            "DB_CONN_MAX_AGE": "60",
            # Production requires a sender and a mail backend (bench_environment: locmem).
            "DEFAULT_FROM_EMAIL": "Media Hub <no-reply@localhost>",
            # Production requires the live Daraja app's settings; the benchmarks never
            # donate, so a loopback address where nothing listens, and placeholders.
            "DARAJA_BASE_URL": "http://127.0.0.1:9",
            "DARAJA_CONSUMER_KEY": "bench-key",
            "DARAJA_CONSUMER_SECRET": "bench-secret",
            "DARAJA_SHORTCODE": "174379",
            "DARAJA_PASSKEY": "bench-passkey",
        }
    )
    # Production requires Redis for its cache; the benchmarks use a Redis named in their
    # environment (REDIS_URL), else each gunicorn worker keeps its own (no rate limit is
    # measured here).
    if not env.get("REDIS_URL"):
        env["CACHE_PER_PROCESS"] = "True"
    return env


def collectstatic(env: dict[str, str]) -> None:
    """Production serves hashed, compressed static files (whitenoise): collect them."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


@contextmanager
def gunicorn(app: str, env: dict[str, str], *, workers: int = 2, port: int | None = None):
    """gunicorn serving `app` on loopback; yields its port and process."""
    port = port or free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "--timeout=300",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_port(port, process)
        yield port, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def session_cookie(school, user) -> str:
    """A signed-in session for `user` of `school` (as the login page would make)."""
    from django.test import Client
    from django_tenants.utils import schema_context

    client = Client()
    with schema_context(school.schema_name):
        client.force_login(user)
    return client.cookies["sessionid"].value


@contextmanager
def redis_server():
    """A redis-server of the benchmark's own on a free loopback port, saving nothing (the
    shared cache, as production has it: P1's page cache is measured with its Redis round
    trips); yields its URL. `make bench` installs Debian's (`make redis`)."""
    import shutil
    import tempfile

    executable = shutil.which("redis-server")
    if executable is None:
        raise SystemExit("redis-server is missing: `make redis` installs Debian's.")
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        process = subprocess.Popen(
            [executable, "--port", str(port), "--bind", "127.0.0.1", "--dir", folder]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_for_port(port, process)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(timeout=30)
