"""A signed-in student joins another class with its code: one account, more classes."""

import pytest
from django.core.cache import cache
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import User
from classrooms import services
from classrooms.models import Classroom
from classrooms.services import classroom_archive
from classrooms.tests.test_signup import wait_message
from conftest import client_as, school_user

pytestmark = pytest.mark.django_db


def _codes(greenwood):
    with schema_context(greenwood.schema_name):
        return {c.name: c.join_code_display for c in Classroom.objects.all()}


def _errors(response):
    return response.context["form"].errors["join_code"]


def test_student_joins_another_class(greenwood):
    client = client_as(greenwood, "amina")
    response = client.post(
        "/accounts/join/", {"join_code": _codes(greenwood)["Media Studies"].lower()}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    with schema_context(greenwood.schema_name):
        amina = User.objects.get(username="amina")
        assert sorted(c.name for c in amina.classrooms.all()) == ["Art", "Media Studies"]
        assert User.objects.filter(first_name="Amina").count() == 1


def test_signup_sends_a_signed_in_person_to_join_keeping_the_code(greenwood):
    client = client_as(greenwood, "amina")
    response = client.get("/accounts/signup/?code=ABCD-EFGH")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/join/?code=ABCD-EFGH"
    assert 'value="ABCD-EFGH"' in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("username", "code_of", "message"),
    [
        ("amina", "Art", services.ERROR_ALREADY_ENROLLED.format(classroom="Art (Form 2)")),
        ("amina", None, str(services.ERROR_JOIN_CODE_WRONG)),
        ("grace", "Media Studies", str(services.ERROR_JOIN_NOT_A_STUDENT)),
    ],
)
def test_join_errors_say_why_and_change_nothing(greenwood, username, code_of, message):
    codes = _codes(greenwood)
    client = client_as(greenwood, username)
    with schema_context(greenwood.schema_name):
        before = sorted(
            Classroom.objects.values_list("enrolments__classroom", "enrolments__student")
        )
    response = client.post(
        "/accounts/join/", {"join_code": codes[code_of] if code_of else "ZZZZ-ZZZZ"}
    )
    assert response.status_code == 200
    assert message in _errors(response)
    with schema_context(greenwood.schema_name):
        after = sorted(
            Classroom.objects.values_list("enrolments__classroom", "enrolments__student")
        )
    assert after == before


def test_archived_class_cannot_be_joined(greenwood):
    with schema_context(greenwood.schema_name):
        media = Classroom.objects.get(name="Media Studies")
        classroom_archive(classroom=media)
    response = client_as(greenwood, "amina").post("/accounts/join/", {"join_code": media.join_code})
    assert str(services.ERROR_JOIN_CODE_ARCHIVED) in _errors(response)


def test_join_needs_signing_in(greenwood):
    response = Client(HTTP_HOST="greenwood.localhost").get("/accounts/join/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- Wrong class codes are limited per student and per address --------------------------------
@pytest.fixture
def join_code_limits(settings):
    """From a fresh count; each test sets the limits it is about."""

    def limits(*, user: str, address: str) -> None:
        settings.RATE_LIMITS = {
            **settings.RATE_LIMITS,
            "join_code": {"user": user, "address": address},
        }

    cache.clear()
    yield limits
    cache.clear()


def _join(client, code: str, address: str):
    return client.post("/accounts/join/", {"join_code": code}, REMOTE_ADDR=address)


def _classes_of(school, login: str) -> list[str]:
    with schema_context(school.schema_name):
        return sorted(c.name for c in school_user(school, login).classrooms.all())


def test_a_student_who_guesses_codes_gets_the_wait_message(greenwood, join_code_limits):
    join_code_limits(user="3/900", address="0/900")
    amina = client_as(greenwood, "amina")
    for n, code in enumerate(["WXYZ-2345", "ABCD-EFGH", "QRST-2345"]):
        assert _errors(_join(amina, code, f"10.3.0.{n}")) == [str(services.ERROR_JOIN_CODE_WRONG)]

    # From any address, no code is checked for her now, not even a right one.
    response = _join(amina, _codes(greenwood)["Media Studies"], "10.3.1.1")
    assert response.status_code == 429
    assert wait_message(response.content.decode())
    assert _classes_of(greenwood, "amina") == ["Art"]
    # Another student, from her address, joins.
    brian = _join(client_as(greenwood, "brian"), _codes(greenwood)["Media Studies"], "10.3.0.2")
    assert brian.status_code == 302
    assert _classes_of(greenwood, "brian") == ["Art", "Media Studies"]


def test_wrong_codes_from_one_address_are_limited_across_students(greenwood, join_code_limits):
    join_code_limits(user="10/900", address="3/900")
    address = "10.3.2.1"
    for login in ["amina", "brian", "cynthia"]:
        assert _errors(_join(client_as(greenwood, login), "ZZZZ-ZZZZ", address)) == [
            str(services.ERROR_JOIN_CODE_WRONG)
        ]
    response = _join(client_as(greenwood, "amina"), _codes(greenwood)["Media Studies"], address)
    assert response.status_code == 429
    assert wait_message(response.content.decode())
    assert _classes_of(greenwood, "amina") == ["Art"]


def test_only_wrong_codes_count(greenwood, join_code_limits):
    """Already in the class, or a teacher trying: no code guessed wrong, no failure."""
    join_code_limits(user="1/900", address="1/900")
    address = "10.3.3.1"
    amina = client_as(greenwood, "amina")
    for _ in range(3):
        response = _join(amina, _codes(greenwood)["Art"], address)
        assert _errors(response) == [
            services.ERROR_ALREADY_ENROLLED.format(classroom="Art (Form 2)")
        ]
    grace = client_as(greenwood, "grace")
    for _ in range(3):
        assert _errors(_join(grace, "ZZZZ-ZZZZ", address)) == [
            str(services.ERROR_JOIN_NOT_A_STUDENT)
        ]
    assert _join(amina, _codes(greenwood)["Media Studies"], address).status_code == 302
