"""Uploading a submission on local storage: each kind lands in the class's collection under a
path that starts with the school's schema; photos lose their location data; a refused or
failed upload leaves no page, no asset row and no stored file. Editing: only the owner, and
only while still in the work's class (and the class is not archived)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django_tenants.utils import schema_context
from PIL import Image

from accounts.models import User
from classrooms.models import Classroom
from classrooms.services import classroom_archive, classroom_student_remove, classroom_trust_set
from media_library import permissions, services, validation
from media_library.models import MediaPage, SchoolDocument, SchoolImage, SchoolMedia
from media_library.tests import av_samples, samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def art(greenwood):
    with schema_context(greenwood.schema_name):
        yield Classroom.objects.select_related("page", "collection").get(name="Art")


@pytest.fixture
def amina(art):
    return User.objects.get(username="amina")


def _stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()}


def _counts():
    return tuple(
        model.objects.count() for model in (MediaPage, SchoolImage, SchoolDocument, SchoolMedia)
    )


@pytest.mark.parametrize(
    ("data", "name", "kind", "model"),
    [
        (samples.jpeg(exif_gps=True), "beach.jpg", "image", SchoolImage),
        (av_samples.recording("mp4"), "clip.mp4", "video", SchoolMedia),
        (av_samples.recording("m4a"), "song.m4a", "audio", SchoolMedia),
        (samples.pdf(), "essay.pdf", "document", SchoolDocument),
    ],
)
def test_each_kind_is_stored_in_the_class_collection_as_a_draft_page(
    art, amina, data, name, kind, model
):
    page = services.media_upload(
        classroom=art,
        uploaded_by=amina,
        file=samples.uploaded(data, name),
        title="My work",
        description="Made in class",
        tags=["summer", "sea"],
    )

    page = MediaPage.objects.get(pk=page.pk)
    assert page.kind == kind and not page.live and page.owner == amina
    assert page.get_parent().pk == art.page_id and page.visibility == "class"
    assert sorted(page.tags.names()) == ["sea", "summer"]
    assert page.get_latest_revision() is not None
    asset = page.asset
    assert isinstance(asset, model)
    assert asset.collection_id == art.collection_id and asset.uploaded_by_user == amina
    stored = Path(asset.file.path)
    assert stored.exists()
    assert stored.relative_to(Path(settings.MEDIA_ROOT)).parts[0] == "greenwood"
    if kind in ("video", "audio"):
        assert asset.type == kind


def test_photos_lose_their_location_and_keep_their_orientation(art, amina):
    data = samples.jpeg(width=40, height=20, exif_gps=True, orientation=6)
    page = services.media_upload(
        classroom=art, uploaded_by=amina, file=samples.uploaded(data, "p.jpg"), title="Photo"
    )
    image = page.image
    with Image.open(image.file.path) as stored:
        assert stored.size == (20, 40) == (image.width, image.height)
        exif = stored.getexif()
        assert not exif.get_ifd(0x8825)  # no GPS
        assert 0x0112 not in exif  # no orientation left to apply twice


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (samples.svg(), "drawing.svg", str(validation.ERROR_SVG)),
        (samples.html(), "page.jpg", str(validation.ERROR_HTML)),
        (samples.exe(), "game.exe", str(validation.ERROR_EXECUTABLE)),
        (b"", "empty.jpg", str(validation.ERROR_EMPTY)),
    ],
)
def test_a_refused_file_leaves_nothing_behind(art, amina, data, name, message):
    before, files = _counts(), _stored_files()
    with pytest.raises(ValidationError) as caught:
        services.media_upload(
            classroom=art, uploaded_by=amina, file=samples.uploaded(data, name), title="X"
        )
    assert any(message.split("{")[0][:30] in m for m in caught.value.message_dict["file"])
    assert _counts() == before and _stored_files() == files


def test_a_failure_after_storing_removes_the_stored_file(art, amina, monkeypatch):
    before, files = _counts(), _stored_files()

    def fail(*args, **kwargs):
        raise RuntimeError("the page tree is locked")

    monkeypatch.setattr(type(art.page), "add_child", fail)
    with pytest.raises(RuntimeError):
        services.media_upload(
            classroom=art,
            uploaded_by=amina,
            file=samples.uploaded(samples.png(), "a.png"),
            title="X",
        )
    assert _counts() == before and _stored_files() == files


def test_only_members_upload_to_a_class(art):
    david = User.objects.get(username="david")  # Media Studies only
    with pytest.raises(PermissionDenied):
        services.media_upload(
            classroom=art,
            uploaded_by=david,
            file=samples.uploaded(samples.png(), "a.png"),
            title="X",
        )


def test_delete_removes_page_asset_and_stored_file(art, amina, django_capture_on_commit_callbacks):
    page = services.media_upload(
        classroom=art, uploaded_by=amina, file=samples.uploaded(samples.png(), "a.png"), title="X"
    )
    path = Path(page.image.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.media_delete(page=page)
    assert not MediaPage.objects.filter(pk=page.pk).exists()
    assert not SchoolImage.objects.filter(pk=page.image_id).exists()
    assert not path.exists()


def _upload(art, amina, data=None, name="a.png"):
    return services.media_upload(
        classroom=art,
        uploaded_by=amina,
        file=samples.uploaded(data or samples.png(), name),
        title="First title",
    )


def test_editing_a_draft_updates_it(art, amina):
    page = _upload(art, amina)
    page = services.media_update(
        page=page,
        user=amina,
        title="Better title",
        description="Now with words",
        tags=["art"],
        visibility="school",
    )
    assert (page.title, page.description, page.visibility) == (
        "Better title",
        "Now with words",
        "school",
    )
    assert list(page.tags.names()) == ["art"]


def test_replacing_a_drafts_file_removes_the_old_one(
    art, amina, django_capture_on_commit_callbacks
):
    page = _upload(art, amina)
    old_path = Path(page.image.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        page = services.media_update(
            page=page,
            user=amina,
            title="X",
            description="",
            tags=[],
            visibility="class",
            file=samples.uploaded(samples.jpeg(), "new.jpg"),
        )
    assert page.image.file.name.endswith(".jpg") and Path(page.image.file.path).exists()
    assert not old_path.exists()


def test_editing_published_work_keeps_the_approved_version_live(art, amina):
    page = _upload(art, amina)
    page.get_latest_revision().publish()
    page.refresh_from_db()
    live_image = page.image
    page = services.media_update(
        page=page,
        user=amina,
        title="Changed",
        description="",
        tags=[],
        visibility="class",
        file=samples.uploaded(samples.jpeg(), "new.jpg"),
    )
    assert page.live and page.title == "First title" and page.image == live_image
    assert page.has_unpublished_changes
    draft = page.get_latest_revision_as_object()
    assert draft.title == "Changed" and draft.image != live_image
    assert Path(live_image.file.path).exists()


def test_only_the_owner_edits(art, amina):
    page = _upload(art, amina)
    with pytest.raises(PermissionDenied):
        services.media_update(
            page=page,
            user=User.objects.get(username="brian"),
            title="Mine now",
            description="",
            tags=[],
            visibility="class",
        )


def test_a_photo_is_replaced_by_a_photo(art, amina):
    page = _upload(art, amina)
    with pytest.raises(ValidationError) as caught:
        services.media_update(
            page=page,
            user=amina,
            title="X",
            description="",
            tags=[],
            visibility="class",
            file=samples.uploaded(samples.pdf(), "x.pdf"),
        )
    assert services.ERROR_KIND_CHANGED.format(old="image") in caught.value.message_dict["file"]


def test_delete_removes_a_replacement_awaiting_approval_too(
    art, amina, django_capture_on_commit_callbacks
):
    page = _upload(art, amina)
    page.get_latest_revision().publish()
    services.media_update(
        page=MediaPage.objects.get(pk=page.pk),
        user=amina,
        title="First title",
        description="",
        tags=[],
        visibility="class",
        file=samples.uploaded(samples.png(60, 30), "b.png"),
    )
    images = set(SchoolImage.objects.filter(title="First title").values_list("pk", flat=True))
    assert len(images) == 2  # the approved one, live, and the replacement awaiting approval
    with django_capture_on_commit_callbacks(execute=True):
        services.media_delete(page=MediaPage.objects.get(pk=page.pk), user=amina)
    assert not SchoolImage.objects.filter(pk__in=images).exists()


def test_deleting_in_the_admins_page_explorer_removes_the_files(
    greenwood, django_capture_on_commit_callbacks
):
    from django_tenants.utils import schema_context

    from conftest import client_as, user_named

    with schema_context("greenwood"):
        page = services.media_upload(
            classroom=Classroom.objects.get(name="Art"),
            uploaded_by=user_named("amina"),
            file=samples.uploaded(samples.png(), "a.png"),
            title="To go",
        )
        path = Path(page.image.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(greenwood, "admin@greenwood.test").post(
            f"/admin/pages/{page.pk}/delete/"
        )
    assert response.status_code == 302 and not path.exists()
    with schema_context("greenwood"):
        assert not MediaPage.objects.filter(pk=page.pk).exists()
        assert not SchoolImage.objects.filter(pk=page.image_id).exists()


def test_two_uploads_picking_the_same_slug_at_once_both_succeed(school, monkeypatch):
    """The load test's finding: the slug is chosen free, then taken by another upload before
    this one is saved."""
    from media_library import services as upload_services

    art = Classroom.objects.get(name="Art")
    first = upload_services.media_upload(
        classroom=art,
        uploaded_by=User.objects.get(username="amina"),
        file=samples.uploaded(samples.png(), "a.png"),
        title="Same title",
    )
    monkeypatch.setattr(upload_services, "unique_child_slug", lambda *args, **kwargs: first.slug)

    second = upload_services.media_upload(
        classroom=art,
        uploaded_by=User.objects.get(username="brian"),
        file=samples.uploaded(samples.png(), "b.png"),
        title="Same title",
    )

    assert second.slug != first.slug and second.slug.startswith(f"{first.slug}-")
    assert second.get_parent().pk == art.page_id


# --- Moderation holds when membership changes --------------------------------------------------
def _published(art, amina):
    page = _upload(art, amina)
    page.get_latest_revision().publish()
    return MediaPage.objects.get(pk=page.pk)


def _replace(page, user, **changes):
    return services.media_update(
        page=page,
        user=user,
        title=changes.get("title", "Swapped"),
        description="",
        tags=[],
        visibility="public",
        file=samples.uploaded(samples.jpeg(), "swap.jpg"),
    )


def _untouched(page) -> tuple:
    """What a refused change must leave as it was: the live page and its file, the
    revisions, the assets and the stored files."""
    page = MediaPage.objects.get(pk=page.pk)
    return (
        page.live,
        page.title,
        page.visibility,
        page.image_id,
        page.has_unpublished_changes,
        page.latest_revision_id,
        page.revisions.count(),
        page.current_workflow_state,
        _counts(),
        _stored_files(),
    )


@pytest.mark.parametrize("trusted", [False, True])
def test_a_student_who_left_the_class_cannot_change_their_work(art, amina, trusted):
    """In a trusted class the change would go live with no one reviewing it."""
    page = _published(art, amina)
    classroom_trust_set(classroom=art, trusted=trusted)
    classroom_student_remove(classroom=art, student=amina)
    before = _untouched(page)

    with pytest.raises(PermissionDenied) as caught:
        _replace(page, amina)

    assert str(caught.value) == permissions.ERROR_LEFT_CLASS.format(classroom="Art")
    assert _untouched(page) == before
    assert before[0] and before[1] == "First title"  # live, as approved


def test_work_of_an_archived_class_cannot_be_changed(art, amina):
    page = _published(art, amina)
    classroom_archive(classroom=art)
    before = _untouched(page)

    with pytest.raises(PermissionDenied) as caught:
        _replace(page, amina)

    assert str(caught.value) == permissions.ERROR_CLASS_ARCHIVED.format(classroom="Art")
    assert _untouched(page) == before


def test_a_draft_of_a_student_who_left_stays_a_draft(art, amina):
    page = _upload(art, amina)  # awaiting review
    classroom_student_remove(classroom=art, student=amina)
    before = _untouched(page)
    with pytest.raises(PermissionDenied):
        services.media_update(
            page=page, user=amina, title="Renamed", description="", tags=[], visibility="class"
        )
    assert _untouched(page) == before


def test_a_student_still_in_the_class_changes_it_as_before(art, amina):
    page = _published(art, amina)
    classroom_student_remove(classroom=art, student=User.objects.get(username="brian"))
    page = _replace(page, amina)
    assert page.live and page.has_unpublished_changes  # awaiting review


def test_a_student_who_left_may_still_delete_their_work(
    art, amina, django_capture_on_commit_callbacks
):
    """Taking one's own work down is always allowed (students are minors)."""
    page = _published(art, amina)
    classroom_student_remove(classroom=art, student=amina)
    path = Path(page.image.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.media_delete(page=page, user=amina)
    assert not MediaPage.objects.filter(pk=page.pk).exists() and not path.exists()
