"""A signed-in student joins another class with its code: one account, more classes."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import User
from classrooms import services
from classrooms.models import Classroom
from classrooms.services import classroom_archive
from conftest import client_as

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
        ("amina", None, services.ERROR_JOIN_CODE_WRONG),
        ("grace", "Media Studies", services.ERROR_JOIN_NOT_A_STUDENT),
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
    assert services.ERROR_JOIN_CODE_ARCHIVED in _errors(response)


def test_join_needs_signing_in(greenwood):
    response = Client(HTTP_HOST="greenwood.localhost").get("/accounts/join/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
