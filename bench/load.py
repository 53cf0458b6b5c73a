"""The load test (not in CI): 50 simulated people for 60 s on the demo, through locust
(headless), then a check of the database for lost uploads. Prints requests/s and p95 by kind
(visitors browsing, students signing in and uploading; donors join once donations merge: a
user class in bench/locustfile.py), and fails on any answer of 500 or more or any lost upload.

The demo is the developer's database as `make seed` leaves it; the server is gunicorn
(2 workers) on a free loopback port, with the upload rate limits off (50 simulated people
share three addresses' worth of limits otherwise). The uploads it made are deleted at the
end, through the same service a student's delete button uses, so the demo stays as it was.

    make load            # or: .venv/bin/python bench/load.py [--users 50] [--seconds 60]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, free_port, gunicorn

LOCUST = ROOT / ".venv-load" / "bin" / "locust"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    if not LOCUST.exists():
        raise SystemExit("locust is missing: run `make load` (it installs .venv-load).")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mediahub.settings.dev",
        "DEBUG": "False",
        "LOG_LEVEL": "WARNING",
        "PLATFORM_PORT": str(port),
        "DB_CONN_MAX_AGE": "60",
        "UPLOAD_RATE_PER_USER": "0/3600",
        "UPLOAD_RATE_PER_ADDRESS": "0/3600",
    }
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DEBUG", "LOG_LEVEL")})
    with (
        tempfile.TemporaryDirectory() as tmp,
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
            env={**os.environ, "LOAD_RESULTS": str(results)},
            cwd=ROOT,
            check=False,
        )
        outcome = json.loads(results.read_text())
        with open(f"{tmp}/load_stats.csv") as stats:
            rows = list(csv.DictReader(stats))
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
    print(f"answers of 500 or more: {len(outcome['server_errors'])}")
    if outcome["server_errors"] or lost:
        raise SystemExit(f"FAILED: server errors {outcome['server_errors'][:10]}, lost {lost[:10]}")


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
