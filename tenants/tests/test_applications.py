"""Registering a school cannot be abused: a registration creates no schema, only an
application; its applicant confirms their email; a platform operator approves it (the school
is created then) or declines it; the applicant is emailed either way; registrations are
throttled per address; until approval the school's host is the same 404 as an unknown one."""

import re
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Permission
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context, schema_exists

from accounts.models import User
from conftest import client_for
from tenants import applications, emails, validators, views
from tenants.models import Domain, School, SchoolApplication

pytestmark = pytest.mark.django_db

Status = SchoolApplication.Status
PASSWORD = "a-Long-pass-phrase-42"
GOOD = {
    "name": "Lakeview High",
    "slug": "lakeview",
    "admin_email": "Head@Lakeview.test",
    "admin_password": PASSWORD,
    "admin_password_confirm": PASSWORD,
}
LINK = re.compile(r"http://localhost:8000/register/confirm/[^/\s]+/")


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {row[0] for row in cursor.fetchall()}


def _register(client, capture, *, address="127.0.0.1", **changes):
    with capture(execute=True):
        return client.post("/register/", {**GOOD, **changes}, REMOTE_ADDR=address)


def _confirm_link(mailoutbox) -> str:
    return LINK.search(mailoutbox[-1].body).group(0)


@pytest.fixture
def operator_client(platform_client):
    platform_client.force_login(User.objects.get(username="operator"))
    return platform_client


def _same_404(host: str) -> tuple[int, bytes]:
    response = client_for(host).get("/")
    return response.status_code, response.content


def test_the_whole_way_from_registering_to_signing_in(
    platform_client, operator_client, mailoutbox, django_capture_on_commit_callbacks
):
    schemas_before = _schemas()
    response = _register(platform_client, django_capture_on_commit_callbacks)

    # Registered: an application, no school, no schema; the host is an unknown one's 404.
    assert response.status_code == 302
    assert response["Location"] == "/register/sent/"
    next_steps = platform_client.get("/register/sent/").content.decode()
    assert "Check your email" in next_steps
    assert "a platform operator reviews your school" in next_steps
    application = SchoolApplication.objects.get(slug="lakeview")
    assert application.status == Status.PENDING_EMAIL
    assert application.admin_email == "head@lakeview.test"
    assert not School.objects.filter(slug="lakeview").exists()
    assert not Domain.objects.filter(domain="lakeview.localhost").exists()
    assert _schemas() == schemas_before
    assert _same_404("lakeview.localhost") == _same_404("nowhere-at-all.localhost")
    assert _same_404("lakeview.localhost")[0] == 404

    # The applicant confirms their email; the operators are told.
    (confirm_email,) = mailoutbox
    assert confirm_email.to == ["head@lakeview.test"]
    assert confirm_email.subject == emails.CONFIRM_SUBJECT.format(
        name="Lakeview High", platform="Media Hub"
    )
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = Client(HTTP_HOST="localhost").get(_confirm_link(mailoutbox))
    assert confirmed.status_code == 200
    assert "Thank you: your email is confirmed" in confirmed.content.decode()
    application.refresh_from_db()
    assert application.status == Status.PENDING_APPROVAL
    assert mailoutbox[-1].to == ["operator@mediahub.test"]
    assert "/admin/tenants/schoolapplication/" in mailoutbox[-1].body
    assert _same_404("lakeview.localhost") == _same_404("nowhere-at-all.localhost")

    # The operator sees it in the platform admin and approves it.
    listing = operator_client.get("/admin/tenants/schoolapplication/")
    assert "Lakeview High" in listing.content.decode()
    page = operator_client.get(f"/admin/tenants/schoolapplication/{application.pk}/change/")
    assert 'name="approve"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        decided = operator_client.post(
            f"/admin/tenants/schoolapplication/{application.pk}/change/", {"approve": "Approve"}
        )
    assert decided.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert application.decided_by == "operator"
    school = School.objects.get(slug="lakeview")
    assert application.school == school
    assert schema_exists("lakeview")

    # The applicant is told where their school is, and signs in there with their password.
    approved = mailoutbox[-1]
    assert approved.to == ["head@lakeview.test"]
    assert "http://lakeview.localhost:8000/" in approved.body
    assert client_for("lakeview.localhost").get("/").status_code == 200
    login_page = client_for("lakeview.localhost").get("/admin/login/?registered=1")
    assert b"Your school is ready" in login_page.content
    school_client = client_for("lakeview.localhost")
    signed_in = school_client.post(
        "/admin/login/", {"username": "head@lakeview.test", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert school_client.get("/admin/").status_code == 200


def test_the_password_is_never_stored_in_plain_text(
    platform_client, django_capture_on_commit_callbacks
):
    _register(platform_client, django_capture_on_commit_callbacks)
    application = SchoolApplication.objects.get(slug="lakeview")
    assert PASSWORD not in application.password_hash
    assert check_password(PASSWORD, application.password_hash)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tenants_schoolapplication")
        assert PASSWORD not in repr(cursor.fetchall())


def _pending_approval(platform_client, capture, mailoutbox, **changes) -> SchoolApplication:
    _register(platform_client, capture, **changes)
    with capture(execute=True):
        Client(HTTP_HOST="localhost").get(_confirm_link(mailoutbox))
    return SchoolApplication.objects.get(slug=changes.get("slug", "lakeview"))


def test_an_operator_declines_with_a_reason_and_the_address_is_free_again(
    platform_client, operator_client, mailoutbox, django_capture_on_commit_callbacks
):
    application = _pending_approval(platform_client, django_capture_on_commit_callbacks, mailoutbox)
    url = f"/admin/tenants/schoolapplication/{application.pk}/change/"

    without_reason = operator_client.post(url, {"decline": "Decline", "reason": " "})
    assert str(applications.DECLINE_ERROR_REASON) in without_reason.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(url, {"decline": "Decline", "reason": "Not a school."})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.DECLINED
    assert application.decline_reason == "Not a school."
    assert not School.objects.filter(slug="lakeview").exists()
    declined = mailoutbox[-1]
    assert declined.to == ["head@lakeview.test"]
    assert "Not a school." in declined.body
    assert _same_404("lakeview.localhost") == _same_404("nowhere-at-all.localhost")
    # Decided once: approving afterwards changes nothing.
    operator_client.post(url, {"approve": "Approve"})
    assert not School.objects.filter(slug="lakeview").exists()
    # The address may be asked for again.
    again = _register(platform_client, django_capture_on_commit_callbacks)
    assert again.status_code == 302


def test_a_confirmation_link_works_once(
    platform_client, mailoutbox, django_capture_on_commit_callbacks
):
    _register(platform_client, django_capture_on_commit_callbacks)
    link = _confirm_link(mailoutbox)
    assert platform_client.get(link).status_code == 200

    again = platform_client.get(link)
    assert again.status_code == 400
    assert str(applications.CONFIRM_ERROR_INVALID) in again.content.decode()


def test_an_expired_or_forged_link_confirms_nothing(
    platform_client, mailoutbox, django_capture_on_commit_callbacks, settings, monkeypatch
):
    _register(platform_client, django_capture_on_commit_callbacks)
    link = _confirm_link(mailoutbox)
    later = timedelta(hours=settings.SCHOOL_APPLICATION_CONFIRM_HOURS, minutes=1)

    with monkeypatch.context() as clock:  # the signature's clock only
        clock.setattr(
            signing, "time", SimpleNamespace(time=lambda: time.time() + later.total_seconds())
        )
        expired = platform_client.get(link)
    forged_token = signing.dumps({"application": 1}, salt="another-salt")
    forged = platform_client.get(f"/register/confirm/{forged_token}/")

    assert expired.status_code == 400
    assert str(applications.CONFIRM_ERROR_EXPIRED) in expired.content.decode()
    assert forged.status_code == 400
    assert str(applications.CONFIRM_ERROR_INVALID) in forged.content.decode()
    assert SchoolApplication.objects.get().status == Status.PENDING_EMAIL


@pytest.fixture
def three_a_day(settings):
    cache.clear()
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "school_register": {"user": "0/1", "address": "3/86400"},
    }
    yield
    cache.clear()


def test_registrations_are_throttled_per_address(
    platform_client, three_a_day, django_capture_on_commit_callbacks
):
    for number in range(3):
        response = _register(
            platform_client,
            django_capture_on_commit_callbacks,
            slug=f"school-{number}",
            address="203.0.113.5",
        )
        assert response.status_code == 302

    refused = _register(
        platform_client,
        django_capture_on_commit_callbacks,
        slug="school-3",
        address="203.0.113.5",
    )
    elsewhere = _register(
        platform_client,
        django_capture_on_commit_callbacks,
        slug="school-4",
        address="198.51.100.7",
    )

    assert refused.status_code == 429
    message = views.REGISTER_THROTTLED.split("{wait}")[0]
    assert message in refused.content.decode()
    assert elsewhere.status_code == 302
    assert sorted(SchoolApplication.objects.values_list("slug", flat=True)) == [
        "school-0",
        "school-1",
        "school-2",
        "school-4",
    ]


def test_mistakes_do_not_count_against_the_limit(
    platform_client, three_a_day, django_capture_on_commit_callbacks
):
    for _ in range(4):
        _register(platform_client, django_capture_on_commit_callbacks, slug="www")
    assert _register(platform_client, django_capture_on_commit_callbacks).status_code == 302


def test_an_address_asked_for_is_held_until_decided(
    platform_client, operator_client, mailoutbox, django_capture_on_commit_callbacks
):
    _register(platform_client, django_capture_on_commit_callbacks)
    message = validators.SLUG_ERROR_REQUESTED.format(slug="lakeview")

    # Neither another applicant nor an operator's "Add school" may take it meanwhile.
    response = _register(
        platform_client, django_capture_on_commit_callbacks, admin_email="other@else.test"
    )
    assert message in response.context["form"].errors["slug"]
    added = operator_client.post("/admin/tenants/school/add/", {**GOOD, "name": "Other"})
    assert added.status_code == 200
    assert not School.objects.filter(slug="lakeview").exists()
    assert SchoolApplication.objects.count() == 1


def test_an_unconfirmed_registration_gives_its_address_back_when_its_link_expires(
    platform_client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    _register(platform_client, django_capture_on_commit_callbacks)
    stale = timedelta(hours=settings.SCHOOL_APPLICATION_CONFIRM_HOURS, minutes=1)
    SchoolApplication.objects.update(created=SchoolApplication.objects.get().created - stale)

    response = _register(
        platform_client, django_capture_on_commit_callbacks, admin_email="new@lakeview.test"
    )

    assert response.status_code == 302
    assert SchoolApplication.objects.get().admin_email == "new@lakeview.test"


def test_pending_schools_are_not_listed(
    platform_client, mailoutbox, django_capture_on_commit_callbacks
):
    _pending_approval(platform_client, django_capture_on_commit_callbacks, mailoutbox)
    assert "Lakeview High" not in platform_client.get("/").content.decode()


def test_operators_create_schools_directly_as_before(operator_client):
    with schema_context("public"):
        count = SchoolApplication.objects.count()
    response = operator_client.post("/admin/tenants/school/add/", {**GOOD, "slug": "direct-school"})
    assert response.status_code == 302
    assert School.objects.filter(slug="direct-school", is_active=True).exists()
    assert SchoolApplication.objects.count() == count


def test_the_forms_say_what_happens_next(platform_client):
    assert (
        "A platform operator reviews your registration"
        in platform_client.get("/register/").content.decode()
    )
    assert "a platform operator reviews the school" in platform_client.get("/").content.decode()


def test_an_unconfirmed_application_cannot_be_approved(
    platform_client, operator_client, mailoutbox, django_capture_on_commit_callbacks
):
    _register(platform_client, django_capture_on_commit_callbacks)
    application = SchoolApplication.objects.get()
    url = f"/admin/tenants/schoolapplication/{application.pk}/change/"

    assert 'name="approve"' not in operator_client.get(url).content.decode()
    response = operator_client.post(url, {"approve": "Approve"}, follow=True)

    assert str(applications.DECISION_ERROR_NOT_PENDING) in response.content.decode()
    assert not School.objects.filter(slug="lakeview").exists()
    application.refresh_from_db()
    assert application.status == Status.PENDING_EMAIL


def test_staff_without_the_change_permission_cannot_decide(
    platform_client, mailoutbox, django_capture_on_commit_callbacks
):
    application = _pending_approval(platform_client, django_capture_on_commit_callbacks, mailoutbox)
    viewer = User.objects.create_user(username="viewer", password=PASSWORD, is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_schoolapplication", content_type__app_label="tenants")
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(viewer)
    url = f"/admin/tenants/schoolapplication/{application.pk}/change/"

    page = client.get(url)
    client.post(url, {"approve": "Approve"})

    assert page.status_code == 200
    assert 'name="approve"' not in page.content.decode()
    application.refresh_from_db()
    assert application.status == Status.PENDING_APPROVAL
    assert not School.objects.filter(slug="lakeview").exists()
