"""`make bench`: every benchmark, on one scratch database made for the run and dropped after
it (never the developer's data, never the test database), then the table of figures.

    .venv/bin/python bench/run.py [--only P1,P4] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

from harness import RESULTS, machine
from scratch import ROOT, bench_environment, database_drop, database_prepare

# In this order: P6 adds 100 schools (and a throwaway app's table) that the others don't need.
BENCHMARKS = [
    ("P3", "onboarding.py", []),
    ("P2", "queries.py", []),
    ("P1", "http_bench.py", []),  # and P7
    ("P4", "upload_memory.py", []),
    ("P4B", "direct_upload.py", []),  # P4b: `--only P4` runs it too
    ("P5", "images.py", []),
    ("P6", "migrations_bench.py", []),
    ("P8", "many_schools.py", []),  # only with --only P8: 1,000 schools take ~15 minutes
]
ON_REQUEST = {"P8"}
QUICK = {
    "P1": ["--seconds", "3"],
    "P4": ["--mb", "50"],
    "P4B": ["--mb", "50"],
    "P6": ["--schools", "10"],
    "P8": ["--schools", "50", "--seconds", "3"],
}


def table() -> str:
    data = json.loads(RESULTS.read_text())
    lines = [
        f"Machine: {data['machine']}; run {data['when']}.",
        "",
        "| id | what | figure | baseline (same run) | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for row in sorted(data["rows"].values(), key=lambda r: r["id"]):
        met = {True: "yes", False: "**no**", None: "-"}[row["met"]]
        if row["met"] is False and row.get("why"):
            met += f": {row['why']}"
        cells = [row["id"], row["what"], row["figure"], row["baseline"], row["target"], met]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated ids, e.g. P1,P4")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a try-out")
    args = parser.parse_args()
    only = {item.strip().upper() for item in args.only.split(",") if item.strip()}
    RESULTS.unlink(missing_ok=True)
    print(f"machine: {machine()}", flush=True)
    env = {**os.environ, **bench_environment()}
    failed = []
    start = time.perf_counter()
    database_prepare()
    try:
        for bench_id, script, extra in BENCHMARKS:
            asked = (
                bench_id in only
                or (bench_id == "P1" and "P7" in only)
                or (bench_id == "P4B" and "P4" in only)
            )
            if only and not asked:
                continue
            if not only and bench_id in ON_REQUEST:
                continue
            print(f"\n== {bench_id}: bench/{script}", flush=True)
            extra = extra + (QUICK.get(bench_id, []) if args.quick else [])
            done = subprocess.run(
                [sys.executable, str(ROOT / "bench" / script), *extra], cwd=ROOT, env=env
            )
            if done.returncode != 0:
                failed.append(bench_id)
    finally:
        database_drop()
        shutil.rmtree(env["MEDIA_ROOT"], ignore_errors=True)
    print(f"\n== All figures ({time.perf_counter() - start:.0f} s)\n")
    print(table() if RESULTS.exists() else "(no figures)")
    if failed:
        raise SystemExit(f"\nThese benchmarks failed to run: {', '.join(failed)}")


if __name__ == "__main__":
    main()
