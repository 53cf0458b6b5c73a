"""Failed sign-ins on the front-end login (django-axes): after AXES_FAILURE_LIMIT failures an
account is locked, and so, separately, is an address; each school counts its own."""

import pytest
from django.conf import settings
from django.utils.html import escape

from accounts.throttling import LOCKOUT_MESSAGE
from demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 5
MESSAGE = LOCKOUT_MESSAGE.format(minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def sign_in(client, login: str, password: str, address: str):
    return client.post(
        "/accounts/login/", {"username": login, "password": password}, REMOTE_ADDR=address
    )


def assert_locked_out(response):
    assert response.status_code == 429
    assert escape(MESSAGE) in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_the_limit_is_five():
    assert settings.AXES_FAILURE_LIMIT == LIMIT


def test_account_is_locked_after_five_failures(greenwood_client):
    # Each try from a different address: only the account links them.
    for n in range(LIMIT - 1):
        response = sign_in(greenwood_client, "amina@greenwood.test", "wrong", f"10.0.0.{n}")
        assert response.status_code == 200  # the form again, with its error
    # The fifth failure locks the account, and says so at once.
    assert_locked_out(sign_in(greenwood_client, "amina@greenwood.test", "wrong", "10.0.0.9"))

    # The sixth, with the right password, typed differently, from a fresh address.
    assert_locked_out(sign_in(greenwood_client, "AMINA@greenwood.test", DEMO_PASSWORD, "10.0.1.1"))
    # Others are not affected.
    other = sign_in(greenwood_client, "brian@greenwood.test", DEMO_PASSWORD, "10.0.1.1")
    assert other.status_code == 302


def test_lockout_page_offers_a_password_reset(greenwood_client):
    for _ in range(LIMIT):
        sign_in(greenwood_client, "amina", "wrong", "10.0.2.1")
    response = sign_in(greenwood_client, "amina", DEMO_PASSWORD, "10.0.2.1")
    assert_locked_out(response)
    assert 'href="/accounts/password-reset/">Reset your password</a>' in response.content.decode()


def test_address_is_locked_after_five_failures_across_accounts(greenwood_client):
    for login in ["amina", "brian", "cynthia", "david"]:
        assert sign_in(greenwood_client, login, "wrong", "10.0.3.1").status_code == 200
    assert_locked_out(sign_in(greenwood_client, "grace", "wrong", "10.0.3.1"))

    assert_locked_out(sign_in(greenwood_client, "peter", DEMO_PASSWORD, "10.0.3.1"))
    # The same person from another address signs in: only that address is locked.
    assert sign_in(greenwood_client, "peter", DEMO_PASSWORD, "10.0.3.2").status_code == 302


def test_lockout_is_per_school(greenwood_client, riverside_client):
    for _ in range(LIMIT):
        sign_in(greenwood_client, "amina@greenwood.test", "wrong", "10.0.4.1")
    assert_locked_out(sign_in(greenwood_client, "amina@greenwood.test", DEMO_PASSWORD, "10.0.4.1"))

    # Riverside has its own records: neither the address nor an account is locked there.
    response = sign_in(riverside_client, "esther@riverside.test", DEMO_PASSWORD, "10.0.4.1")
    assert response.status_code == 302
    riverside_client.post("/accounts/logout/")
    response = sign_in(riverside_client, "amina@greenwood.test", "wrong", "10.0.4.1")
    assert response.status_code == 200  # just a wrong login at riverside, not a lockout


def test_success_before_the_limit_resets_the_count(greenwood_client):
    for _ in range(LIMIT - 1):
        sign_in(greenwood_client, "amina", "wrong", "10.0.5.1")
    assert sign_in(greenwood_client, "amina", DEMO_PASSWORD, "10.0.5.1").status_code == 302
    greenwood_client.post("/accounts/logout/")
    for _ in range(LIMIT - 1):
        sign_in(greenwood_client, "amina", "wrong", "10.0.5.1")
    assert sign_in(greenwood_client, "amina", DEMO_PASSWORD, "10.0.5.1").status_code == 302
