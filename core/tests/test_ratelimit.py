"""Failure limits (core.ratelimit.attempt_begin): a try counts as a failure until it is known
to be none; once a person or an address has no failures left, nothing is counted or checked
until its window ends; each school counts its own."""

import pytest
from django.core.cache import cache
from django_tenants.utils import schema_context

from core.ratelimit import TooManyFailures, attempt_begin, error_status, wait_text

pytestmark = pytest.mark.django_db

GROUP = "join_code"


@pytest.fixture(autouse=True, params=["memory", "redis"])
def limits(request, settings):
    """Every test twice: on each process's own cache, and on a real Redis (REDIS_URL)."""
    if request.param == "redis":
        request.getfixturevalue("redis_caches")
    settings.RATE_LIMITS = {GROUP: {"user": "2/900", "address": "3/900"}}
    cache.clear()
    yield
    cache.clear()


def fail(**who) -> None:
    attempt = attempt_begin(GROUP, **who)
    assert attempt.wait is None
    # A failure: the try keeps its place in the counts.


def test_an_address_has_its_failures_then_waits(greenwood):
    with schema_context(greenwood.schema_name):
        for _ in range(3):
            fail(address="10.5.0.1")
        refused = attempt_begin(GROUP, address="10.5.0.1")
        assert refused.wait is not None and 0 < refused.wait <= 900
        assert refused.buckets == ()  # a refused try is counted nowhere
        assert attempt_begin(GROUP, address="10.5.0.2").wait is None


def test_a_person_has_their_own_limit_across_addresses(greenwood):
    with schema_context(greenwood.schema_name):
        fail(address="10.5.1.1", user_id=7)
        fail(address="10.5.1.2", user_id=7)
        assert attempt_begin(GROUP, address="10.5.1.3", user_id=7).wait
        # The refusal took no place of the address's: others there have its three.
        for user_id in (8, 8, 9):
            fail(address="10.5.1.3", user_id=user_id)
        assert attempt_begin(GROUP, address="10.5.1.3", user_id=10).wait


def test_a_try_that_succeeds_is_no_failure(greenwood):
    with schema_context(greenwood.schema_name):
        for _ in range(10):
            attempt = attempt_begin(GROUP, address="10.5.2.1", user_id=9)
            assert attempt.wait is None
            attempt.succeeded()


def test_tries_in_flight_hold_their_places(greenwood):
    """Many tries sent at once: each takes its place before any is checked, so no more than
    the limit are checked, whatever their answers turn out to be."""
    with schema_context(greenwood.schema_name):
        in_flight = [attempt_begin(GROUP, address="10.5.3.1") for _ in range(5)]
        assert [a.wait is None for a in in_flight] == [True, True, True, False, False]


def test_each_school_counts_its_own(greenwood, riverside):
    with schema_context(greenwood.schema_name):
        for _ in range(3):
            fail(address="10.5.4.1")
        assert attempt_begin(GROUP, address="10.5.4.1").wait
    with schema_context(riverside.schema_name):
        assert attempt_begin(GROUP, address="10.5.4.1").wait is None


def test_a_limit_of_zero_is_off(greenwood, settings):
    settings.RATE_LIMITS = {GROUP: {"user": "0/900", "address": "0/900"}}
    with schema_context(greenwood.schema_name):
        for _ in range(50):
            fail(address="10.5.5.1", user_id=1)


def test_wait_text():
    assert [wait_text(s) for s in (1, 60, 61, 899, 900)] == [
        "1 minute",
        "1 minute",
        "2 minutes",
        "15 minutes",
        "15 minutes",
    ]


def test_too_many_failures_is_a_429_on_its_field():
    error = TooManyFailures("join_code", "Wait.", wait=60)
    assert error.message_dict == {"join_code": ["Wait."]} and error.wait == 60
    assert error_status(error) == 429
