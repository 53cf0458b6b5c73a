"""Writes about people (accounts.services): unlocking a person's sign-in is a school admin's,
whatever calls it."""

import pytest
from django.core.exceptions import PermissionDenied
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from accounts.services import UNLOCK_SIGN_IN_ACTION, user_sign_in_unlock
from accounts.tests.test_throttling import LIMIT, failures, sign_in
from conftest import client_for, user_named

pytestmark = pytest.mark.django_db


@pytest.fixture
def amina_locked(greenwood):
    client = client_for(greenwood)
    for _ in range(LIMIT):
        sign_in(client, "amina", "wrong", "10.4.0.1")
    sign_in(client, "brian", "wrong", "10.4.0.1")


@pytest.mark.parametrize("by", ["grace", "brian"])
def test_only_a_school_admin_unlocks(greenwood, amina_locked, by):
    with schema_context(greenwood.schema_name), pytest.raises(PermissionDenied):
        user_sign_in_unlock(user=user_named("amina"), unlocked_by=user_named(by))
    assert failures(greenwood, username="amina") == LIMIT
    with schema_context(greenwood.schema_name):
        assert not ModelLogEntry.objects.filter(action=UNLOCK_SIGN_IN_ACTION).exists()


def test_unlocking_clears_that_account_only_and_is_logged(greenwood, amina_locked):
    with schema_context(greenwood.schema_name):
        admin = user_named("admin@greenwood.test")
        assert user_sign_in_unlock(user=user_named("amina"), unlocked_by=admin) == 1
        entry = ModelLogEntry.objects.get(action=UNLOCK_SIGN_IN_ACTION)
        assert (entry.user, entry.object_id) == (admin, str(user_named("amina").pk))
    assert failures(greenwood, username="amina") == 0
    assert failures(greenwood, username="brian") == 1
