"""Every front-end page, per role, rendered in Kiswahili: no English interface string left
(the one harness: core/tests/i18n_check.py).

The pages are the one list of mediahub/tests/front_pages.py (FRONT_PAGES: every page a person
of each role sees); add a page there. SCHOOL_PAGES and PLATFORM_PAGES hold only what that
list does not: the platform's own pages, the steps of a password reset or an invitation, the
school admin's pages, the API's docs. A path may hold "{work}" (the demo's public work).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django_tenants.utils import schema_context

from conftest import client_as, client_for, user_named
from core.tests.i18n_check import assert_kiswahili, english_left, visible_text
from invitations.services import invitation_create
from media_library.models import MediaPage
from mediahub.tests.front_pages import FRONT_PAGES, front_data_make

pytestmark = pytest.mark.django_db

STUDENT, TEACHER, ADMIN = "amina", "grace", "admin@greenwood.test"
GUARDIAN = "mama.amina@greenwood.test"
SCHOOL_PAGES = [
    # (path, who): pages FRONT_PAGES does not list
    ("/accounts/password-reset/done/", None),
    ("/accounts/reset/AA/not-a-token/", None),
    ("/accounts/reset/done/", None),
    ("/accounts/invitation/not-a-token/", None),
    ("/accounts/profile/", TEACHER),
    ("/accounts/profile/", ADMIN),
    ("/notifications/", ADMIN),
    ("/accounts/profile/", GUARDIAN),
    ("/api/v1/docs/", STUDENT),  # the header around Swagger UI (which is English, as its API is)
]
PLATFORM_PAGES = ["/", "/register/", "/register/sent/", "/register/confirm/not-a-token/"]


def _swahili(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sw"
    return client


@pytest.mark.parametrize("front_page", FRONT_PAGES, ids=lambda page: page.id)
def test_every_front_page_in_kiswahili(greenwood, front_page):
    """Each page of every role (front_pages.FRONT_PAGES), with its data made in the test."""
    path = front_page.path(front_data_make())
    who = front_page.role
    client = _swahili(client_as(greenwood, who) if who else client_for(greenwood))
    response = client.get(path)
    assert response.status_code == front_page.status, (front_page.id, response.status_code)
    assert_kiswahili(response, label=f"{path} as {who or 'visitor'}")


@pytest.mark.parametrize(("path", "who"), SCHOOL_PAGES)
def test_school_pages_in_kiswahili(greenwood, path, who):
    if "{work}" in path:
        with schema_context(greenwood.schema_name):
            path = path.format(work=MediaPage.objects.get(title="Sunset over the lake").pk)
    client = client_as(greenwood, who) if who else client_for(greenwood)
    assert_kiswahili(_swahili(client).get(path), label=f"{path} as {who or 'visitor'}")


@pytest.mark.parametrize("path", PLATFORM_PAGES)
def test_platform_pages_in_kiswahili(platform_client, path):
    assert_kiswahili(_swahili(platform_client).get(path), label=path)


def test_an_invitation_and_form_errors_in_kiswahili(greenwood):
    with schema_context(greenwood.schema_name):
        _invitation, token = invitation_create(
            email="new.teacher@greenwood.test", invited_by=user_named(ADMIN)
        )
    client = _swahili(client_for(greenwood))
    assert_kiswahili(client.get(f"/accounts/invitation/{token}/"), label="invitation")
    errors = client.post(f"/accounts/invitation/{token}/", {"first_name": ""})
    assert_kiswahili(errors, label="invitation, empty form")
    assert "Andika jina lako la kwanza." in errors.content.decode()
    short = {"first_name": "Juma", "last_name": "Ali", "password": "k7#", "password_confirm": "k7#"}
    refused = client.post(f"/accounts/invitation/{token}/", short)
    assert_kiswahili(refused, label="invitation, a password too short")
    assert "Nenosiri hili ni fupi mno. Lazima liwe na angalau herufi 8." in refused.content.decode()
    login = client.post("/accounts/login/", {"username": "amina", "password": "wrong"})
    assert_kiswahili(login, label="a failed sign-in")
    assert "havilingani" in login.content.decode()


def test_the_check_finds_english():
    """The harness itself: English interface text is found, user content and Kiswahili not."""
    page = (
        '<html lang="sw"><head><title>Sign in</title></head><body>'
        '<nav><a href="/">Kazi</a><span translate="no">The Lake and the Sun</span></nav>'
        '<textarea placeholder="Maoni">The lake at dawn</textarea>'
        '<script>var x = "the upload";</script>'
        "<p>Forgot your password?</p><button aria-label='Upload work'>+</button>"
        "<p>Picha ya ziwa</p></body></html>"
    )
    assert visible_text(page) == [
        "Kazi",
        "Maoni",
        "Forgot your password?",
        "Upload work",
        "+",
        "Picha ya ziwa",
    ]
    found = english_left(page)
    assert len(found) == 2
    assert "Forgot your password?" in found[0] and "Upload work" in found[1]
    assert english_left("<p>Kazi zangu</p><p>M-Pesa</p><p>KES 500</p>") == []
    assert english_left("<p>Please wait</p>")  # never in the catalogue, still English


def test_an_email_to_a_kiswahili_speaking_student_is_in_kiswahili(
    greenwood, django_capture_on_commit_callbacks
):
    """The password reset email, asked for from an English page, goes out in the language of
    the account's owner (core.emails)."""
    with schema_context(greenwood.schema_name):
        amina = user_named("amina")
        amina.language = "sw"
        amina.save(update_fields=["language"])
    mail.outbox.clear()
    client = client_for(greenwood)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": amina.email})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "Weka nenosiri jipya la Greenwood Academy"
    assert message.body.startswith("Habari Amina,")
    assert "Kuchagua nenosiri jipya, fungua kiungo hiki" in message.body
    assert not english_left(
        f"<p>{message.subject}</p><pre>{message.body}</pre>".replace("Greenwood Academy", "")
    )


def test_the_profile_tokens_for_apps_in_kiswahili(greenwood):
    """A token made from the profile page (its one-time page), then listed there: Kiswahili,
    with its name (user content) left as it is."""
    client = _swahili(client_as(greenwood, TEACHER))
    made = client.post("/accounts/tokens/new/", {"name": "Phone app", "scope": "read", "days": 30})
    assert made.status_code == 200
    assert_kiswahili(made, label="a new token")
    assert "Tokeni “" in made.content.decode()
    profile = client.get("/accounts/profile/")
    assert "Phone app" in profile.content.decode()
    assert_kiswahili(profile, label="the profile with a token")
    refused = client.post("/accounts/tokens/new/", {"name": "", "scope": "read", "days": 30})
    assert refused.status_code == 400
    assert_kiswahili(refused, label="a token without a name")
