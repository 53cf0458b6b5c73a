"""Cloning the template schema into a new school's, from DDL generated once per template version.

django-tenants' `clone_schema` is a PL/pgSQL function that walks the system catalogs for every
table, sequence, index and constraint of the template each time a school is created: about
1 s for Wagtail's ~100 tables, most of it catalog queries, not copying. The template only
changes when a migration is applied to it, so its DDL is generated once per version (by
`pg_dump --schema-only`, PostgreSQL's own DDL generator, run against the template schema) and
kept in the cache; creating a school replays it under the new name, copies the template's rows
with one INSERT ... SELECT per table and sets the sequences. All of it runs on the caller's
connection, inside the caller's transaction, so a failure leaves nothing behind.

The version is a digest of the template's `django_migrations`: a migration applied to the
template (`migrate_schemas` keeps it current) gives a new version, hence new DDL.

When no usable `pg_dump` is found (none on PATH, or older than the server), cloning falls back
to django-tenants' function: slower, never wrong.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.db import connection
from django_tenants.clone import CloneSchema
from django_tenants.utils import schema_context

logger = logging.getLogger(__name__)

CACHE_SECONDS = 7 * 24 * 3600
_CACHE_KEY = "tenants:clone-plan:v1:{schema}:{version}"
# pg_dump's session settings (search_path among them) would change the caller's connection.
_SESSION_LINE = re.compile(r"^(SET |SELECT pg_catalog\.set_config)")


@dataclass(frozen=True)
class ClonePlan:
    """What creating a schema like the template takes: DDL with `{schema}` for the new name."""

    version: str
    pre_data: str  # schema, tables, sequences
    post_data: str  # indexes, constraints, triggers (built after the rows are in: faster)
    tables: tuple[tuple[str, tuple[str, ...]], ...]  # (table, columns to copy)
    sequences: tuple[str, ...]


def template_version(template: str) -> str:
    """A digest of the migrations applied to the template schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(coalesce(string_agg(app || '.' || name, ',' ORDER BY id), '')) "  # noqa: S608
            f"FROM {_quote(template)}.django_migrations"
        )
        return cursor.fetchone()[0]


def clone_plan(template: str) -> ClonePlan | None:
    """The template's plan for its current version, from the cache or generated now; None
    when this machine has no pg_dump that can read the server."""
    version = template_version(template)
    key = _CACHE_KEY.format(schema=template, version=version)
    plan = cache.get(key)
    if plan is None:
        plan = _plan_generate(template, version)
        if plan is None:
            return None
        cache.set(key, plan, CACHE_SECONDS)
    return plan


def schema_clone(template: str, schema: str) -> None:
    """Create `schema` as a copy of `template` (structure and rows) on the current connection,
    in its current transaction."""
    plan = clone_plan(template)
    if plan is None:
        CloneSchema().clone_schema(template, schema, "DATA")
        return
    new, old = _quote(schema), _quote(template)
    copies = [
        f"INSERT INTO {new}.{_quote(table)} ({cols}) OVERRIDING SYSTEM VALUE "  # noqa: S608
        f"SELECT {cols} FROM {old}.{_quote(table)};"
        for table, columns in plan.tables
        if (cols := ", ".join(_quote(c) for c in columns))
    ]
    sequences = [
        f"SELECT setval('{new}.{_quote(seq)}', last_value, is_called) FROM {old}.{_quote(seq)};"  # noqa: S608, E501
        for seq in plan.sequences
    ]
    # Names are quoted: schema names are checked by django-tenants, the rest come from the
    # catalog (hence the noqa: S608 above).
    with connection.cursor() as cursor:
        # One round trip per step: psycopg sends a string of statements at once when it has
        # no parameters. Schema names are checked by django-tenants and quoted here.
        cursor.execute(plan.pre_data.replace("{schema}", new))
        cursor.execute("\n".join(copies + sequences))
        cursor.execute(plan.post_data.replace("{schema}", new))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def pg_dump_path() -> str | None:
    """pg_dump of the embedded server's own build (same version), else the one on PATH."""
    try:
        import pgserver

        bundled = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_dump"
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    return shutil.which("pg_dump")


def _plan_generate(template: str, version: str) -> ClonePlan | None:
    pre = _dump(template, "pre-data")
    post = _dump(template, "post-data") if pre is not None else None
    if pre is None or post is None:
        return None
    with schema_context(template), connection.cursor() as cursor:
        # Generated columns compute themselves; every other column is copied.
        cursor.execute(
            "SELECT c.relname, array_agg(a.attname ORDER BY a.attnum) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND a.attnum > 0 "
            "AND NOT a.attisdropped AND a.attgenerated = '' "
            "GROUP BY c.relname ORDER BY c.relname",
            [template],
        )
        tables = tuple((name, tuple(columns)) for name, columns in cursor.fetchall())
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'S' ORDER BY c.relname",
            [template],
        )
        sequences = tuple(row[0] for row in cursor.fetchall())
    return ClonePlan(
        version=version,
        pre_data=_rename(pre, template),
        post_data=_rename(post, template),
        tables=tables,
        sequences=sequences,
    )


def _dump(template: str, section: str) -> str | None:
    binary = pg_dump_path()
    if binary is None:
        logger.warning("No pg_dump found: schools are cloned by django-tenants' clone_schema.")
        return None
    params = connection.get_connection_params()
    env = {**os.environ, "PGPASSWORD": str(params.get("password") or "")}
    command = [binary, "--schema-only", f"--section={section}", "--no-owner", "--no-privileges"]
    command += ["--no-comments", f"--schema={template}", "--dbname", params["dbname"]]
    for option, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if params.get(key):
            command += [option, str(params[key])]
    result = subprocess.run(command, capture_output=True, env=env, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        logger.warning(
            "pg_dump failed (%s): schools are cloned by django-tenants' clone_schema.",
            result.stderr.strip()[:500],
        )
        return None
    return result.stdout


def _rename(ddl: str, template: str) -> str:
    """The DDL with every reference to the template schema turned into `{schema}`. pg_dump
    schema-qualifies every object name and quotes names only when it must, so the template's
    name appears as `template.` (or quoted) before each object, and in `CREATE SCHEMA`."""
    lines = [
        line
        for line in ddl.splitlines()
        if line and not line.startswith("--") and not _SESSION_LINE.match(line)
    ]
    text = "\n".join(lines)
    name = re.escape(template)
    text = re.sub(rf'(?<![\w"])(?:"{name}"|{name})\.', "{schema}.", text)
    text = re.sub(
        rf'^CREATE SCHEMA (?:"{name}"|{name});', "CREATE SCHEMA {schema};", text, flags=re.M
    )
    if "{schema}" not in text:
        raise RuntimeError(f"pg_dump's DDL does not name the schema {template!r}.")
    return text
