"""The user admin (accounts.viewsets): a locked account shows it on its page, and a school
admin unlocks it there (POST only), which Wagtail's audit log records."""

from urllib.parse import urlsplit

import pytest
from django.utils.html import escape
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from accounts.services import UNLOCK_SIGN_IN_ACTION
from accounts.tests.test_throttling import LIMIT, assert_locked_out, failures, sign_in
from accounts.viewsets import MESSAGE_SIGN_IN_PAUSED, MESSAGE_SIGN_IN_UNLOCKED
from conftest import client_as, client_for, school_user
from demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

ADDRESS = "10.1.0.1"
ADMIN = "admin@greenwood.test"


@pytest.fixture
def grace_locked(greenwood):
    """Grace's account locked by a student's guesses, with Peter's failures from the same
    address alongside."""
    client = client_for(greenwood)
    sign_in(client, "peter", "guess", ADDRESS)
    for _ in range(LIMIT):
        sign_in(client, "grace", "guess", ADDRESS)
    assert_locked_out(sign_in(client, "grace", DEMO_PASSWORD, ADDRESS))
    return school_user(greenwood, "grace")


def unlock_url(user) -> str:
    return f"/admin/users/unlock-sign-in/{user.pk}/"


def unlock_logs(school) -> int:
    with schema_context(school.schema_name):
        return ModelLogEntry.objects.filter(action=UNLOCK_SIGN_IN_ACTION).count()


def test_a_locked_accounts_page_offers_to_unlock_it(greenwood, grace_locked):
    admin = client_as(greenwood, ADMIN)
    html = admin.get(f"/admin/users/edit/{grace_locked.pk}/").content.decode()
    assert escape(MESSAGE_SIGN_IN_PAUSED.format(wait="15 minutes")) in html
    assert f'method="POST" action="{unlock_url(grace_locked)}"' in html
    assert "Unlock sign-in</button>" in html

    peter = school_user(greenwood, "peter")  # one failure: not locked
    html = admin.get(f"/admin/users/edit/{peter.pk}/").content.decode()
    assert "Unlock sign-in" not in html


def test_school_admin_unlocks_an_account(greenwood, grace_locked):
    admin = client_as(greenwood, ADMIN)
    response = admin.post(unlock_url(grace_locked), follow=True)

    assert response.redirect_chain == [(f"/admin/users/edit/{grace_locked.pk}/", 302)]
    html = response.content.decode()
    assert escape(MESSAGE_SIGN_IN_UNLOCKED.format(name="Grace Wanjiru")) in html
    assert "Unlock sign-in" not in html
    assert failures(greenwood, username="grace") == 0
    assert failures(greenwood, username="peter") == 1  # others' failures stay
    with schema_context(greenwood.schema_name):
        entry = ModelLogEntry.objects.get(action=UNLOCK_SIGN_IN_ACTION)
        assert entry.object_id == str(grace_locked.pk)
        assert entry.user_id == school_user(greenwood, ADMIN).pk
        assert entry.data == {"cleared": 1}
    # Grace signs in again, from the very address of the guesses.
    assert sign_in(client_for(greenwood), "grace", DEMO_PASSWORD, ADDRESS).status_code == 302


@pytest.mark.parametrize("login", [None, "amina", "peter"])
def test_only_a_school_admin_can_unlock(greenwood, grace_locked, login):
    client = client_as(greenwood, login) if login else client_for(greenwood)
    response = client.post(unlock_url(grace_locked))
    # To sign in (anonymous, a student), or Wagtail's "no permission" (a teacher).
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == (
        "/admin/" if login == "peter" else "/admin/login/"
    )
    assert failures(greenwood, username="grace") == LIMIT
    assert unlock_logs(greenwood) == 0
    assert_locked_out(sign_in(client_for(greenwood), "grace", DEMO_PASSWORD, ADDRESS))


def test_unlocking_is_post_only(greenwood, grace_locked):
    admin = client_as(greenwood, ADMIN)
    assert admin.get(unlock_url(grace_locked)).status_code == 405
    assert failures(greenwood, username="grace") == LIMIT
    assert unlock_logs(greenwood) == 0


def test_unlocking_nobody_is_a_404(greenwood):
    assert (
        client_as(greenwood, ADMIN).post("/admin/users/unlock-sign-in/999999/").status_code == 404
    )
    assert unlock_logs(greenwood) == 0


def test_unlocking_is_per_school(greenwood, riverside, grace_locked):
    """Riverside's admin unlocking the same id unlocks Riverside's person, if any: never
    Greenwood's Grace."""
    client_as(riverside, "admin@riverside.test").post(unlock_url(grace_locked))
    assert failures(greenwood, username="grace") == LIMIT
    assert unlock_logs(greenwood) == 0
