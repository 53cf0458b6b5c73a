"""prod-smoke: deploy/'s production recipe run on loopback, and driven over HTTPS.

    make prod-smoke                        (or: .venv/bin/python deploy/smoke.py [--keep])

Debian's nginx (deploy/nginx-site.conf, with a self-signed wildcard certificate) in front of
two gunicorns (deploy/gunicorn.conf.py), the worker and the scheduler (manage.py db_worker,
manage.py scheduler), redis-server and the Daraja simulator, with the production settings
on a scratch database of the embedded PostgreSQL (or DATABASE_URL's server). It sets the
database up as deploy/README.md says, then drives the steps of smoke_steps.STEPS, printing
PASS or FAIL and the time of each, and a summary. Everything it started is stopped and its
files removed at the end, on a failure, an exception or Ctrl-C too (--keep keeps the folder
with the logs). The exit status is 1 when anything failed.

--skip NAME (a step's function name, repeatable) leaves a step out, reported as SKIPPED; it
exists to try the rest while a part is missing, never for CI.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
import traceback
from pathlib import Path

# The repository and bench/ (for the scratch database and the harness), before their imports.
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from harness import free_port  # noqa: E402
from smoke_stack import (  # noqa: E402
    apps_start,
    background_start,
    certificate,
    database_setup,
    environment,
    log_tail,
    nginx_start,
    redis_start,
    stack_create,
    still_running,
    stop,
)
from smoke_steps import STEPS, SmokeFailure, resolve_locally  # noqa: E402

from donations.simulator import DarajaSimulator  # noqa: E402

# Logs shown when a step fails: where its cause would be.
LOGS = ("gunicorn-1", "gunicorn-2", "worker", "scheduler", "nginx-error")
QUIET_LOGS = ("nginx-access",)  # every request: nothing a failure needs


class Smoke:
    def __init__(self, keep: bool, skip: set[str]):
        self.stack = stack_create()
        self.keep = keep
        self.skip = skip
        self.results: list[tuple[str, str, float, str]] = []

    def record(self, name: str, verdict: str, seconds: float, detail: str) -> None:
        self.results.append((name, verdict, seconds, detail))
        print(f"{verdict:<7} {name} ({seconds:.1f} s){': ' + detail if detail else ''}", flush=True)

    def phase(self, name: str, action) -> None:
        """A part of the set-up; a failure stops the smoke (raises)."""
        began = time.monotonic()
        try:
            detail = action() or ""
        except Exception as error:
            self.record(name, "FAIL", time.monotonic() - began, str(error))
            raise
        self.record(name, "PASS", time.monotonic() - began, detail)

    def set_up(self) -> None:
        stack = self.stack
        simulator = DarajaSimulator("127.0.0.1", 0, callback_delay=1.0)
        redis_port = free_port()
        environment(stack, daraja_url=simulator.url, redis_port=redis_port)
        resolve_locally(stack)
        self.phase("redis-server", lambda: redis_start(stack, redis_port))
        self.phase(
            "scratch database: migrate_schemas, platform_setup, collectstatic, create_school",
            lambda: database_setup(stack),
        )
        self.phase("self-signed certificate for *.mediahub.test", lambda: certificate(stack))

        def daraja():
            stack.simulator = simulator.start()
            return simulator.url

        self.phase("Daraja simulator", daraja)
        self.phase(
            "two gunicorns",
            lambda: apps_start(stack) or " and ".join(f":{p}" for p in stack.app_ports),
        )
        self.phase("worker and scheduler started", lambda: background_start(stack))
        self.phase(
            "nginx (deploy/nginx-site.conf)",
            lambda: nginx_start(stack) or f"https on :{stack.https_port}",
        )

    def drive(self) -> None:
        state = {"data": self.stack.data, "running": lambda name: still_running(self.stack, name)}
        for name, step in STEPS:
            if step.__name__ in self.skip:
                self.record(name, "SKIPPED", 0, "--skip")
                continue
            began = time.monotonic()
            try:
                detail = step(self.stack, state)
            except (SmokeFailure, Exception) as error:
                self.record(name, "FAIL", time.monotonic() - began, _reason(error))
                continue
            self.record(name, "PASS", time.monotonic() - began, detail)

    def run(self) -> int:
        try:
            self.set_up()
            self.drive()
        except KeyboardInterrupt:
            self.record("interrupted", "FAIL", 0, "")
        except Exception as error:
            if not self.results or self.results[-1][1] != "FAIL":
                self.record("set-up", "FAIL", 0, _reason(error))
        finally:
            if any(verdict == "FAIL" for _, verdict, _, _ in self.results):
                self.show_logs()
            began = time.monotonic()
            problems = stop(self.stack, keep=self.keep)
            verdict = "FAIL" if problems else "PASS"
            seconds = time.monotonic() - began
            self.record("everything stopped", verdict, seconds, "; ".join(problems))
        return self.summary()

    def show_logs(self) -> None:
        """The end of every log the run wrote (set-up commands' too), before they are
        removed: what a failure needs to be understood from CI's output alone."""
        folder = self.stack.tmp / "logs"
        written = sorted(path.stem for path in folder.glob("*.log")) if folder.exists() else []
        for name in [*LOGS, *(name for name in written if name not in LOGS + QUIET_LOGS)]:
            tail = log_tail(self.stack, name)
            if tail:
                print(f"--- last lines of {name}.log ---\n{tail}")

    def summary(self) -> int:
        failed = [name for name, verdict, _, _ in self.results if verdict == "FAIL"]
        skipped = [name for name, verdict, _, _ in self.results if verdict == "SKIPPED"]
        total = sum(seconds for _, _, seconds, _ in self.results)
        print(f"\nprod-smoke: {len(self.results) - len(failed) - len(skipped)} passed, ", end="")
        print(f"{len(failed)} failed, {len(skipped)} skipped, {total:.0f} s")
        for name in failed:
            print(f"  FAILED: {name}")
        for name in skipped:
            print(f"  SKIPPED: {name}")
        return 1 if failed else 0


def _reason(error: BaseException) -> str:
    if isinstance(error, SmokeFailure):
        return str(error)
    last = traceback.extract_tb(error.__traceback__)[-1:]
    where = f" ({last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno})" if last else ""
    return f"{type(error).__name__}: {error}{where}"


def _interrupt(*_) -> None:
    """SIGTERM (CI cancelling the job) stops everything, as Ctrl-C does."""
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the folder with the logs")
    parser.add_argument("--skip", action="append", default=[], help="a step's function name")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _interrupt)
    return Smoke(args.keep, set(args.skip)).run()


if __name__ == "__main__":
    sys.exit(main())
