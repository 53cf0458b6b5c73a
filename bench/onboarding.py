"""Onboarding benchmark: creating a school by cloning the template schema (what
`school_create` does) against creating one by running every migration (the baseline).

Runs in a scratch database on the same server (the embedded one, or DATABASE_URL's), which
it drops at the end. Target: median <= 1 s.

    make bench            # or: .venv/bin/python bench/onboarding.py [--runs 5]
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "mediahub_bench"


def scratch_database_url() -> str:
    import psycopg
    from decouple import config

    from mediahub.embedded_db import database_url

    url = config("DATABASE_URL", default="") or database_url(
        Path(config("EMBEDDED_PG_DIR", default="") or ROOT / ".pgdata").resolve()
    )
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url)
    admin_url = make_conninfo(**{**params, "dbname": "postgres"})
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return admin_url, make_conninfo(**{**params, "dbname": BENCH_DB})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    admin_url, bench_url = scratch_database_url()
    # dj-database-url wants a URL; psycopg's conninfo "key=value" form is turned into one.
    from psycopg.conninfo import conninfo_to_dict

    p = conninfo_to_dict(bench_url)
    os.environ["DATABASE_URL"] = (
        f"postgres://{p.get('user', 'postgres')}:{p.get('password', '')}@"
        f"{p.get('host', '') if not p.get('host', '').startswith('/') else ''}"
        f"{':' + str(p['port']) if p.get('port') else ''}/{BENCH_DB}"
        + (f"?host={p['host']}" if p.get("host", "").startswith("/") else "")
    )
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DJANGO_SETTINGS_MODULE"] = "mediahub.settings.dev"
    os.environ["LOG_LEVEL"] = "WARNING"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from tenants import services

    try:
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        services.platform_setup()  # builds the template schema (not timed)
        # Building the template just rewrote the system catalogs that the clone reads; a
        # long-lived database has had autovacuum analyse them. Measure that steady state.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

        clone_times = []
        for i in range(args.runs):
            start = time.perf_counter()
            services.school_create(
                name=f"Bench School {i}",
                slug=f"bench-{i}",
                admin_email=f"admin@bench{i}.test",
                admin_password="a-Long-pass-phrase-42",
            )
            clone_times.append(time.perf_counter() - start)

        # Baseline: the same provisioning, but the schema is built by running migrations.
        # (Migrations can't share one transaction, so this path runs without the outer one.)
        with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False):
            start = time.perf_counter()
            services._school_provision(
                name="Bench Baseline",
                slug="bench-baseline",
                admin_email="admin@baseline.test",
                admin_password="a-Long-pass-phrase-42",
                contact_email="",
                admin_display_name="",
            )
            migrate_time = time.perf_counter() - start
    finally:
        connection.close()
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')

    median = statistics.median(clone_times)
    runs = ", ".join(f"{t:.2f}" for t in clone_times)
    print(f"school creation by cloning the template, median of {args.runs}: {median:.2f} s")
    print(f"  runs: {runs} s")
    print(f"school creation by running migrations (baseline, 1 run):   {migrate_time:.2f} s")
    print(
        f"ratio clone/migrations: {median / migrate_time:.2f}  "
        f"(target median <= 1 s: {'met' if median <= 1 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
