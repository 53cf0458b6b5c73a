"""Privacy operations for school admins: a student's export holds every file of theirs (read
back from storage, local or the fake Cloudinary) and every record; erasing a student leaves
no row that points at them and no stored file of theirs; both are confirmed first and
recorded in the audit log, and nobody but a school admin reaches them."""

import io
import json
import zipfile
from pathlib import Path

import pytest
import requests
from axes.models import AccessAttempt, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models
from django.utils.html import escape
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry, Page, PageLogEntry
from wagtail.search.models import IndexEntry

from accounts.models import User
from accounts.roles import STUDENT
from accounts.services import user_build, user_save
from accounts.tests.factories import PASSWORD
from classrooms.models import Classroom
from classrooms.services import classroom_student_enrol
from conftest import client_as, client_for, user_named
from invitations.models import Invitation
from media_library import services
from media_library import storage as storage_module
from media_library.models import MediaPage, SchoolDocument, SchoolImage, SchoolMedia
from media_library.tests import av_samples, samples
from media_library.tests.conftest import fake_cloudinary, fake_cloudinary_server  # noqa: F401
from privacy import services as privacy_services
from privacy import views as privacy_views

pytestmark = pytest.mark.django_db

ADMIN = "admin@greenwood.test"
EMAIL = "zara@greenwood.test"


def _student() -> User:
    """A new student of Art, in the school's schema (the demo's people stay as seeded)."""
    user = user_build(email=EMAIL, first_name="Zara", last_name="Quill")
    user = user_save(user=user, password=PASSWORD, role=STUDENT)
    classroom_student_enrol(classroom=Classroom.objects.get(name="Art"), student=user)
    return user


def _work(student) -> dict[str, MediaPage]:
    """Work in every state, and a published picture whose new file awaits approval (two
    stored files for one page)."""
    art = Classroom.objects.get(name="Art")

    def upload(title, data, name):
        return services.media_upload(
            classroom=art,
            uploaded_by=student,
            file=samples.uploaded(data, name),
            title=title,
            tags=["zq"],
        )

    grace = user_named("grace")
    published = upload("Zara's kite", samples.png(), "kite.png")
    published.current_workflow_state.current_task_state.approve(user=grace)
    rejected = upload("Zara's essay", samples.pdf(), "essay.pdf")
    rejected.current_workflow_state.current_task_state.reject(user=grace, comment="Cite it.")
    pending = upload("Zara's song", av_samples.recording("mp3"), "song.mp3")
    changed = upload("Zara's tree", samples.png(width=20, height=10), "tree.png")
    changed.current_workflow_state.current_task_state.approve(user=grace)
    services.media_update(
        page=MediaPage.objects.get(pk=changed.pk),
        user=student,
        title="Zara's tree",
        description="Greener",
        tags=["zq"],
        visibility="class",
        file=samples.uploaded(samples.jpeg(), "tree2.jpg"),
    )
    return {"published": published, "rejected": rejected, "pending": pending, "changed": changed}


def _stored_assets(student) -> list:
    return [
        asset
        for model in (SchoolImage, SchoolDocument, SchoolMedia)
        for asset in model.objects.filter(uploaded_by_user=student)
    ]


def _local(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "greenwood" / name


@pytest.fixture
def zara(school):
    student = _student()
    return student, _work(student)


def _export_through_the_admin(greenwood, student) -> zipfile.ZipFile:
    client = client_as(greenwood, ADMIN)
    url = f"/admin/privacy/{student.pk}/export/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Yes, download the data" in confirm.content.decode()
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


# --- Export ------------------------------------------------------------------------------------
def test_export_holds_every_file_and_record(greenwood, zara):
    student, work = zara
    with schema_context("greenwood"):
        assets = _stored_assets(student)
        expected_files = {asset.file.name: _local(asset.file.name).read_bytes() for asset in assets}
        own_pages = set(Page.objects.filter(owner=student).values_list("pk", flat=True))
    assert len(expected_files) == 5  # four uploads and one replacement

    archive = _export_through_the_admin(greenwood, student)

    records = json.loads(archive.read("records.json"))
    media = [name for name in archive.namelist() if name.startswith("media/")]
    assert len(media) == 5
    contents = sorted(archive.read(name) for name in media)
    assert contents == sorted(expected_files.values())
    assert {page["id"] for page in records["pages"]} == own_pages
    assert records["account"]["email"] == EMAIL and "password" not in records["account"]
    assert records["account"]["role"] == STUDENT
    assert [e["class"] for e in records["enrolments"]] == ["Art (Form 2)"]
    by_title = {page["title"]: page for page in records["pages"]}
    assert by_title["Zara's essay"]["status"] == "changes_requested"
    assert by_title["Zara's essay"]["moderation"][0]["comment"] == "Cite it."
    with schema_context("greenwood"):
        assert (
            by_title["Zara's essay"]["moderation"][0]["by"] == user_named("grace").get_full_name()
        )
    assert by_title["Zara's song"]["status"] == "awaiting_approval"
    assert by_title["Zara's kite"]["status"] == "published"
    assert by_title["Zara's kite"]["tags"] == ["zq"]
    assert by_title["Zara's kite"]["file"] in archive.namelist()
    assert len(by_title["Zara's tree"]["revisions"]) == 2
    assert {f["path"] for f in records["files"]} == set(media)
    with schema_context("greenwood"):
        entry = ModelLogEntry.objects.get(
            action=privacy_services.EXPORT_ACTION, object_id=str(student.pk)
        )
        assert entry.user == user_named(ADMIN) and entry.label == f"Student #{student.pk}"


def test_export_reads_files_back_from_cloudinary(greenwood, fake_cloudinary, settings, monkeypatch):  # noqa: F811
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "media_library.storage.CloudinaryStorage"},
    }
    real_get = requests.get
    # The fake stands in for the delivery CDN too (res.cloudinary.com is never reached).
    monkeypatch.setattr(
        storage_module.requests,
        "get",
        lambda url, **kwargs: real_get(fake_cloudinary.delivery_url_to_local(url), **kwargs),
    )
    with schema_context("greenwood"):
        student = _student()
        _work(student)
        archive_file = privacy_services.student_export(student=student, user=user_named(ADMIN))
    archive = zipfile.ZipFile(archive_file)
    media = sorted(archive.read(n) for n in archive.namelist() if n.startswith("media/"))
    stored = sorted(asset.data for asset in fake_cloudinary.stored.values())
    assert len(stored) == 5 and media == stored


# --- Erase -------------------------------------------------------------------------------------
def _rows_pointing_at(user_id: int) -> list[str]:
    """Every row of the school that refers to the user: foreign keys to User (cascade or not,
    constrained or not, as the log entries' are not)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.abstract or model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.ForeignKey)
                and field.related_model is User
                and model._default_manager.filter(**{field.attname: user_id}).exists()
            ):
                found.append(f"{model._meta.label}.{field.name}")
    return found


def _sessions_of(user_id: int) -> int:
    return sum(
        1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user_id)
    )


def test_erase_leaves_no_row_and_no_file(greenwood, zara, django_capture_on_commit_callbacks):
    student, work = zara
    with schema_context("greenwood"):
        files = [_local(asset.file.name) for asset in _stored_assets(student)]
        picture = SchoolImage.objects.get(pk=work["published"].image_id)
        rendition = picture.get_rendition("fill-80x60")
        files.append(_local(rendition.file.name))
        pages = list(Page.objects.filter(owner=student).values_list("pk", flat=True))
        assert IndexEntry.objects.filter(title__icontains="zara").exists()
        AccessAttempt.objects.create(username=EMAIL, ip_address="10.0.0.1", failures_since_start=2)
        AccessLog.objects.create(username=EMAIL, ip_address="10.0.0.1")
        Invitation.objects.create(
            email=EMAIL.upper(), token_hash="x" * 64, expires_at="2030-01-01T00:00Z"
        )
    assert all(path.exists() for path in files) and len(files) == 6
    students_session = client_as(greenwood, EMAIL)
    assert students_session.get("/my-media/").status_code == 200
    with schema_context("greenwood"):
        assert _sessions_of(student.pk) == 1 and _rows_pointing_at(student.pk)
    admin = client_as(greenwood, ADMIN)
    url = f"/admin/privacy/{student.pk}/erase/"
    assert "Yes, erase the student" in admin.get(url).content.decode()

    wrong = admin.post(url, {"confirmation": "zara"})  # neither the username nor the email
    assert wrong.status_code == 200
    assert escape(str(privacy_services.ERROR_CONFIRMATION)) in wrong.content.decode()
    with schema_context("greenwood"):
        assert User.objects.filter(pk=student.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url, {"confirmation": f" {EMAIL.upper()} "})

    assert response.status_code == 302 and response["Location"] == "/admin/privacy/"
    shown = admin.get("/admin/privacy/").content.decode()
    assert (
        escape(
            privacy_views.MESSAGE_ERASED.format(label=f"Student #{student.pk}", pages=4, files=5)
        )
        in shown
    )
    assert not [path for path in files if path.exists()]
    with schema_context("greenwood"):
        assert not User.objects.filter(pk=student.pk).exists()
        assert _rows_pointing_at(student.pk) == []
        assert not Page.objects.filter(pk__in=pages).exists()
        assert not PageLogEntry.objects.filter(page_id__in=pages).exists()
        assert not IndexEntry.objects.filter(title__icontains="zara").exists()  # search index
        assert not SchoolImage.objects.filter(pk=picture.pk).exists()
        assert _sessions_of(student.pk) == 0
        assert not AccessAttempt.objects.filter(username__iexact=EMAIL).exists()
        assert not AccessLog.objects.filter(username__iexact=EMAIL).exists()
        assert not Invitation.objects.filter(email__iexact=EMAIL).exists()
        for model in (PageLogEntry, ModelLogEntry):
            assert not model.objects.filter(label__icontains="zara").exists()
        entry = ModelLogEntry.objects.get(
            action=privacy_services.ERASE_ACTION, object_id=str(student.pk)
        )
        assert entry.user == user_named(ADMIN) and entry.label == f"Student #{student.pk}"
        assert entry.data == {"pages": 4, "files": 5}
    assert students_session.get("/my-media/").status_code == 302  # signed out
    history = admin.get("/admin/reports/site-history/").content.decode()
    assert f"Student #{student.pk}" in history and "Erased the student" in history


def test_erase_destroys_the_files_on_cloudinary(
    greenwood,
    fake_cloudinary,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "media_library.storage.CloudinaryStorage"},
    }
    with schema_context("greenwood"):
        student = _student()
        _work(student)
        assert len(fake_cloudinary.stored) == 5
        with django_capture_on_commit_callbacks(execute=True):
            privacy_services.student_erase(
                student=student, user=user_named(ADMIN), confirmation=EMAIL
            )
    assert fake_cloudinary.stored == {}


def test_only_students_are_exported_or_erased(school):
    with pytest.raises(Exception, match="Only students"):
        privacy_services.student_erase(
            student=user_named("grace"), user=user_named(ADMIN), confirmation="grace"
        )
    assert User.objects.filter(username=user_named("grace").username).exists()


# --- Who reaches it ----------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["grace", "peter", "amina"])
def test_only_school_admins_reach_privacy(greenwood, who):
    with schema_context("greenwood"):
        student = user_named("brian")
    client = client_as(greenwood, who)
    for path in ("/admin/privacy/", f"/admin/privacy/{student.pk}/export/"):
        assert client.get(path).status_code == 302  # Wagtail's "no permission"
    erase = f"/admin/privacy/{student.pk}/erase/"
    assert client.get(erase).status_code == 302
    response = client.post(erase, {"confirmation": "brian@greenwood.test"})
    assert response.status_code == 302
    export = client.post(f"/admin/privacy/{student.pk}/export/")
    assert export.status_code == 302 and not export.get("Content-Disposition")
    with schema_context("greenwood"):
        assert User.objects.filter(pk=student.pk).exists()
        assert not ModelLogEntry.objects.filter(
            action__in=[privacy_services.EXPORT_ACTION, privacy_services.ERASE_ACTION]
        ).exists()
    assert "/admin/privacy/" not in client.get("/admin/").content.decode()
    assert client_for(greenwood).get("/admin/privacy/").status_code == 302


def test_a_teacher_is_not_a_student_here(greenwood):
    with schema_context("greenwood"):
        grace = user_named("grace")
    admin = client_as(greenwood, ADMIN)
    assert admin.get(f"/admin/privacy/{grace.pk}/erase/").status_code == 404
    assert admin.post(f"/admin/privacy/{grace.pk}/export/").status_code == 404


def test_admins_find_students_and_reach_privacy_from_users(greenwood):
    admin = client_as(greenwood, ADMIN)
    with schema_context("greenwood"):
        brian, grace = user_named("brian"), user_named("grace")
    listing = admin.get("/admin/privacy/?q=brian").content.decode()
    assert f"/admin/privacy/{brian.pk}/erase/" in listing
    assert f"/admin/privacy/{grace.pk}/" not in admin.get("/admin/privacy/").content.decode()
    users = admin.get("/admin/users/").content.decode()
    assert f"/admin/privacy/{brian.pk}/export/" in users
    assert f"/admin/privacy/{grace.pk}/export/" not in users
    assert "/admin/privacy/" in admin.get("/admin/").content.decode()
