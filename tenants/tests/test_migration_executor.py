"""`migrate_schemas --tenant` skips the schools with every migration applied
(tenants/migration_executor.py) and still migrates the others, post_migrate included."""

import pytest
from django.core.management import call_command
from django.db import connection

from tenants.migration_executor import get_executor, migrations_on_disk, schools_current
from tenants.models import School

pytestmark = pytest.mark.django_db


def _in_schema(schema: str, sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(f'SET search_path TO "{schema}"')
        try:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else None
        finally:
            connection.set_schema_to_public()
            cursor.execute("SET search_path TO public")


def _galleries_removed(schema: str) -> None:
    """The school as if galleries' first migration had never run: no table, no record, no
    content type or permissions."""
    _in_schema(
        schema,
        "DROP TABLE galleries_gallerypage CASCADE; "
        "DELETE FROM django_migrations WHERE app = 'galleries'; "
        "DELETE FROM auth_group_permissions WHERE permission_id IN (SELECT p.id FROM "
        "auth_permission p JOIN django_content_type t ON t.id = p.content_type_id "
        "WHERE t.app_label = 'galleries'); "
        "DELETE FROM auth_permission WHERE content_type_id IN "
        "(SELECT id FROM django_content_type WHERE app_label = 'galleries')",
    )


def test_every_school_of_the_seed_is_current(greenwood, riverside):
    schemas = [greenwood.schema_name, riverside.schema_name, "template"]

    assert schools_current(schemas, using="default") == set(schemas)
    assert ("galleries", "0001_initial") in migrations_on_disk()


def test_a_school_missing_a_migration_gets_it_and_the_current_ones_are_skipped(
    greenwood, riverside, capsys
):
    _galleries_removed(riverside.schema_name)
    assert schools_current([riverside.schema_name], using="default") == set()

    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=1)

    out = capsys.readouterr().out
    skipped = next(line for line in out.splitlines() if "schemas skipped" in line)
    assert greenwood.schema_name in skipped and "template" in skipped
    assert riverside.schema_name not in skipped
    assert f"{School.objects.exclude(schema_name='public').count() - 1} of" in skipped
    assert _in_schema(riverside.schema_name, "SELECT to_regclass('galleries_gallerypage')")[0][0]
    assert schools_current([riverside.schema_name], using="default") == {riverside.schema_name}
    # post_migrate ran for it: galleries' permissions again, and the school admins' role
    # (accounts.services.roles_sync, after every school migration) holds them.
    held = _in_schema(
        riverside.schema_name,
        "SELECT p.codename FROM auth_group_permissions gp "
        "JOIN auth_group g ON g.id = gp.group_id JOIN auth_permission p ON p.id = gp.permission_id "
        "JOIN django_content_type t ON t.id = p.content_type_id "
        "WHERE t.app_label = 'galleries' AND g.name = 'school_admin'",
    )
    assert {"add_gallerypage", "change_gallerypage"} <= {row[0] for row in held}


def test_the_switch_off_and_explicit_options_migrate_every_school(settings):
    class Options:
        def __init__(self, **options):
            self.executor = get_executor("standard")([], options)

    assert Options(verbosity=0).executor._may_skip()
    assert not Options(verbosity=0, fake=True).executor._may_skip()
    assert not Options(verbosity=0, app_label="galleries").executor._may_skip()
    assert not Options(verbosity=0, schema_name="greenwood").executor._may_skip()
    settings.TENANT_MIGRATE_SKIP_CURRENT = False
    assert not Options(verbosity=0).executor._may_skip()


def test_a_new_school_has_its_permissions_and_roles(greenwood):
    from tenants.services import school_create

    school = school_create(
        name="Skip Test", slug="skiptest", admin_email="a@skip.test", admin_password="x" * 20
    )
    assert schools_current([school.schema_name], using="default") == {school.schema_name}
    # Its roles hold their permissions, as after a migration (cloned from the template).
    held = _in_schema(
        school.schema_name,
        "SELECT p.codename FROM auth_group_permissions gp "
        "JOIN auth_group g ON g.id = gp.group_id JOIN auth_permission p ON p.id = gp.permission_id "
        "WHERE g.name = 'school_admin'",
    )
    assert {"add_gallerypage", "change_gallerypage"} <= {row[0] for row in held}
