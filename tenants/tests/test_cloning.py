"""Cloning the template from DDL generated once per template version (tenants.cloning)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import User
from tenants import cloning
from tenants.services import school_create

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Hilltop Primary",
    "slug": "hill-top",
    "admin_email": "head@hilltop.test",
    "admin_password": "a-Long-pass-phrase-42",
}

# Everything that makes up a schema's structure, without names that carry the schema's own.
STRUCTURE = {
    "columns": (
        "SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity "
        "FROM information_schema.columns WHERE table_schema = %s"
    ),
    "constraints": (
        "SELECT c.conrelid::regclass::text, c.conname, c.contype, "
        "pg_get_constraintdef(c.oid), c.condeferrable, c.condeferred "
        "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = %s"
    ),
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s",
    "sequences": (
        "SELECT sequencename, data_type, increment_by, last_value FROM pg_sequences "
        "WHERE schemaname = %s"
    ),
    "triggers": (
        "SELECT event_object_table, trigger_name, action_statement "
        "FROM information_schema.triggers WHERE trigger_schema = %s"
    ),
}


def _normal(text: str, schema: str) -> str:
    """Without the schema's name, and without casts and brackets: PostgreSQL prints an
    expression it read back (a partial index's WHERE, an IN list) with other, equivalent
    casts than the statement that created it had."""
    text = text.replace(f'"{schema}".', "S.").replace(f"{schema}.", "S.")
    return re.sub(r"::[a-z ]+(\[\])?|[()\s]", "", text)


def _structure(schema: str) -> dict[str, set[tuple]]:
    found = {}
    with connection.cursor() as cursor:
        for name, sql in STRUCTURE.items():
            cursor.execute(sql, [schema])
            found[name] = {tuple(_normal(str(v), schema) for v in row) for row in cursor.fetchall()}
    return found


def _row_counts(schema: str) -> dict[str, int]:
    with schema_context(schema), connection.cursor() as cursor:
        counts = {}
        for table, _ in cloning.clone_plan("template").tables:
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')  # noqa: S608
            counts[table] = cursor.fetchone()[0]
        return counts


def test_the_clone_is_the_template_s_structure_and_rows_under_the_new_name():
    assert cloning.pg_dump_path() is not None  # else this test would check the fallback
    cloning.schema_clone("template", "clone_check")

    clone, template = _structure("clone_check"), _structure("template")
    for part in STRUCTURE:
        assert clone[part] == template[part], part
    assert sum(len(v) for v in clone.values()) > 500  # Wagtail's tables, really there
    assert _row_counts("clone_check") == _row_counts("template")


def test_the_plan_is_generated_once_per_template_version(monkeypatch):
    cache.clear()
    dumps = []
    real_dump = cloning._dump
    monkeypatch.setattr(cloning, "_dump", lambda *a: dumps.append(a) or real_dump(*a))

    first = cloning.clone_plan("template")
    assert cloning.clone_plan("template") is not None
    assert len(dumps) == 2  # pre-data and post-data, once

    # A migration applied to the template is a new version: new DDL.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO template.django_migrations (app, name, applied) "
            "VALUES ('bench', '0001_x', now())"
        )
    second = cloning.clone_plan("template")
    assert len(dumps) == 4 and second.version != first.version


def test_a_school_cloned_this_way_is_a_working_school():
    school = school_create(**NEW)
    with schema_context(school.schema_name):
        admin = User.objects.get()
        # Sequences follow the copied rows: new rows get new ids.
        other = User.objects.create_user(username="x@hilltop.test", email="x@hilltop.test")
        assert other.pk > admin.pk


def test_without_pg_dump_the_clone_falls_back_to_django_tenants(monkeypatch):
    cache.clear()
    monkeypatch.setattr(cloning, "pg_dump_path", lambda: None)
    school = school_create(**NEW)
    with schema_context(school.schema_name):
        assert User.objects.get().email == "head@hilltop.test"
