"""TENANT_LIMIT_SET_CALLS: `SET search_path` is sent once per connection and school, not
before every query. A rollback undoes a SET made inside it; the next query must still run
in the school's schema, never in the public one (which has a user table of its own)."""

import pytest
from django.db import connection, transaction
from django_tenants.utils import schema_context

from accounts.models import User

pytestmark = pytest.mark.django_db


def _emails() -> set[str]:
    return set(User.objects.values_list("email", flat=True))


def _statements(work) -> list[str]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        work()
    return [query["sql"] for query in captured.captured_queries]


def test_search_path_is_set_once_per_school(greenwood):
    with schema_context("greenwood"):
        sql = _statements(lambda: [User.objects.count() for _ in range(3)])
    assert sum(statement.startswith("SET search_path") for statement in sql) == 1
    assert len(sql) == 4


@pytest.mark.parametrize("depth", ["savepoint", "nested savepoint"])
def test_after_a_rollback_queries_stay_in_the_school(greenwood, depth):
    with schema_context("greenwood"):
        with pytest.raises(RuntimeError), transaction.atomic():
            if depth == "nested savepoint":
                with transaction.atomic():
                    User.objects.count()  # the SET happens inside the inner savepoint
            else:
                User.objects.count()
            raise RuntimeError("rolled back")
        emails = _emails()
    assert "amina@greenwood.test" in emails
    assert not any(email.endswith("@mediahub.test") for email in emails)  # the platform's


def test_switching_schools_switches_the_search_path(greenwood, riverside):
    with schema_context("greenwood"):
        assert "amina@greenwood.test" in _emails()
    with schema_context("riverside"):
        assert "esther@riverside.test" in _emails()
        assert "amina@greenwood.test" not in _emails()
