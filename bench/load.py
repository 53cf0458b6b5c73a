"""The load test (not in CI): 50 simulated people for 60 s on the demo, through locust
(headless), then a check of the database for lost uploads and donations. Prints requests/s
and p95 by kind (visitors browsing, students signing in and uploading, donors giving through
the Daraja simulator, which it starts), and fails on any answer of 500 or more, any lost
upload, or any donation without exactly one row in a final state.

The demo is the developer's database as `make seed` leaves it; the server is gunicorn
(2 workers) on a free loopback port, with the upload rate limits off (50 simulated people
share three addresses' worth of limits otherwise). The uploads it made are deleted at the
end, through the same service a student's delete button uses, so the demo stays as it was.

Django and the project's modules are imported inside the functions that use them: models
and services need django.setup(), which those functions run once main() has set the
environment.

    make load            # or: .venv/bin/python bench/load.py [--users 50] [--seconds 60]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from harness import free_port, gunicorn, wait_for_port
from scratch import ROOT

LOCUST = ROOT / ".venv-load" / "bin" / "locust"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    if not LOCUST.exists():
        raise SystemExit("locust is missing: run `make load` (it installs .venv-load).")
    port, simulator_port = free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mediahub.settings.dev",
        "DEBUG": "False",
        "LOG_LEVEL": "WARNING",
        "PLATFORM_PORT": str(port),
        "DB_CONN_MAX_AGE": "60",
        "UPLOAD_RATE_PER_USER": "0/3600",
        "UPLOAD_RATE_PER_ADDRESS": "0/3600",
        # Donors: the Daraja simulator of this run, and no per-address or per-school limit
        # (every simulated donor comes from 127.0.0.1, to one school, as fast as locust goes);
        # the waiting page asks STK Query after 10 s, not 30.
        "DARAJA_BASE_URL": f"http://127.0.0.1:{simulator_port}",
        "DARAJA_CONSUMER_KEY": "simulator-key",
        "DARAJA_CONSUMER_SECRET": "simulator-secret",
        "DONATION_RATE_LIMIT": "100000",
        "DONATION_SCHOOL_RATE_PER_MINUTE": "100000",
        "DONATION_QUERY_AFTER_SECONDS": "10",
        "DONATION_QUERY_INTERVAL_SECONDS": "5",
    }
    os.environ.update(
        {
            k: env[k]
            for k in ("DJANGO_SETTINGS_MODULE", "DEBUG", "LOG_LEVEL", "DARAJA_BASE_URL")
            + ("DARAJA_CONSUMER_KEY", "DARAJA_CONSUMER_SECRET")
        }
    )
    donate_page = donate_page_find()
    with (
        tempfile.TemporaryDirectory() as tmp,
        simulator(env, simulator_port),
        gunicorn("mediahub.wsgi:application", env, port=port),
    ):
        results = Path(tmp) / "results.json"
        subprocess.run(
            [
                str(LOCUST),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                "10",
                "--run-time",
                f"{args.seconds}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                f"{tmp}/load",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={**os.environ, "LOAD_RESULTS": str(results), "LOAD_DONATE_PAGE": donate_page},
            cwd=ROOT,
            check=False,
        )
        outcome = json.loads(results.read_text())
        with open(f"{tmp}/load_stats.csv") as stats:
            rows = list(csv.DictReader(stats))
        # While the simulator still answers: the callbacks still on their way land, then
        # what cron's reconcile_donations would settle is settled, then the rows are checked.
        time.sleep(5)
        donations = donations_check(outcome["donations"])
    print(f"\n{args.users} simulated people for {args.seconds} s (gunicorn, 2 workers)\n")
    columns = ("requests", "failures", "req/s", "p50 ms", "p95 ms")
    print(f"{'kind: request':<28} " + " ".join(f"{c:>8}" for c in columns))
    for row in rows:
        print(
            f"{row['Name']:<28} {row['Request Count']:>8} {row['Failure Count']:>8} "
            f"{float(row['Requests/s']):>8.1f} {row['50%']:>8} {row['95%']:>8}"
        )
    lost = uploads_check(outcome["uploads"])
    print(
        f"\nuploads answered 201: {len(outcome['uploads'])}; missing from the database: {len(lost)}"
    )
    by_status = ", ".join(f"{k} {v}" for k, v in sorted(donations["by_status"].items()))
    print(
        f"donations answered 302: {len(outcome['donations'])}; rows: {donations['rows']} "
        f"({by_status}); missing: {len(donations['missing'])}; not final: "
        f"{len(donations['open'])}; extra rows: {donations['extra']}"
    )
    print(f"answers of 500 or more: {len(outcome['server_errors'])}")
    bad_donations = donations["missing"] or donations["open"] or donations["extra"]
    if outcome["server_errors"] or lost or bad_donations:
        raise SystemExit(
            f"FAILED: server errors {outcome['server_errors'][:10]}, lost {lost[:10]}, "
            f"donations {donations}"
        )


@contextlib.contextmanager
def simulator(env: dict[str, str], port: int):
    """The Daraja simulator (manage.py daraja_simulator) on `port`, callbacks 3 s after
    each push to the school's host on the gunicorn's port."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "daraja_simulator", f"--port={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def donate_page_find() -> str:
    """'<school>:<path>' of the demo's public work with a donate block."""
    import django

    django.setup()
    from django_tenants.utils import schema_context

    from donations.tests.factories import DEMO_PAGE
    from media_library.models import MediaPage

    with schema_context("greenwood"):
        return f"greenwood:/work/{MediaPage.objects.get(title=DEMO_PAGE).pk}/"


def donations_check(started: list[list]) -> dict:
    """Every donation a donor started (answered 302) has exactly one row, in a final state
    once the lost callbacks are settled as reconcile_donations does; no other row of this
    run. The rows are deleted again (the demo stays as it was)."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from donations.models import Donation, Status
    from donations.services import donations_reconcile

    result = {"rows": 0, "by_status": Counter(), "missing": [], "open": [], "extra": 0}
    for school in sorted({school for school, _ in started} | {"greenwood"}):
        with schema_context(school):
            donations_reconcile(older_than=timedelta(0))
            references = {ref for s, ref in started if s == school}
            rows = Donation.objects.filter(donor_name="Load test donor")
            found = {str(d.reference): d for d in rows}
            result["rows"] += len(found)
            result["missing"] += sorted(references - found.keys())
            result["extra"] += len(found.keys() - references)
            for donation in found.values():
                result["by_status"][donation.status] += 1
                if donation.status in (Status.INITIATED, Status.PENDING):
                    result["open"].append(str(donation.reference))
            rows.delete()
    connection.close()
    result["by_status"] = dict(result["by_status"])
    return result


def uploads_check(uploads: list[list]) -> list:
    """Every upload that answered 201 has its page, its asset and its stored file; then
    they are deleted again. Returns the ones that are missing something."""
    import django

    django.setup()
    from django_tenants.utils import schema_context

    from media_library.models import MediaPage
    from media_library.services import media_delete

    lost = []
    for school, page_id in uploads:
        with schema_context(school):
            page = MediaPage.objects.filter(pk=page_id).select_related("image").first()
            if (
                page is None
                or page.asset is None
                or not page.asset.file.storage.exists(page.asset.file.name)
            ):
                lost.append((school, page_id))
                continue
            media_delete(page=page)
    return lost


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
