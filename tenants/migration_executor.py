"""`migrate_schemas --tenant` skips the schools that are already current.

django-tenants runs Django's `migrate` in every school, one after the other, even when there
is nothing to apply: ~0.4 s a school (the migration graph's state is rendered, post_migrate
runs), 40 s for 100 schools, 7 minutes for 1,000. A school whose `django_migrations` already
holds every migration of the project's graph has nothing to apply, so it is skipped: one query
reads the applied migrations of every school at once, and only the others are handed to
django-tenants' executor (standard, multiprocessing, ...: whichever `--executor` names).

Safe by construction: a school is skipped only when every migration on disk is recorded as
applied in its schema; a new migration, a school missing one, a school without a
`django_migrations` table: all run through `migrate` as before, post_migrate (content types,
permissions, `core.signals.on_school_migrated`) included. The skipped schools are printed.
Anything but the plain run (an app label or migration name, --fake, --plan, --check,
--prune, --run-syncdb, one --schema) is left to django-tenants untouched.

`TENANT_MIGRATE_SKIP_CURRENT=False` (setting, or the environment) migrates every school as
django-tenants does: e.g. to re-run the post-migrate synchronisation of roles and class
permissions (`accounts.services.roles_sync`, `classrooms.services.classroom_permissions_sync`)
after changing their code without a migration.

Wired in settings as django-tenants' `GET_EXECUTOR_FUNCTION`.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django_tenants.migration_executors import get_executor as tenants_get_executor
from django_tenants.utils import get_public_schema_name, get_tenant_database_alias

# Options whose run must not be shortened: they ask for something else than "bring every
# school up to date".
_AS_ASKED = ("app_label", "migration_name", "fake", "fake_initial", "plan", "check_unapplied")
_AS_ASKED += ("prune", "run_syncdb", "schema_name")
_BATCH = 500  # schemas per UNION ALL query (a statement's size stays reasonable)


def get_executor(codename=None):
    """django-tenants' executor for `codename`, skipping the current schools."""
    base = tenants_get_executor(codename)
    return type(f"SkipCurrent{base.__name__}", (_SkipCurrent, base), {})


def migrations_on_disk() -> set[tuple[str, str]]:
    """Every migration of the project's graph (squashed ones as the graph keeps them)."""
    return set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def schools_current(schemas: list[str], *, using: str) -> set[str]:
    """The schemas among `schemas` whose django_migrations holds every migration on disk."""
    wanted = migrations_on_disk()
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = 'django_migrations' AND c.relkind = 'r' AND n.nspname = ANY(%s)",
            [list(schemas)],
        )
        with_table = [row[0] for row in cursor.fetchall()]
        applied: dict[str, set[tuple[str, str]]] = {schema: set() for schema in with_table}
        for start in range(0, len(with_table), _BATCH):
            batch = with_table[start : start + _BATCH]
            # Schema names come from pg_namespace (above) and are quoted.
            sql = " UNION ALL ".join(
                f"SELECT %s, app, name FROM {connection.ops.quote_name(schema)}.django_migrations"  # noqa: S608
                for schema in batch
            )
            cursor.execute(sql, batch)
            for schema, app, name in cursor.fetchall():
                applied[schema].add((app, name))
    return {schema for schema, done in applied.items() if wanted <= done}


class _SkipCurrent:
    """Mixed into django-tenants' executor class: drops the current schools first."""

    def run_migrations(self, tenants=None):
        tenants = list(tenants or [])
        public = get_public_schema_name()
        if not self._may_skip():
            return super().run_migrations(tenants=tenants)
        schools = [schema for schema in tenants if schema != public]
        skipped = schools_current(schools, using=self._using()) if schools else set()
        self._say_skipped([schema for schema in schools if schema in skipped], len(schools))
        return super().run_migrations(tenants=[s for s in tenants if s not in skipped])

    def run_multi_type_migrations(self, tenants):
        return super().run_multi_type_migrations(tenants)  # not used by this project

    def _may_skip(self) -> bool:
        if not getattr(settings, "TENANT_MIGRATE_SKIP_CURRENT", True):
            return False
        return not any(self.options.get(option) for option in _AS_ASKED)

    def _using(self) -> str:
        return self.options.get("database") or get_tenant_database_alias()

    def _say_skipped(self, skipped: list[str], total: int) -> None:
        if not skipped:
            return
        verbosity = int(self.options.get("verbosity", 1))
        line = (
            f"migrate_schemas: {len(skipped)} of {total} schemas skipped, every migration "
            f"already applied (TENANT_MIGRATE_SKIP_CURRENT=False migrates them all)"
        )
        if verbosity >= 1:
            line += ": " + ", ".join(skipped)
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
