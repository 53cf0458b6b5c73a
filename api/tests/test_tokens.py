"""Personal access tokens: stored only as a hash, refused once expired or revoked or when
their person is deactivated, scoped, marked as used, worthless on another school's host, and
never a session (nor a session a token); made and revoked on the profile page, seen and
revoked by the school's admins, made by `manage.py api_token_create`."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from api import services
from api.models import AccessToken
from api.tests.helpers import api_client, token_for
from classrooms.models import Classroom
from conftest import client_as, client_for, user_named
from media_library.models import MediaPage
from media_library.tests import samples

pytestmark = pytest.mark.django_db


def _row(school, token: str) -> AccessToken:
    with schema_context(school.schema_name):
        return AccessToken.objects.select_related("user").get(prefix=token.split("_")[1])


def test_only_a_hash_of_the_token_is_kept(greenwood):
    token = token_for(greenwood, "amina")
    row = _row(greenwood, token)
    assert token.startswith("mh_") and len(token) > 40
    assert row.digest != token and token not in row.digest and row.digest.isalnum()
    secret = token.split("_", 2)[2]
    with schema_context(greenwood.schema_name):
        assert not AccessToken.objects.filter(digest__contains=secret).exists()


def test_a_valid_token_answers_and_marks_its_last_use(greenwood):
    token = token_for(greenwood, "amina")
    assert _row(greenwood, token).last_used_at is None

    response = api_client(greenwood, token).get("/api/v1/")

    assert response.status_code == 200
    assert response.json()["user"] == "amina"
    used = _row(greenwood, token).last_used_at
    assert used is not None and timezone.now() - used < timedelta(seconds=30)
    assert response["Cache-Control"] == "private, no-store"
    assert "X-Page-Cache" not in response


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer nonsense", "Token {token}", "Bearer {token}x", "Basic {token}"],
)
def test_without_a_valid_token_the_api_answers_401(greenwood, header):
    token = token_for(greenwood, "amina")
    client = client_for(greenwood)
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header.format(token=token)}

    response = client.get("/api/v1/works/", **extra)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert list(response.json()["errors"]) == ["__all__"]


def test_a_wrong_secret_with_a_real_prefix_is_refused(greenwood):
    token = token_for(greenwood, "amina")
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert api_client(greenwood, forged).get("/api/v1/").status_code == 401
    assert _row(greenwood, token).last_used_at is None


def test_an_expired_token_is_refused(greenwood):
    token = token_for(greenwood, "amina")
    with schema_context(greenwood.schema_name):
        AccessToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_client(greenwood, token).get("/api/v1/").status_code == 401


def test_a_revoked_token_is_refused_at_once(greenwood):
    token = token_for(greenwood, "amina")
    client = api_client(greenwood, token)
    assert client.get("/api/v1/").status_code == 200
    with schema_context(greenwood.schema_name):
        services.token_revoke(token=_row(greenwood, token))
    assert client.get("/api/v1/").status_code == 401


def test_a_deactivated_persons_token_is_refused(greenwood):
    token = token_for(greenwood, "amina")
    with schema_context(greenwood.schema_name):
        user = user_named("amina")
        user.is_active = False
        user.save()
    assert api_client(greenwood, token).get("/api/v1/").status_code == 401


def test_a_token_of_one_school_is_worthless_on_anothers_host(greenwood, riverside):
    token = token_for(greenwood, "admin@greenwood.test", "review")
    from api.urls import ENDPOINTS

    for method, path, _scope, _what in ENDPOINTS:
        url = "/api/v1/" + path.replace("{id}", "1")
        response = api_client(riverside, token).generic(method, url)
        assert response.status_code == 401, (method, url)
    assert _row(greenwood, token).last_used_at is None


def test_a_session_is_not_a_token(greenwood):
    """Signed in on the site, without a token: the API answers 401 (it reads no cookie)."""
    client = client_as(greenwood, "amina")
    assert client.get("/accounts/profile/").status_code == 200
    assert client.get("/api/v1/").status_code == 401
    assert client.post("/api/v1/me/works/").status_code == 401


def test_a_token_needs_no_csrf_token_and_sets_no_cookie(greenwood):
    token = token_for(greenwood, "amina", "upload")
    client = Client(enforce_csrf_checks=True, HTTP_HOST="greenwood.localhost")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    response = client.post("/api/v1/me/works/", {"title": "No file"})

    assert response.status_code == 400  # the form's answer, not CSRF's 403
    assert "file" in response.json()["errors"]
    assert not response.cookies


def test_a_read_token_cannot_upload_edit_delete_or_review(greenwood):
    token = token_for(greenwood, "amina", "read")
    client = api_client(greenwood, token)
    with schema_context(greenwood.schema_name):
        own = MediaPage.objects.get(title="Sunset over the lake").pk
        art = Classroom.objects.get(name="Art").pk
        pages = MediaPage.objects.count()
    photo = samples.uploaded(samples.jpeg(), "photo.jpg", "image/jpeg")

    upload = client.post("/api/v1/me/works/", {"file": photo, "title": "Hi", "classroom": art})
    edit = client.post(f"/api/v1/me/works/{own}/", {"title": "Changed"})
    delete = client.delete(f"/api/v1/me/works/{own}/")

    for response in (upload, edit, delete):
        assert response.status_code == 403
        assert "insufficient_scope" in response["WWW-Authenticate"]
    with schema_context(greenwood.schema_name):
        assert MediaPage.objects.count() == pages
        assert MediaPage.objects.get(pk=own).title == "Sunset over the lake"


def test_an_upload_token_cannot_review_and_a_student_cannot_make_a_review_token(greenwood):
    token = token_for(greenwood, "grace", "upload")
    assert api_client(greenwood, token).get("/api/v1/review/").status_code == 403
    with schema_context(greenwood.schema_name), pytest.raises(services.ValidationError) as error:
        services.token_create(user=user_named("amina"), name="x", scope="review")
    assert error.value.message_dict == {"scope": [str(services.ERROR_REVIEW_SCOPE)]}


def test_the_command_makes_a_token_printed_once(greenwood, riverside):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "api_token_create",
        "--school=greenwood",
        "--user=amina@greenwood.test",
        "--scope=upload",
        "--days=7",
        stdout=out,
        stderr=err,
    )
    token = out.getvalue().strip()
    row = _row(greenwood, token)
    assert row.scope == "upload" and row.user.username == "amina"
    assert timedelta(days=6) < row.expires_at - timezone.now() <= timedelta(days=7)
    assert api_client(greenwood, token).get("/api/v1/me/works/").status_code == 200
    assert api_client(riverside, token).get("/api/v1/me/works/").status_code == 401


def test_the_profile_page_makes_a_token_shown_once_and_revokes_it(greenwood):
    client = client_as(greenwood, "amina")
    profile = client.get("/accounts/profile/")
    assert b"Tokens for apps" in profile.content
    assert b'value="review"' not in profile.content  # a student: no review scope offered

    made = client.post("/accounts/tokens/new/", {"name": "Phone", "scope": "upload", "days": 30})

    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    token = made.context["token"]
    assert token.encode() in made.content
    assert token.encode() not in client.get("/accounts/profile/").content  # never again
    assert api_client(greenwood, token).get("/api/v1/").status_code == 200
    row = _row(greenwood, token)

    revoked = client.post(f"/accounts/tokens/{row.pk}/revoke/")

    assert revoked.status_code == 302
    assert api_client(greenwood, token).get("/api/v1/").status_code == 401


def test_the_profile_form_says_what_is_missing(greenwood):
    client = client_as(greenwood, "amina")
    response = client.post("/accounts/tokens/new/", {"name": " ", "scope": "review", "days": 30})
    assert response.status_code == 400
    assert str(services.ERROR_NAME_REQUIRED).encode() in response.content
    with schema_context(greenwood.schema_name):
        assert not AccessToken.objects.exists()


def test_no_one_revokes_anothers_token_from_the_profile(greenwood):
    token = token_for(greenwood, "brian")
    row = _row(greenwood, token)
    response = client_as(greenwood, "amina").post(f"/accounts/tokens/{row.pk}/revoke/")
    assert response.status_code == 404
    assert api_client(greenwood, token).get("/api/v1/").status_code == 200


def test_a_school_admin_sees_and_revokes_every_token_of_the_school(greenwood):
    token = token_for(greenwood, "brian")
    row = _row(greenwood, token)
    admin = client_as(greenwood, "admin@greenwood.test")

    page = admin.get("/admin/api-tokens/")

    assert page.status_code == 200
    assert f"mh_{row.prefix}_".encode() in page.content and token.encode() not in page.content
    assert admin.post(f"/admin/api-tokens/{row.pk}/revoke/").status_code == 302
    assert api_client(greenwood, token).get("/api/v1/").status_code == 401


@pytest.mark.parametrize("login", ["grace", "amina", "mama.amina@greenwood.test"])
def test_only_school_admins_see_the_schools_tokens(greenwood, login):
    token = token_for(greenwood, "brian")
    row = _row(greenwood, token)
    client = client_as(greenwood, login)
    assert client.get("/admin/api-tokens/").status_code == 302
    assert client.post(f"/admin/api-tokens/{row.pk}/revoke/").status_code == 302
    assert api_client(greenwood, token).get("/api/v1/").status_code == 200
