"""Teacher invitations: a school admin invites by email; the link lets the teacher set a
password; links expire, work once, and can be withdrawn."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from rolepermissions.checkers import has_role

from accounts.models import User
from classrooms.models import Classroom
from conftest import client_as
from invitations import services
from invitations.models import Invitation

pytestmark = pytest.mark.django_db
PASSWORD = "a-Long-pass-phrase-42"


@pytest.fixture
def admin_client(greenwood):
    return client_as(greenwood, "admin@greenwood.test")


def _invite(admin_client, email="newteacher@greenwood.test", **extra):
    with schema_context("greenwood"):
        art = Classroom.objects.get(name="Art")
    data = {
        "email": email,
        "first_name": "Nia",
        "last_name": "Okoth",
        "classrooms": [art.pk],
        **extra,
    }
    response = admin_client.post("/admin/invitations/", data)
    return response, art


def _link_from_outbox() -> str:
    return re.search(r"https?://\S+/accounts/invitation/\S+/", mail.outbox[-1].body).group(0)


def test_admin_invites_and_the_teacher_joins_with_the_emailed_link(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response, art = _invite(admin_client)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newteacher@greenwood.test"]
    assert "Greenwood Academy" in mail.outbox[0].subject
    link = _link_from_outbox()
    assert link.startswith("http://greenwood.localhost:8000/accounts/invitation/")
    path = link.split(":8000", 1)[1]

    teacher_client = Client(HTTP_HOST="greenwood.localhost")
    page = teacher_client.get(path)
    assert page.status_code == 200 and b"newteacher@greenwood.test" in page.content
    response = teacher_client.post(
        path,
        {
            "first_name": "Nia",
            "last_name": "Okoth",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert teacher_client.get("/admin/").status_code == 200
    with schema_context("greenwood"):
        user = User.objects.get(email="newteacher@greenwood.test")
        assert has_role(user, "teacher") and user.check_password(PASSWORD)
        assert list(user.teaching.all()) == [art]
    # The link worked once.
    again = Client(HTTP_HOST="greenwood.localhost").get(path)
    assert again.status_code == 410
    assert str(services.ERROR_INVITATION_USED) in again.content.decode().replace("&#x27;", "'")


def test_an_expired_link_says_so_and_creates_nothing(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin_client)
    path = _link_from_outbox().split(":8000", 1)[1]
    with schema_context("greenwood"):
        Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client = Client(HTTP_HOST="greenwood.localhost")
    response = client.post(
        path,
        {"first_name": "N", "last_name": "O", "password": PASSWORD, "password_confirm": PASSWORD},
    )
    assert response.status_code == 410
    html = response.content.decode().replace("&#x27;", "'")
    assert str(services.ERROR_INVITATION_EXPIRED) in html
    with schema_context("greenwood"):
        assert not User.objects.filter(email="newteacher@greenwood.test").exists()


def test_a_new_invitation_withdraws_the_old_link(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin_client)
    first = _link_from_outbox().split(":8000", 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin_client)
    response = Client(HTTP_HOST="greenwood.localhost").get(first)
    assert response.status_code == 410


def test_a_greenwood_link_does_not_work_at_riverside(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin_client)
    path = _link_from_outbox().split(":8000", 1)[1]
    assert Client(HTTP_HOST="riverside.localhost").get(path).status_code == 410


def test_inviting_someone_who_already_has_an_account_is_refused(admin_client):
    response, _ = _invite(admin_client, email="Grace@Greenwood.test")
    assert response.status_code == 200
    assert services.ERROR_INVITE_EMAIL_TAKEN.format(email="grace@greenwood.test") in (
        response.content.decode()
    )
    with schema_context("greenwood"):
        assert not Invitation.objects.exists()


def test_only_school_admins_invite(greenwood):
    client = client_as(greenwood, "grace")
    assert client.get("/admin/invitations/").status_code == 302  # Wagtail's "no permission"
    with schema_context(greenwood.schema_name):
        assert client.post("/admin/invitations/", {"email": "x@y.test"}).status_code == 302
        assert not Invitation.objects.exists()


def test_the_password_must_pass_the_validators(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin_client)
    path = _link_from_outbox().split(":8000", 1)[1]
    response = Client(HTTP_HOST="greenwood.localhost").post(
        path, {"first_name": "N", "last_name": "O", "password": "123", "password_confirm": "123"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    with schema_context("greenwood"):
        assert not User.objects.filter(email="newteacher@greenwood.test").exists()


def test_accepting_after_the_email_got_an_account_says_so_and_creates_nothing(
    admin_client, django_capture_on_commit_callbacks
):
    """Between the invitation and the click, someone made an account with its email: the
    teacher is told what to do (the form's own error, not a server error)."""
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin_client)
    path = _link_from_outbox().split(":8000", 1)[1]
    with schema_context("greenwood"):
        User.objects.create_user(username="nia", email="NewTeacher@greenwood.test")
    response = Client(HTTP_HOST="greenwood.localhost").post(
        path,
        {"first_name": "Nia", "last_name": "O", "password": PASSWORD, "password_confirm": PASSWORD},
    )
    assert response.status_code == 200
    message = services.ERROR_ACCEPT_EMAIL_TAKEN.format(email="newteacher@greenwood.test")
    assert response.context["form"].non_field_errors() == [message]
    assert message in response.content.decode().replace("&#x27;", "'")
    with schema_context("greenwood"):
        assert User.objects.filter(email__iexact="newteacher@greenwood.test").count() == 1
        assert Invitation.objects.get().accepted_at is None
