"""The audit log (Wagtail's log entries) says who submitted, resubmitted, approved, rejected
(with the comment) and deleted what, whether it happened on the school's site or in the
Wagtail admin; and the school's public switch is a setting only school admins change."""

import pytest
from django.urls import reverse
from django_tenants.utils import schema_context
from wagtail.models import PageLogEntry, Site

from classrooms.models import Classroom
from conftest import client_as, user_named
from media_library.models import MediaPage, SchoolMediaSettings
from media_library.tests import samples

pytestmark = pytest.mark.django_db


def _entries(page_id) -> list[tuple[str, str | None]]:
    """(action, username) of the page's log entries, oldest first."""
    with schema_context("greenwood"):
        entries = PageLogEntry.objects.filter(page_id=page_id).order_by("timestamp", "pk")
        return [(e.action, e.user.username if e.user else None) for e in entries]


def _upload_through_the_site(greenwood, title="Kite") -> MediaPage:
    with schema_context("greenwood"):
        art = Classroom.objects.get(name="Art")
    response = client_as(greenwood, "amina").post(
        "/upload/",
        {
            "classroom": art.pk,
            "title": title,
            "description": "",
            "tags": "",
            "visibility": "class",
            "file": samples.uploaded(samples.png(), "kite.png"),
        },
    )
    assert response.status_code == 302, response.content
    with schema_context("greenwood"):
        return MediaPage.objects.get(title=title)


def _task_state_id(page) -> int:
    with schema_context("greenwood"):
        return MediaPage.objects.get(pk=page.pk).current_workflow_state.current_task_state_id


def _admin_action(greenwood, who, page, action, comment=""):
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, action, _task_state_id(page)]
    )
    response = client_as(greenwood, who).post(url, {"comment": comment} if comment else {})
    assert response.status_code == 302


def test_submit_reject_resubmit_approve_on_site_and_in_the_admin(greenwood):
    page = _upload_through_the_site(greenwood)
    _admin_action(greenwood, "grace", page, "reject", comment="Show the whole kite.")
    response = client_as(greenwood, "amina").post(
        f"/work/{page.pk}/edit/",
        {"title": "Kite", "description": "Whole", "tags": "", "visibility": "class"},
    )
    assert response.status_code == 302
    _admin_action(greenwood, "grace", page, "approve")

    amina, grace = _username("amina"), _username("grace")
    assert _entries(page.pk) == [
        ("wagtail.create", amina),
        ("wagtail.workflow.start", amina),
        ("wagtail.workflow.reject", grace),
        ("wagtail.workflow.resume", amina),  # the site's resubmission
        ("wagtail.workflow.approve", grace),
        ("wagtail.publish", grace),
    ]
    with schema_context("greenwood"):
        reject = PageLogEntry.objects.get(page_id=page.pk, action="wagtail.workflow.reject")
        assert reject.data["comment"] == "Show the whole kite."


def _username(login) -> str:
    with schema_context("greenwood"):
        return user_named(login).username


def test_reject_in_code_is_logged_with_its_reviewer_and_comment(school):
    from media_library import services

    page = services.media_upload(
        classroom=Classroom.objects.get(name="Art"),
        uploaded_by=user_named("brian"),
        file=samples.uploaded(samples.png(), "b.png"),
        title="Boat",
    )
    page.current_workflow_state.current_task_state.reject(
        user=user_named("grace"), comment="Too dark."
    )
    entry = PageLogEntry.objects.get(page_id=page.pk, action="wagtail.workflow.reject")
    assert entry.user == user_named("grace") and entry.data["comment"] == "Too dark."
    assert entry.label == "Boat"


def test_deleting_on_the_site_is_logged_with_the_owner(greenwood):
    page = _upload_through_the_site(greenwood, title="Gone")
    response = client_as(greenwood, "amina").post(f"/work/{page.pk}/delete/")
    assert response.status_code == 302
    with schema_context("greenwood"):
        entry = PageLogEntry.objects.get(page_id=page.pk, action="wagtail.delete")
        assert entry.user == user_named("amina") and entry.label == "Gone" and entry.deleted


def test_trusted_class_publication_is_logged_with_the_student(school):
    from media_library import services

    art = Classroom.objects.get(name="Art")
    art.is_trusted = True
    art.save()
    page = services.media_upload(
        classroom=art,
        uploaded_by=user_named("cynthia"),
        file=samples.uploaded(samples.png(), "c.png"),
        title="Cloud",
    )
    entry = PageLogEntry.objects.get(page_id=page.pk, action="wagtail.publish")
    assert entry.user == user_named("cynthia")


def test_the_site_history_report_shows_the_entries_to_school_admins(greenwood):
    page = _upload_through_the_site(greenwood, title="Reported")
    _admin_action(greenwood, "grace", page, "reject", comment="Again, please.")
    response = client_as(greenwood, "admin@greenwood.test").get("/admin/reports/site-history/")
    html = response.content.decode()
    assert response.status_code == 200 and "Reported" in html and "Workflow: reject" in html


# --- The public switch: Settings > Media sharing ----------------------------------------------
def _settings_url(greenwood) -> str:
    with schema_context("greenwood"):
        site = Site.objects.get(is_default_site=True)
    return f"/admin/settings/media_library/schoolmediasettings/{site.pk}/"


def _allow_public() -> bool:
    with schema_context("greenwood"):
        return SchoolMediaSettings.for_site(Site.objects.get(is_default_site=True)).allow_public


def test_school_admins_switch_public_sharing_off_in_settings(greenwood):
    client = client_as(greenwood, "admin@greenwood.test")
    url = _settings_url(greenwood)
    assert client.get(url).status_code == 200
    assert "Media sharing" in client.get("/admin/").content.decode()

    response = client.post(url, {})  # an unticked checkbox: allow_public off

    assert response.status_code == 302
    assert _allow_public() is False


@pytest.mark.parametrize("who", ["grace", "peter"])
def test_teachers_cannot_change_the_setting(greenwood, who):
    client = client_as(greenwood, who)
    url = _settings_url(greenwood)
    assert client.get(url).status_code == 302  # Wagtail's "no permission"
    client.post(url, {})
    assert _allow_public() is True
    assert url not in client.get("/admin/").content.decode()


def test_students_cannot_reach_the_setting(greenwood):
    client = client_as(greenwood, "amina")
    url = _settings_url(greenwood)
    assert client.get(url).status_code == 302
    client.post(url, {})
    assert _allow_public() is True
