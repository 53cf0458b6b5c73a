"""P8: 1,000 schools on one PostgreSQL. Run by run.py only when asked (`--only P8`): making
the schools takes several minutes.

Reports: the time `migrate_schemas --tenant` takes over all of them with nothing to apply
(target <= 10 min), the database catalog's size (rows of pg_class and pg_attribute, their
relations' size, pg_database_size), and p95 of one school's public media page with 1,000
schools present against 10 (target: within 10 %), measured as P1 is (gunicorn, 2 workers,
production settings, wrk; the page cache off).

The two p95s are taken side by side, not an hour apart: when the scratch database has 10
schools it is copied (`CREATE DATABASE ... TEMPLATE`) to a second database that keeps them,
and once the first has 1,000 the page is measured on each in turn, ROUNDS times (few, many,
few, many, ...); each side's figure is the median of its rounds. A machine whose load drifts
over the ~15 minutes of making the schools then moves both sides alike.

The schools are made by `school_create` (a clone of the template, tenants/cloning.py), with
a fast password hasher for their first admins: hashing is most of a school's creation time
and has nothing to do with the database's size.

Django and the project's modules are imported inside the functions that use them: models
and services need django.setup() (scratch_database) to have run first.

    .venv/bin/python bench/many_schools.py --fresh [--schools 1000] [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import requests
from harness import Row, collectstatic, free_port, gunicorn, production_environment, report
from http_bench import wrk
from scratch import (
    BENCH_DB,
    HOST,
    PASSWORD,
    ROOT,
    admin_conninfo,
    bench_database_url,
    bench_school_ensure,
    scratch_database,
)

FEW = 10
ROUNDS = 3
FEW_DB = f"{BENCH_DB}_few"


def schools_ensure(total: int) -> float:
    """Schools `many-<i>` until `total` schools (the bench school among them, not the
    template) exist; the seconds it took."""
    from django.test.utils import override_settings

    from tenants.models import School
    from tenants.services import school_create

    start = time.perf_counter()
    schools = School.objects.exclude(schema_name__in=["public", "template"])
    have = schools.count()
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        for i in range(have, total):
            school_create(
                name=f"Many {i}",
                slug=f"many-{i}",
                admin_email=f"admin@many{i}.test",
                admin_password=PASSWORD,
            )
            if (i + 1) % 100 == 0:
                print(f"P8: {i + 1} schools ({time.perf_counter() - start:.0f} s)", flush=True)
    return time.perf_counter() - start


def _admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(admin_conninfo(), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def few_copy() -> None:
    """The scratch database as it is now (10 schools) copied to FEW_DB. A template database
    must have no other connection: Django's are closed first."""
    from django.db import connections

    connections.close_all()
    _admin(
        f'DROP DATABASE IF EXISTS "{FEW_DB}" WITH (FORCE)',
        f'CREATE DATABASE "{FEW_DB}" TEMPLATE "{BENCH_DB}"',
    )


def few_drop() -> None:
    _admin(f'DROP DATABASE IF EXISTS "{FEW_DB}" WITH (FORCE)')


def page_p95(path: str, seconds: int, database: str = BENCH_DB) -> dict:
    """wrk's figures for `path` on the bench school in `database` (the scratch database or
    its copy with 10 schools), served by a fresh gunicorn."""
    port = free_port()
    env = production_environment(port)
    env["DATABASE_URL"] = bench_database_url(database)
    env["PAGE_CACHE_ENABLED"] = "False"  # the uncached render is what is measured
    with gunicorn("mediahub.wsgi:application", env, port=port):
        first = requests.get(f"http://127.0.0.1:{port}{path}", headers={"Host": HOST}, timeout=60)
        if first.status_code != 200:
            raise SystemExit(f"P8: {path} answered {first.status_code}")
        figure = wrk(f"http://127.0.0.1:{port}{path}", host=HOST, seconds=seconds)
    if figure["non_2xx"]:
        raise SystemExit(f"P8: the media page answered errors under load: {figure}")
    # wrk's errors here are its 2 s timeouts, on a busy machine: counted in the figure.
    return figure


def migrate_all() -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate_schemas", "--tenant", "--noinput", "-v", "0"],
        cwd=ROOT,
        # production_environment() left the production settings in os.environ.
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "mediahub.settings.dev"},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"P8: migrate_schemas failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    lines = (done.stdout + done.stderr).strip().splitlines()
    return time.perf_counter() - start, (lines[0][:200] if lines else "")


def catalog() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM pg_class), (SELECT count(*) FROM pg_attribute), "
            "pg_total_relation_size('pg_catalog.pg_class'), "
            "pg_total_relation_size('pg_catalog.pg_attribute'), "
            "pg_database_size(current_database())"
        )
        classes, attributes, class_bytes, attribute_bytes, database = cursor.fetchone()
    return {
        "classes": classes,
        "attributes": attributes,
        "class_mb": class_bytes / 2**20,
        "attribute_mb": attribute_bytes / 2**20,
        "database_mb": database / 2**20,
    }


def median_figure(figures: list[dict]) -> dict:
    """Of one side's rounds, the round whose p95 is the median (its req/s and timeouts
    with it)."""
    ordered = sorted(figures, key=lambda figure: figure["p95_ms"])
    return ordered[len(ordered) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--fresh", action="store_true", help="own scratch database (not run.py)")
    args = parser.parse_args()
    with scratch_database(fresh=args.fresh):
        _school, _classroom, _people, page = bench_school_ensure()
        path = f"/work/{page.pk}/"
        collectstatic(production_environment(free_port()))
        schools_ensure(FEW)
        few_catalog = catalog()
        few_copy()
        try:
            made = schools_ensure(args.schools)
            migrated, said = migrate_all()
            many_catalog = catalog()
            rounds = {"few": [], "many": []}
            for _ in range(ROUNDS):
                rounds["few"].append(page_p95(path, args.seconds, FEW_DB))
                rounds["many"].append(page_p95(path, args.seconds))
        finally:
            few_drop()
    few, many = (median_figure(rounds[side]) for side in ("few", "many"))
    growth = many["p95_ms"] / few["p95_ms"] - 1
    pairs = zip(rounds["few"], rounds["many"], strict=True)
    each = ", ".join(f"{a['p95_ms']:.0f}/{b['p95_ms']:.0f}" for a, b in pairs)
    c = many_catalog
    report(
        [
            Row(
                "P8",
                f"{args.schools} schools on one PostgreSQL",
                f"migrate_schemas --tenant, nothing to apply: {migrated:.1f} s ({said}); "
                f"public media page p95 {many['p95_ms']:.1f} ms ({many['rps']:.0f} req/s, "
                f"{many['errors']} timeouts) against {few['p95_ms']:.1f} ms ({few['rps']:.0f} "
                f"req/s, {few['errors']} timeouts) with {FEW} schools "
                f"({growth:+.0%}; medians of {ROUNDS} alternating rounds, p95 10/"
                f"{args.schools} in each: {each} ms); catalog: pg_class {c['classes']:,} rows "
                f"({c['class_mb']:.0f} MB), pg_attribute {c['attributes']:,} rows "
                f"({c['attribute_mb']:.0f} MB), database {c['database_mb']:,.0f} MB "
                f"(with {FEW} schools: {few_catalog['classes']:,} / "
                f"{few_catalog['attributes']:,} rows, {few_catalog['database_mb']:,.0f} MB)",
                f"making the schools with school_create took {made:.0f} s "
                f"({made / max(args.schools - FEW, 1):.2f} s each)",
                "migrate <= 10 min; p95 within 10 % of 10 schools'",
                migrated <= 600 and growth <= 0.10,
            )
        ]
    )


if __name__ == "__main__":
    main()
