"""Django's content-type cache is kept per schema (tenants/postgresql_backend): a school's
page types are not looked up again on every request, and a schema never reads another's
ids (the public schema's differ from the schools')."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from classrooms.models import ClassroomPage
from tenants.postgresql_backend.base import SchemaContentTypeCache

pytestmark = pytest.mark.django_db


def _ids_in(schema) -> dict[tuple[str, str], int]:
    with schema_context(schema):
        return {
            (app, model): pk
            for pk, app, model in ContentType.objects.values_list("pk", "app_label", "model")
        }


def _content_type_queries(work) -> int:
    with CaptureQueriesContext(connection) as captured:
        work()
    return sum("django_content_type" in query["sql"] for query in captured.captured_queries)


def test_the_cache_is_installed():
    assert isinstance(ContentType.objects._cache, SchemaContentTypeCache)


def test_a_switch_of_school_keeps_each_schemas_entries(greenwood, riverside):
    ContentType.objects.clear_cache()
    with schema_context("greenwood"):
        assert _content_type_queries(lambda: ContentType.objects.get_for_model(ClassroomPage)) == 1
    with schema_context("riverside"):
        assert _content_type_queries(lambda: ContentType.objects.get_for_model(ClassroomPage)) == 1
    with schema_context("public"):
        pass
    with schema_context("greenwood"):
        assert _content_type_queries(lambda: ContentType.objects.get_for_model(ClassroomPage)) == 0


def test_each_schema_reads_its_own_ids(greenwood):
    public, school = _ids_in("public"), _ids_in("greenwood")
    differ = [key for key in public.keys() & school.keys() if public[key] != school[key]]
    assert differ  # the case the cache must keep apart
    models = [ContentType(app_label=app, model=model).model_class() for app, model in differ]
    models = [model for model in models if model is not None]
    assert models
    ContentType.objects.clear_cache()
    for _ in range(2):  # the second time from the cache
        for schema, ids in (("public", public), ("greenwood", school)):
            with schema_context(schema):
                for model in models:
                    found = ContentType.objects.get_for_model(model)
                    assert found.pk == ids[(model._meta.app_label, model._meta.model_name)]
                    assert ContentType.objects.get_for_id(found.pk) == found


def test_clearing_outside_a_switch_empties_every_schema(greenwood):
    with schema_context("greenwood"):
        ContentType.objects.get_for_model(ClassroomPage)
    ContentType.objects.clear_cache()
    with schema_context("greenwood"):
        assert _content_type_queries(lambda: ContentType.objects.get_for_model(ClassroomPage)) == 1
