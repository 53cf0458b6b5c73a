"""Students join their school with a class code, at /accounts/signup/."""

import re

import pytest
from django.core.cache import cache
from django.utils.html import escape
from django_tenants.utils import schema_context
from rolepermissions.checkers import has_role

from accounts.models import User
from accounts.services import ERROR_EMAIL_TAKEN
from classrooms import forms
from classrooms.models import Classroom, Enrolment
from classrooms.services import (
    ERROR_JOIN_CODE_ARCHIVED,
    ERROR_JOIN_CODE_TOO_MANY,
    ERROR_JOIN_CODE_WRONG,
    classroom_archive,
)
from classrooms.views import MESSAGE_WELCOME

pytestmark = pytest.mark.django_db

PASSWORD = "a-Long-pass-phrase-42"


def art(school) -> Classroom:
    with schema_context(school.schema_name):
        return Classroom.objects.get(name="Art")


def signup_data(**overrides) -> dict[str, str]:
    return {
        "join_code": "",
        "first_name": "Zawadi",
        "last_name": "Otieno",
        "email": "zawadi@example.test",
        "password": PASSWORD,
        "password_again": PASSWORD,
        **overrides,
    }


def users_named(school, email: str) -> int:
    with schema_context(school.schema_name):
        return User.objects.filter(email__iexact=email).count()


def test_signup_page_prefills_the_code_from_the_link(greenwood_client):
    response = greenwood_client.get("/accounts/signup/?code=ABCD-EFGH")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="join_code" id="id_join_code"' in html
    assert 'value="ABCD-EFGH"' in html
    for label in ["Class code", "First name", "Last name", "Email", "Password", "Password again"]:
        assert f'">{label}</label>' in html


@pytest.mark.parametrize("typed", ["{code}", "{dashed}", "{lower}", " {lower_dashed} "])
def test_signup_with_a_good_code(greenwood_client, greenwood, typed):
    classroom = art(greenwood)
    code = typed.format(
        code=classroom.join_code,
        dashed=classroom.join_code_display,
        lower=classroom.join_code.lower(),
        lower_dashed=classroom.join_code_display.lower(),
    )
    response = greenwood_client.post(
        "/accounts/signup/", signup_data(join_code=code, email="Zawadi@Example.TEST"), follow=True
    )

    assert response.redirect_chain == [("/", 302)]
    welcome = MESSAGE_WELCOME.format(name="Zawadi", classroom="Art (Form 2)")
    assert escape(welcome) in response.content.decode()
    with schema_context(greenwood.schema_name):
        student = User.objects.get(email="zawadi@example.test")
        assert has_role(student, "student")
        assert Enrolment.objects.filter(student=student, classroom=classroom).exists()
        assert student.get_full_name() == "Zawadi Otieno"
    # Signed in, and the home page lists her class.
    assert response.context["user"] == student
    assert [c.name for c in response.context["classes"]] == ["Art"]


def test_signup_creates_the_student_in_that_school_only(greenwood_client, greenwood, riverside):
    greenwood_client.post("/accounts/signup/", signup_data(join_code=art(greenwood).join_code))
    assert users_named(greenwood, "zawadi@example.test") == 1
    assert users_named(riverside, "zawadi@example.test") == 0


def test_signup_with_a_wrong_code(greenwood_client, greenwood):
    response = greenwood_client.post("/accounts/signup/", signup_data(join_code="WXYZ-2345"))
    assert response.status_code == 200
    assert response.context["form"].errors["join_code"] == [str(ERROR_JOIN_CODE_WRONG)]
    assert str(ERROR_JOIN_CODE_WRONG) in response.content.decode()
    assert users_named(greenwood, "zawadi@example.test") == 0
    assert "_auth_user_id" not in greenwood_client.session


def test_signup_with_another_schools_code(riverside_client, riverside, greenwood):
    response = riverside_client.post(
        "/accounts/signup/", signup_data(join_code=art(greenwood).join_code)
    )
    assert response.context["form"].errors["join_code"] == [str(ERROR_JOIN_CODE_WRONG)]
    assert users_named(riverside, "zawadi@example.test") == 0


def test_signup_with_an_archived_code(greenwood_client, greenwood):
    classroom = art(greenwood)
    with schema_context(greenwood.schema_name):
        classroom_archive(classroom=classroom)
        enrolled = Enrolment.objects.filter(classroom=classroom).count()

    response = greenwood_client.post(
        "/accounts/signup/", signup_data(join_code=classroom.join_code_display)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["join_code"] == [str(ERROR_JOIN_CODE_ARCHIVED)]
    assert str(ERROR_JOIN_CODE_ARCHIVED) in response.content.decode()
    assert users_named(greenwood, "zawadi@example.test") == 0
    with schema_context(greenwood.schema_name):
        assert Enrolment.objects.filter(classroom=classroom).count() == enrolled


def test_signup_with_a_taken_email(greenwood_client, greenwood):
    with schema_context(greenwood.schema_name):
        users_before = User.objects.count()
    response = greenwood_client.post(
        "/accounts/signup/",
        signup_data(join_code=art(greenwood).join_code, email="AMINA@greenwood.test"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [ERROR_EMAIL_TAKEN]
    assert str(ERROR_EMAIL_TAKEN) in response.content.decode()
    with schema_context(greenwood.schema_name):
        assert User.objects.count() == users_before


def test_signup_errors_are_next_to_their_fields(greenwood_client, greenwood):
    response = greenwood_client.post(
        "/accounts/signup/",
        signup_data(join_code="WXYZ-2345", password="12345678", password_again="12345678"),
    )
    html = response.content.decode()
    # Each message sits in its field's feedback block, which the input points at.
    assert (
        f'<div class="invalid-feedback" id="id_join_code_errors"><div>{ERROR_JOIN_CODE_WRONG}'
        in html
    )
    assert '<div class="invalid-feedback" id="id_password_errors"><div>This password' in html

    response = greenwood_client.post(
        "/accounts/signup/",
        signup_data(join_code=art(greenwood).join_code, email="amina@greenwood.test"),
    )
    html = response.content.decode()
    assert f'<div class="invalid-feedback" id="id_email_errors"><div>{ERROR_EMAIL_TAKEN}' in html
    assert 'aria-describedby="id_email_errors id_email_help"' in html


def _page_without(response, email: str) -> str:
    """The page, less what differs by design: the email typed, and the CSRF token."""
    html = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("code", ["WXYZ-2345", "archived"])
def test_without_a_right_code_the_answer_is_the_same_whatever_the_email(
    greenwood_client, greenwood, code
):
    """No one without a class code learns who has an account: a taken email is reported
    only once the code is right."""
    if code == "archived":
        classroom = art(greenwood)
        with schema_context(greenwood.schema_name):
            classroom_archive(classroom=classroom)
        code = classroom.join_code
    taken = greenwood_client.post(
        "/accounts/signup/", signup_data(join_code=code, email="amina@greenwood.test")
    )
    new = greenwood_client.post(
        "/accounts/signup/", signup_data(join_code=code, email="someone.new@greenwood.test")
    )

    assert taken.status_code == new.status_code == 200
    assert taken.context["form"].errors == new.context["form"].errors
    assert list(taken.context["form"].errors) == ["join_code"]
    assert escape(str(ERROR_EMAIL_TAKEN)) not in taken.content.decode()
    assert _page_without(taken, "amina@greenwood.test") == _page_without(
        new, "someone.new@greenwood.test"
    )


# --- Wrong class codes are limited per address (settings.RATE_LIMITS["join_code"]) -----------
def wait_message(html: str) -> bool:
    """ERROR_JOIN_CODE_TOO_MANY with some wait (the limit's window ends at a fixed time)."""
    before, after = (escape(part) for part in str(ERROR_JOIN_CODE_TOO_MANY).split("{wait}"))
    return (
        re.search(re.escape(before) + r"(1 minute|\d+ minutes)" + re.escape(after), html)
        is not None
    )


@pytest.fixture
def join_code_limits(settings):
    """Three wrong codes per address, from a fresh count."""
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "join_code": {"user": "0/900", "address": "3/900"},
    }
    cache.clear()
    yield
    cache.clear()


def test_repeated_wrong_codes_from_one_address_get_the_wait_message(
    greenwood_client, greenwood, riverside_client, join_code_limits
):
    address = "10.2.0.1"
    for code in ["WXYZ-2345", "ABCD-EFGH", "QRST-2345"]:
        response = greenwood_client.post(
            "/accounts/signup/", signup_data(join_code=code), REMOTE_ADDR=address
        )
        assert response.context["form"].errors["join_code"] == [str(ERROR_JOIN_CODE_WRONG)]

    # Then no code is checked from there, not even the right one, until the wait is over.
    response = greenwood_client.post(
        "/accounts/signup/", signup_data(join_code=art(greenwood).join_code), REMOTE_ADDR=address
    )
    assert response.status_code == 429
    assert wait_message(response.content.decode())
    assert str(ERROR_JOIN_CODE_WRONG) not in response.content.decode()
    assert users_named(greenwood, "zawadi@example.test") == 0

    # Another address of the school, and the same address at another school, sign up.
    other = greenwood_client.post(
        "/accounts/signup/", signup_data(join_code=art(greenwood).join_code), REMOTE_ADDR="10.2.0.2"
    )
    assert other.status_code == 302
    assert users_named(greenwood, "zawadi@example.test") == 1
    response = riverside_client.post(
        "/accounts/signup/", signup_data(join_code="WXYZ-2345"), REMOTE_ADDR=address
    )
    assert response.context["form"].errors["join_code"] == [str(ERROR_JOIN_CODE_WRONG)]


def test_right_codes_are_not_failures(greenwood_client, greenwood, join_code_limits):
    """A class signing up through one address: right codes never count, whatever else is
    wrong (here, an email already in use)."""
    for _ in range(5):
        response = greenwood_client.post(
            "/accounts/signup/",
            signup_data(join_code=art(greenwood).join_code, email="amina@greenwood.test"),
            REMOTE_ADDR="10.2.1.1",
        )
        assert response.status_code == 200
        assert response.context["form"].errors == {"email": [ERROR_EMAIL_TAKEN]}


def test_signup_form_errors(greenwood_client, greenwood):
    response = greenwood_client.post(
        "/accounts/signup/",
        {
            "join_code": "",
            "first_name": "",
            "last_name": "",
            "email": "not-an-email",
            "password": PASSWORD,
            "password_again": PASSWORD + "x",
        },
    )
    assert response.context["form"].errors == {
        "join_code": [str(forms.ERROR_JOIN_CODE_REQUIRED)],
        "first_name": [forms.ERROR_FIRST_NAME_REQUIRED],
        "last_name": [forms.ERROR_LAST_NAME_REQUIRED],
        "email": [forms.ERROR_EMAIL_INVALID],
        "password_again": [forms.ERROR_PASSWORDS_DIFFERENT],
    }
    assert users_named(greenwood, "not-an-email") == 0


def test_signup_with_a_weak_password(greenwood_client, greenwood):
    response = greenwood_client.post(
        "/accounts/signup/",
        signup_data(
            join_code=art(greenwood).join_code, password="12345678", password_again="12345678"
        ),
    )
    errors = response.context["form"].errors["password"]
    assert "This password is entirely numeric." in errors
    assert users_named(greenwood, "zawadi@example.test") == 0
