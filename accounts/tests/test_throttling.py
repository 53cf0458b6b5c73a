"""Failed sign-ins (django-axes, accounts.throttling): an account is locked after
AXES_FAILURE_LIMIT failures wherever they come from; an address only after
AXES_ADDRESS_FAILURE_LIMIT, since a whole school shares one; a sign-in clears its own
account's failures only. Each school counts its own."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.utils.html import escape
from django_tenants.utils import schema_context

from accounts.tests.factories import UserFactory
from accounts.tests.test_password_reset import request_reset, reset_link, set_new_password
from accounts.throttling import (
    LOCKOUT_ACCOUNT_MESSAGE,
    LOCKOUT_ADDRESS_MESSAGE,
    LOCKOUT_RESET_HINT,
    login_identifier,
)
from demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 5
ADDRESS_LIMIT = 100
ACCOUNT_LOCKED = LOCKOUT_ACCOUNT_MESSAGE.format(wait="15 minutes")
ADDRESS_LOCKED = LOCKOUT_ADDRESS_MESSAGE.format(wait="15 minutes")


def sign_in(client, login: str, password: str, address: str):
    return client.post(
        "/accounts/login/", {"username": login, "password": password}, REMOTE_ADDR=address
    )


def sign_out(client):
    client.post("/accounts/logout/")


def assert_locked_out(response, *messages: str):
    """Refused, not signed in, and told exactly which locks hold (by default the account's
    alone) and for how long."""
    assert response.status_code == 429
    html = response.content.decode()
    messages = messages or (ACCOUNT_LOCKED,)
    assert html.count('<div class="alert alert-warning" role="alert">') == len(messages)
    for message in messages:
        assert escape(message) in html
    assert "_auth_user_id" not in response.wsgi_request.session


def failures(school, **lookup) -> int:
    with schema_context(school.schema_name):
        return sum(
            AccessAttempt.objects.filter(**lookup).values_list("failures_since_start", flat=True)
        )


def test_the_limits():
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    # A school of hundreds signs in from one address: its limit is far above an account's.
    assert settings.AXES_ADDRESS_FAILURE_LIMIT == ADDRESS_LIMIT
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_account_is_locked_after_five_failures(greenwood_client):
    # Each try from a different address: only the account links them.
    for n in range(LIMIT - 1):
        response = sign_in(greenwood_client, "amina@greenwood.test", "wrong", f"10.0.0.{n}")
        assert response.status_code == 200  # the form again, with its error
    # The fifth failure locks the account, and says so at once.
    assert_locked_out(sign_in(greenwood_client, "amina@greenwood.test", "wrong", "10.0.0.9"))

    # The sixth, with the right password, typed differently, from a fresh address.
    assert_locked_out(sign_in(greenwood_client, "AMINA@greenwood.test", DEMO_PASSWORD, "10.0.1.1"))
    # Others are not affected, from the same address either.
    other = sign_in(greenwood_client, "brian@greenwood.test", DEMO_PASSWORD, "10.0.0.9")
    assert other.status_code == 302


def test_an_account_is_one_however_it_is_typed(greenwood_client, greenwood):
    """Username, email, any case: all count against the one account they sign in to."""
    for login in ["amina", "amina@greenwood.test", "AMINA@Greenwood.Test", "Amina"]:
        assert sign_in(greenwood_client, login, "wrong", "10.0.6.1").status_code == 200
    assert_locked_out(sign_in(greenwood_client, " amina ", "wrong", "10.0.6.2"))
    assert_locked_out(sign_in(greenwood_client, "amina", DEMO_PASSWORD, "10.0.6.3"))
    assert failures(greenwood, username="amina") == LIMIT


def test_a_login_that_names_nobody_locks_like_a_real_one(greenwood_client):
    """So the lockout tells nobody which logins are accounts."""
    for _ in range(LIMIT - 1):
        assert (
            sign_in(greenwood_client, "nobody@greenwood.test", "x", "10.0.7.1").status_code == 200
        )
    assert_locked_out(sign_in(greenwood_client, "nobody@greenwood.test", "x", "10.0.7.1"))


def test_guessing_a_teachers_password_between_own_sign_ins_locks_the_teacher(
    greenwood_client, greenwood
):
    """A student guesses Grace's password and signs in as themselves in between, from one
    address: their own sign-ins clear nothing of Grace's count."""
    address = "10.0.8.1"
    for _ in range(LIMIT - 1):
        assert sign_in(greenwood_client, "grace", "guess", address).status_code == 200
        assert sign_in(greenwood_client, "amina", DEMO_PASSWORD, address).status_code == 302
        sign_out(greenwood_client)
    assert failures(greenwood, username="grace") == LIMIT - 1
    assert_locked_out(sign_in(greenwood_client, "grace", "guess", address))

    # Locked for the right password too, from here and from anywhere else.
    assert_locked_out(sign_in(greenwood_client, "grace", DEMO_PASSWORD, address))
    assert_locked_out(sign_in(greenwood_client, "grace@greenwood.test", DEMO_PASSWORD, "10.9.9.9"))
    # The student still signs in: the address is not locked.
    assert sign_in(greenwood_client, "amina", DEMO_PASSWORD, address).status_code == 302


def test_thirty_students_each_mistyping_once_lock_nobody(greenwood_client, greenwood):
    """A class signing in at once through the school's one address."""
    address = "10.0.3.1"
    with schema_context(greenwood.schema_name):
        students = [UserFactory(username=f"pupil{n}").username for n in range(30)]
    for login in students:
        assert sign_in(greenwood_client, login, "typo", address).status_code == 200
    assert failures(greenwood, ip_address=address) == 30

    for login in students:
        response = sign_in(greenwood_client, login, "a-Long-pass-phrase-42", address)
        assert response.status_code == 302, login
        sign_out(greenwood_client)
    # Someone who never mistyped signs in too, and each sign-in cleared its own failure.
    assert sign_in(greenwood_client, "brian", DEMO_PASSWORD, address).status_code == 302
    assert failures(greenwood, ip_address=address) == 0


def test_address_is_locked_at_its_threshold(greenwood_client, greenwood):
    """Guesses spread over many logins (none reaching an account's limit) lock the address
    at AXES_ADDRESS_FAILURE_LIMIT: every account from it, none from elsewhere."""
    address = "10.0.9.1"
    per_login = LIMIT - 1
    logins = [f"guess{n}@greenwood.test" for n in range(ADDRESS_LIMIT // per_login)]
    tries = [login for login in logins for _ in range(per_login)]
    for login in tries[:-1]:
        assert sign_in(greenwood_client, login, "wrong", address).status_code == 200
    assert failures(greenwood, ip_address=address) == ADDRESS_LIMIT - 1
    # One account signing in below the threshold is fine, and clears only its own.
    assert sign_in(greenwood_client, "brian", DEMO_PASSWORD, address).status_code == 302
    sign_out(greenwood_client)

    assert_locked_out(sign_in(greenwood_client, tries[-1], "wrong", address), ADDRESS_LOCKED)
    response = sign_in(greenwood_client, "peter", DEMO_PASSWORD, address)
    assert_locked_out(response, ADDRESS_LOCKED)
    assert "Reset your password" not in response.content.decode()  # it would not help
    # Peter's account is not locked: from another address he signs in.
    assert sign_in(greenwood_client, "peter", DEMO_PASSWORD, "10.0.9.2").status_code == 302


def test_address_threshold_is_a_setting(greenwood_client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    for n in range(7):
        assert sign_in(greenwood_client, f"x{n}", "wrong", "10.0.10.1").status_code == 200
    assert_locked_out(sign_in(greenwood_client, "x7", "wrong", "10.0.10.1"), ADDRESS_LOCKED)


def test_both_locks_are_told(greenwood_client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = LIMIT + 1
    sign_in(greenwood_client, "brian", "wrong", "10.0.11.1")
    for _ in range(LIMIT - 1):
        sign_in(greenwood_client, "amina", "wrong", "10.0.11.1")
    assert_locked_out(
        sign_in(greenwood_client, "amina", "wrong", "10.0.11.1"), ACCOUNT_LOCKED, ADDRESS_LOCKED
    )


def test_lockout_page_says_what_to_do(greenwood_client):
    for _ in range(LIMIT):
        sign_in(greenwood_client, "amina", "wrong", "10.0.2.1")
    response = sign_in(greenwood_client, "amina", DEMO_PASSWORD, "10.0.2.1")
    assert_locked_out(response)
    html = response.content.decode()
    assert "Wait 15 minutes, then try again, or ask your school admin to unlock" in html
    assert escape(str(LOCKOUT_RESET_HINT)) in html
    assert 'href="/accounts/password-reset/">Reset your password</a>' in html


def test_lockout_page_says_how_long_is_left(greenwood_client, greenwood):
    for _ in range(LIMIT):
        sign_in(greenwood_client, "amina", "wrong", "10.0.2.2")
    with schema_context(greenwood.schema_name):  # six minutes later
        for attempt in AccessAttempt.objects.filter(username="amina"):
            attempt.attempt_time -= timedelta(minutes=6)
            attempt.save()
    response = sign_in(greenwood_client, "amina", DEMO_PASSWORD, "10.0.2.2")
    assert_locked_out(response, LOCKOUT_ACCOUNT_MESSAGE.format(wait="9 minutes"))


def test_tries_during_a_lock_do_not_extend_it(greenwood_client, greenwood):
    for _ in range(LIMIT):
        sign_in(greenwood_client, "amina", "wrong", "10.0.2.3")
    with schema_context(greenwood.schema_name):
        before = list(AccessAttempt.objects.values_list("attempt_time", "failures_since_start"))
    for password in ["wrong", DEMO_PASSWORD, "again"]:
        assert_locked_out(sign_in(greenwood_client, "amina", password, "10.0.2.3"))
    with schema_context(greenwood.schema_name):
        after = list(AccessAttempt.objects.values_list("attempt_time", "failures_since_start"))
    assert after == before


def test_lock_ends_after_the_cool_off(greenwood_client, greenwood):
    for _ in range(LIMIT):
        sign_in(greenwood_client, "amina", "wrong", "10.0.2.4")
    with schema_context(greenwood.schema_name):  # fifteen minutes later
        AccessAttempt.objects.update(
            attempt_time=AccessAttempt.objects.get().attempt_time - settings.AXES_COOLOFF_TIME
        )
    assert sign_in(greenwood_client, "amina", DEMO_PASSWORD, "10.0.2.4").status_code == 302


def test_password_reset_unlocks_the_account(greenwood_client, greenwood):
    for _ in range(LIMIT):
        sign_in(greenwood_client, "amina", "wrong", "10.0.2.5")
    request_reset(greenwood_client, "amina@greenwood.test")
    assert (
        set_new_password(greenwood_client, reset_link(), "a-new-Pass-phrase-77").status_code == 302
    )
    response = sign_in(greenwood_client, "amina", "a-new-Pass-phrase-77", "10.0.2.5")
    assert response.status_code == 302
    assert failures(greenwood, username="amina") == 0


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


def test_success_before_the_limit_resets_the_count(greenwood_client, greenwood):
    for _ in range(LIMIT - 1):
        sign_in(greenwood_client, "amina", "wrong", "10.0.5.1")
    sign_in(greenwood_client, "grace", "wrong", "10.0.5.1")
    assert sign_in(greenwood_client, "amina", DEMO_PASSWORD, "10.0.5.1").status_code == 302
    # Amina's own failures are gone; Grace's, from the same address, stay.
    assert failures(greenwood, username="amina") == 0
    assert failures(greenwood, username="grace") == 1
    sign_out(greenwood_client)
    for _ in range(LIMIT - 1):
        sign_in(greenwood_client, "amina", "wrong", "10.0.5.1")
    assert sign_in(greenwood_client, "amina", DEMO_PASSWORD, "10.0.5.1").status_code == 302


def test_login_identifier_is_the_account(greenwood, rf):
    with schema_context(greenwood.schema_name):
        for typed in ["amina", "Amina@Greenwood.TEST", " amina@greenwood.test "]:
            assert login_identifier(rf.post("/", {"username": typed})) == "amina"
        assert login_identifier(rf.post("/"), {"username": "No.Body@X.test"}) == "no.body@x.test"


def test_the_wagtail_admin_sign_in_counts_too(greenwood_client):
    """One count per account, whichever sign-in form is used."""
    for _ in range(LIMIT - 1):
        response = greenwood_client.post(
            "/admin/login/",
            {"username": "admin@greenwood.test", "password": "guess"},
            REMOTE_ADDR="10.0.12.1",
        )
        assert response.status_code == 200
    assert_locked_out(sign_in(greenwood_client, "admin@greenwood.test", "guess", "10.0.12.2"))
    response = greenwood_client.post(
        "/admin/login/",
        {"username": "admin@greenwood.test", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.0.12.3",
    )
    assert_locked_out(response)
