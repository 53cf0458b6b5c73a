"""Resetting a forgotten password by email: the link leads back to the school it was asked
at, works once, and only there. The email is a task, enqueued once the request commits."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import TestCase
from django.utils.http import urlsafe_base64_decode
from django_tenants.utils import schema_context

from accounts import forms, views
from accounts.models import User
from conftest import client_for
from demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-Pass-phrase-77"
LINK = re.compile(r"https?://\S+/accounts/reset/\S+/")


def request_reset(client, email: str):
    """Ask for a reset, and run what the request enqueued on commit (the email task)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/accounts/password-reset/", {"email": email})


def reset_link() -> str:
    assert len(mail.outbox) == 1
    return LINK.search(mail.outbox[0].body).group(0)


def set_new_password(client, link: str, password: str = NEW_PASSWORD):
    """Follow the emailed link (Django swaps the token for a session value and redirects),
    then post the new password."""
    form_page = client.get(urlsplit(link).path, follow=True)
    assert form_page.context["validlink"], "the link should work"
    return client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )


def test_reset_end_to_end(greenwood_client, greenwood):
    response = request_reset(greenwood_client, "Amina@Greenwood.test")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/done/"

    message = mail.outbox[0]
    assert message.to == ["amina@greenwood.test"]
    assert message.subject == "Reset your Greenwood Academy password"
    assert message.alternatives == []  # plain text only
    assert "Greenwood Academy" in message.body
    link = reset_link()
    assert urlsplit(link).hostname == "greenwood.localhost"

    done = set_new_password(greenwood_client, link)
    assert done.status_code == 302
    assert done["Location"] == "/accounts/reset/done/"
    assert greenwood_client.get(done["Location"]).status_code == 200

    login = greenwood_client.post(
        "/accounts/login/", {"username": "amina@greenwood.test", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    with schema_context(greenwood.schema_name):
        assert User.objects.get(username="amina").check_password(NEW_PASSWORD)


def test_reset_link_keeps_the_port_of_the_request(greenwood):
    request_reset(client_for("greenwood.localhost:8000"), "amina@greenwood.test")
    assert reset_link().startswith("http://greenwood.localhost:8000/accounts/reset/")


def test_reset_link_works_once(greenwood_client):
    request_reset(greenwood_client, "amina@greenwood.test")
    link = reset_link()
    set_new_password(greenwood_client, link)

    again = greenwood_client.get(urlsplit(link).path, follow=True)
    assert again.context["validlink"] is False
    assert str(views.MESSAGE_RESET_LINK_INVALID) in again.content.decode()


def test_the_email_leaves_the_request(greenwood_client, django_capture_on_commit_callbacks):
    """Sent by a task (the worker's, outside tests) once the request's transaction commits:
    the request never waits for the mail server."""
    with django_capture_on_commit_callbacks() as callbacks:
        greenwood_client.post("/accounts/password-reset/", {"email": "amina@greenwood.test"})
    assert mail.outbox == []
    [enqueue] = callbacks
    enqueue()
    [message] = mail.outbox
    assert message.to == ["amina@greenwood.test"] and LINK.search(message.body)


def test_the_wagtail_admins_reset_email_leaves_the_request_too(
    greenwood_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = greenwood_client.post(
            "/admin/password_reset/", {"email": "grace@greenwood.test"}
        )
    assert response.status_code == 302 and mail.outbox == []
    [enqueue] = callbacks
    enqueue()
    [message] = mail.outbox
    assert message.to == ["grace@greenwood.test"]
    assert (
        "greenwood.localhost" in message.body and "/admin/password_reset/confirm/" in message.body
    )


def test_unknown_email_gets_the_same_answer_and_no_mail(greenwood_client):
    known = request_reset(greenwood_client, "amina@greenwood.test")
    mail.outbox.clear()
    unknown = request_reset(greenwood_client, "nobody@greenwood.test")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert mail.outbox == []
    # Nor does another school's person get a mail from here.
    request_reset(greenwood_client, "esther@riverside.test")
    assert mail.outbox == []


def test_reset_form_errors(greenwood_client):
    response = request_reset(greenwood_client, "not-an-email")
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [forms.ERROR_EMAIL_INVALID]


def test_new_passwords_must_match(greenwood_client, greenwood):
    request_reset(greenwood_client, "amina@greenwood.test")
    form_page = greenwood_client.get(urlsplit(reset_link()).path, follow=True)
    response = greenwood_client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"] == [forms.ERROR_PASSWORDS_DIFFERENT]
    with schema_context(greenwood.schema_name):
        assert User.objects.get(username="amina").check_password(DEMO_PASSWORD)


def test_riverside_link_does_not_work_on_greenwood(riverside_client, greenwood_client, greenwood):
    request_reset(riverside_client, "esther@riverside.test")
    link = reset_link()
    assert urlsplit(link).hostname == "riverside.localhost"

    # The same path on greenwood: the user id names someone else there (ids are per school,
    # so it is some greenwood person's), and the token was made for riverside's Esther.
    uid = urlsplit(link).path.split("/")[3]
    with schema_context(greenwood.schema_name):
        assert User.objects.filter(pk=urlsafe_base64_decode(uid).decode()).exists()
    page = greenwood_client.get(urlsplit(link).path, follow=True)
    assert page.context["validlink"] is False
    assert str(views.MESSAGE_RESET_LINK_INVALID) in page.content.decode()
    posted = greenwood_client.post(
        f"/accounts/reset/{uid}/set-password/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert posted.status_code == 200
    with schema_context(greenwood.schema_name):
        assert not any(u.check_password(NEW_PASSWORD) for u in User.objects.all())
