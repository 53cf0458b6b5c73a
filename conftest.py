"""Shared fixtures. The test database gets the platform rows, the template schema and the two
demo schools once per session (the demo seed itself), so a test costs milliseconds; each test
runs in a transaction that is rolled back, schema changes included."""

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from tenants import demo
from tenants.models import School


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        demo.seed()
        connection.set_schema_to_public()
    yield


@pytest.fixture(autouse=True)
def _public_schema_after_test():
    """Requests switch the shared connection to a school's schema; every test starts and
    ends on the public schema."""
    yield
    connection.set_schema_to_public()


@pytest.fixture
def greenwood(db) -> School:
    return School.objects.get(slug="greenwood")


@pytest.fixture
def riverside(db) -> School:
    return School.objects.get(slug="riverside")


def client_for(school_or_host) -> Client:
    host = (
        school_or_host
        if isinstance(school_or_host, str)
        else school_or_host.domains.get(is_primary=True).domain
    )
    return Client(HTTP_HOST=host)


@pytest.fixture
def platform_client(db) -> Client:
    return client_for("localhost")


@pytest.fixture
def greenwood_client(greenwood) -> Client:
    return client_for(greenwood)


@pytest.fixture
def riverside_client(riverside) -> Client:
    return client_for(riverside)


@pytest.fixture
def in_schema():
    """`with in_schema(school):` runs ORM code in that school's schema."""

    def enter(school):
        return schema_context(school.schema_name)

    return enter
