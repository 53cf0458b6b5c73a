"""The accounts pages of a school's site: signing in and out, the profile, changing the
password, and the home page's dashboard and user menu."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from django_tenants.utils import schema_context

from accounts import forms, views
from accounts.models import User
from classrooms.models import Classroom
from classrooms.services import classroom_create, classroom_student_enrol
from conftest import school_user, sign_in_as
from demo.data import DEMO_PASSWORD
from home.models import NO_CLASSES_STUDENT

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-Pass-phrase-77"


def sign_in(client, login: str, password: str = DEMO_PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": login, "password": password}, **extra)


# --- Signing in and out ------------------------------------------------------------------------
def test_login_page_labels_the_field_and_links_to_reset(greenwood_client):
    response = greenwood_client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="form-label" for="id_username">Email or username</label>' in html
    assert 'href="/accounts/password-reset/">Forgot your password?</a>' in html
    assert 'Sign in to <span translate="no">Greenwood Academy</span>' in html


@pytest.mark.parametrize("login", ["amina@greenwood.test", "Amina@Greenwood.TEST", "amina"])
def test_login_by_email_or_username(greenwood_client, greenwood, login):
    response = sign_in(greenwood_client, login)
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = greenwood_client.get("/")
    assert home.context["user"] == school_user(greenwood, "amina")


def test_login_follows_a_safe_next_only(greenwood_client):
    response = greenwood_client.post(
        "/accounts/login/?next=/accounts/profile/",
        {"username": "amina", "password": DEMO_PASSWORD},
    )
    assert response["Location"] == "/accounts/profile/"
    greenwood_client.logout()
    response = greenwood_client.post(
        "/accounts/login/?next=https://evil.example.com/",
        {"username": "amina", "password": DEMO_PASSWORD},
    )
    assert response["Location"] == "/"


def test_login_with_a_bad_password_says_so(greenwood_client):
    response = sign_in(greenwood_client, "amina@greenwood.test", "not-her-password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [forms.ERROR_LOGIN_INVALID]
    assert str(forms.ERROR_LOGIN_INVALID) in response.content.decode()
    assert "_auth_user_id" not in greenwood_client.session


def test_login_with_empty_fields_says_what_to_enter(greenwood_client):
    response = sign_in(greenwood_client, "", "")
    errors = response.context["form"].errors
    assert errors["username"] == [forms.ERROR_LOGIN_REQUIRED]
    assert errors["password"] == [forms.ERROR_LOGIN_PASSWORD_REQUIRED]


def test_login_is_per_school(riverside_client):
    response = sign_in(riverside_client, "amina@greenwood.test")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [forms.ERROR_LOGIN_INVALID]


def test_logout_is_post_only(greenwood_client, greenwood):
    sign_in_as(greenwood_client, greenwood, "amina")
    assert greenwood_client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in greenwood_client.session  # still signed in

    response = greenwood_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in greenwood_client.session


# --- The menu in the navbar --------------------------------------------------------------------
def test_menu_for_anonymous_visitors(greenwood_client):
    html = greenwood_client.get("/").content.decode()
    assert 'href="/accounts/login/">Sign in</a>' in html
    assert 'href="/accounts/signup/">Join your class</a>' in html
    assert "/accounts/logout/" not in html


def test_menu_for_a_signed_in_person(greenwood_client, greenwood):
    sign_in_as(greenwood_client, greenwood, "amina")
    html = greenwood_client.get("/").content.decode()
    # Her short name opens the menu.
    assert '<span class="user-name" translate="no">Amina</span></button>' in html
    assert 'href="/accounts/profile/">Profile</a>' in html
    assert '<form method="post" action="/accounts/logout/">' in html
    assert 'href="/admin/">Admin</a>' not in html  # students have no Wagtail admin


def test_menu_links_teachers_to_the_admin(greenwood_client, greenwood):
    sign_in_as(greenwood_client, greenwood, "grace")
    assert 'href="/admin/">Admin</a>' in greenwood_client.get("/").content.decode()


def test_platform_pages_have_no_school_menu(platform_client):
    html = platform_client.get("/").content.decode()
    assert "Join your class" not in html
    assert "/accounts/login/" not in html


# --- Profile and password ----------------------------------------------------------------------
def test_profile_needs_signing_in(greenwood_client):
    response = greenwood_client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/profile/"


def test_profile_shows_email_read_only_and_saves_names(greenwood_client, greenwood):
    sign_in_as(greenwood_client, greenwood, "amina")
    page = greenwood_client.get("/accounts/profile/")
    assert page.status_code == 200
    assert 'value="amina@greenwood.test" readonly' in page.content.decode()
    assert "email" not in page.context["form"].fields

    response = greenwood_client.post(
        "/accounts/profile/",
        {
            "display_name": "Amina H.",
            "first_name": "Aminah",
            "last_name": "Hassan",
            "email": "someone-else@greenwood.test",  # not a field: ignored
        },
        follow=True,
    )
    assert response.redirect_chain == [("/accounts/profile/", 302)]
    assert str(views.MESSAGE_PROFILE_SAVED) in response.content.decode()
    amina = school_user(greenwood, "amina")
    assert (amina.display_name, amina.first_name, amina.last_name) == (
        "Amina H.",
        "Aminah",
        "Hassan",
    )
    assert amina.email == "amina@greenwood.test"


def test_password_change_keeps_the_session(greenwood_client, greenwood):
    sign_in_as(greenwood_client, greenwood, "amina")
    response = greenwood_client.post(
        "/accounts/password/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert response.redirect_chain == [("/accounts/profile/", 302)]
    assert str(views.MESSAGE_PASSWORD_CHANGED) in response.content.decode()
    assert response.context["user"].is_authenticated  # the session survived the change
    assert school_user(greenwood, "amina").check_password(NEW_PASSWORD)

    greenwood_client.post("/accounts/logout/")
    assert sign_in(greenwood_client, "amina", DEMO_PASSWORD).status_code == 200
    assert sign_in(greenwood_client, "amina", NEW_PASSWORD).status_code == 302


def test_password_change_errors_say_what_to_do(greenwood_client, greenwood):
    sign_in_as(greenwood_client, greenwood, "amina")
    response = greenwood_client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": "other"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["old_password"] == [forms.ERROR_OLD_PASSWORD_WRONG]
    assert errors["new_password2"] == [forms.ERROR_PASSWORDS_DIFFERENT]
    assert school_user(greenwood, "amina").check_password(DEMO_PASSWORD)


# --- The home page's dashboard -----------------------------------------------------------------
def test_anonymous_home_page_invites_to_sign_in_or_join(greenwood_client):
    response = greenwood_client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "classes" not in response.context
    assert "Your classes" not in html
    assert 'class="btn btn-primary" href="/accounts/login/">Sign in</a>' in html
    assert 'class="btn btn-outline-primary" href="/accounts/signup/">Join your class</a>' in html


def _codes(school) -> dict[str, str]:
    with schema_context(school.schema_name):
        return {c.name: c.join_code_display for c in Classroom.objects.all()}


def test_student_sees_her_classes_without_join_codes(greenwood_client, greenwood):
    sign_in_as(greenwood_client, greenwood, "cynthia")
    response = greenwood_client.get("/")
    html = response.content.decode()
    assert [str(c) for c in response.context["classes"]] == [
        "Art (Form 2)",
        "Media Studies (Form 3)",
    ]
    assert "Your classes" in html
    assert '<a class="fw-semibold" href="/art-form-2/" translate="no">Art (Form 2)</a>' in html
    for code in _codes(greenwood).values():
        assert code not in html


def test_teacher_sees_the_classes_she_teaches_with_join_codes(greenwood_client, greenwood):
    sign_in_as(greenwood_client, greenwood, "grace")
    response = greenwood_client.get("/")
    html = response.content.decode()
    assert [str(c) for c in response.context["classes"]] == ["Art (Form 2)"]
    codes = _codes(greenwood)
    assert codes["Art"] in html
    assert codes["Media Studies"] not in html


def test_school_admin_sees_every_class(greenwood_client, greenwood):
    sign_in_as(greenwood_client, greenwood, "admin@greenwood.test")
    response = greenwood_client.get("/")
    assert [c.name for c in response.context["classes"]] == ["Art", "Media Studies"]
    for code in _codes(greenwood).values():
        assert code in response.content.decode()


def test_student_without_classes_is_told_what_to_do(greenwood_client, greenwood):
    with schema_context(greenwood.schema_name):
        from accounts.services import user_role_set

        lonely = User.objects.create_user("lonely", "lonely@greenwood.test", DEMO_PASSWORD)
        user_role_set(user=lonely, role="student")
    sign_in_as(greenwood_client, greenwood, "lonely")
    assert escape(str(NO_CLASSES_STUDENT)) in greenwood_client.get("/").content.decode()


def test_dashboard_query_count_does_not_grow_with_classes(greenwood_client, greenwood):
    sign_in_as(greenwood_client, greenwood, "amina")
    greenwood_client.get("/")  # warm the per-process caches (site root paths)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = greenwood_client.get("/")
        assert response.status_code == 200
        return len(queries), len(response.context["classes"])

    before, classes_before = count()
    with schema_context(greenwood.schema_name):
        amina = User.objects.get(username="amina")
        for name in ["Drama", "Music", "Poetry"]:
            classroom_student_enrol(classroom=classroom_create(name=name), student=amina)
    after, classes_after = count()
    assert classes_after == classes_before + 3
    assert after == before
