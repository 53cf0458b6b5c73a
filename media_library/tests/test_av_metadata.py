"""No location in a stored video or recording: real files made by ffmpeg, tagged as phones tag
them (where, on what, when), uploaded through the students' upload page and the Wagtail
admin's media form, and the stored copy read back with ffprobe: no telling tag left, the
coordinates nowhere in its bytes, the same streams for as long, no cover picture (a JPEG with
its own EXIF). A file ffmpeg cannot remux is refused and leaves nothing behind, and a server
without ffmpeg refuses every one."""

import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.utils.html import escape
from django_tenants.utils import schema_context

from classrooms.models import Classroom
from conftest import client_as, user_named
from media_library import services, validation
from media_library.models import MediaPage, SchoolMedia
from media_library.tests import av_samples, samples
from media_library.validation import av_metadata

pytestmark = pytest.mark.django_db

FORMATS = list(av_samples.RECORDINGS)


def _art_pk() -> int:
    with schema_context("greenwood"):
        return Classroom.objects.get(name="Art").pk


def _student_upload(school, data: bytes, name: str, title: str = "Where I live"):
    return client_as(school, "amina").post(
        "/upload/",
        {
            "title": title,
            "classroom": _art_pk(),
            "visibility": "class",
            "file": samples.uploaded(data, name),
        },
    )


def _stored_file_of(title: str) -> Path:
    with schema_context("greenwood"):
        return Path(MediaPage.objects.get(title=title).asset.file.path)


def _assert_clean_copy(original: bytes, stored_path: Path) -> None:
    before = av_samples.probe_bytes(original)
    after = av_samples.probe(stored_path)
    assert av_samples.telling_tags(before), "the sample should carry location and device tags"
    assert av_samples.telling_tags(after) == []
    stored = stored_path.read_bytes()
    assert av_samples.COORDINATE not in stored
    assert av_samples.MODEL.encode() not in stored
    # The same streams, as long: copied, not re-encoded.
    assert av_samples.streams(after) == av_samples.streams(before)
    assert av_samples.duration(after) == pytest.approx(av_samples.duration(before), abs=0.05)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_students_recording_is_stored_without_location(greenwood, fmt):
    name, _arguments, kind, _mime = av_samples.RECORDINGS[fmt]
    original = av_samples.recording(fmt)

    response = _student_upload(greenwood, original, name)

    assert response.status_code == 302, response.content[:2000]
    with schema_context("greenwood"):
        assert MediaPage.objects.get(title="Where I live").kind == kind
    _assert_clean_copy(original, _stored_file_of("Where I live"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_admin_upload_is_stored_without_location(greenwood, fmt):
    name, _arguments, kind, mime = av_samples.RECORDINGS[fmt]
    original = av_samples.recording(fmt)
    with schema_context("greenwood"):
        collection = Classroom.objects.get(name="Art").collection_id

    response = client_as(greenwood, "grace").post(
        f"/admin/media/{kind}/add/",
        {
            "title": "Field trip",
            "collection": collection,
            "duration": 1,
            "file": samples.uploaded(original, name, mime),
        },
    )

    assert response.status_code == 302, response.content[:2000]
    with schema_context("greenwood"):
        media = SchoolMedia.objects.get(title="Field trip")
        path = Path(media.file.path)
    _assert_clean_copy(original, path)


def test_a_replaced_file_is_stored_without_location(greenwood):
    assert _student_upload(greenwood, av_samples.recording("m4a"), "a.m4a").status_code == 302
    with schema_context("greenwood"):
        page = MediaPage.objects.get(title="Where I live")
    original = av_samples.recording("mp3")

    response = client_as(greenwood, "amina").post(
        f"/work/{page.pk}/edit/",
        {
            "title": "Where I live",
            "visibility": "class",
            "file": samples.uploaded(original, "b.mp3"),
        },
    )

    assert response.status_code == 302, response.content[:2000]
    with schema_context("greenwood"):
        draft = MediaPage.objects.get(pk=page.pk).get_latest_revision_as_object()
        path = Path(draft.asset.file.path)
    assert path.suffix == ".mp3"
    _assert_clean_copy(original, path)


def test_a_stored_recording_on_cloudinary_has_no_location(greenwood, fake_cloudinary, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "media_library.storage.CloudinaryStorage"},
    }
    original = av_samples.recording("mov")
    with schema_context("greenwood"):
        services.media_upload(
            classroom=Classroom.objects.get(name="Art"),
            uploaded_by=user_named("amina"),
            file=samples.uploaded(original, "clip.mov"),
            title="Street",
        )
    (stored,) = fake_cloudinary.stored.values()
    assert av_samples.telling_tags(av_samples.probe_bytes(stored.data)) == []
    assert av_samples.COORDINATE not in stored.data


def _nothing_stored(title: str, files_before: set[Path]) -> None:
    with schema_context("greenwood"):
        assert not MediaPage.objects.filter(title=title).exists()
        assert not SchoolMedia.objects.filter(title=title).exists()
    assert _media_files() == files_before


def _media_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


@pytest.mark.parametrize(
    ("data", "name", "what"),
    [
        # Sound containers by the byte checks, but with no picture or sound ffmpeg can copy.
        (samples.mp4(), "clip.mp4", "MP4"),
        (samples.m4a(), "song.m4a", "M4A"),
        (samples.ogg(), "song.ogg", "OGG"),
    ],
)
def test_a_file_ffmpeg_cannot_copy_is_refused_and_leaves_nothing(greenwood, data, name, what):
    assert validation.upload_inspect(samples.uploaded(data, name)).kind in ("video", "audio")
    files_before = _media_files()

    response = _student_upload(greenwood, data, name, title="Broken")

    assert response.status_code == 200
    assert escape(validation.ERROR_CORRUPT.format(what=what)) in response.content.decode()
    _nothing_stored("Broken", files_before)


def test_a_file_ffmpeg_cannot_copy_is_refused_in_the_admin(greenwood):
    with schema_context("greenwood"):
        collection = Classroom.objects.get(name="Art").collection_id
    files_before = _media_files()

    response = client_as(greenwood, "grace").post(
        "/admin/media/video/add/",
        {
            "title": "Broken",
            "collection": collection,
            "duration": 1,
            "file": samples.uploaded(samples.mp4(), "clip.mp4", "video/mp4"),
        },
    )

    assert response.status_code == 200
    message = validation.ERROR_CORRUPT.format(what="MP4")
    assert escape(message) in response.content.decode()
    _nothing_stored("Broken", files_before)


def test_without_ffmpeg_every_recording_is_refused(greenwood, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # as on a server where it was never installed
    files_before = _media_files()

    response = _student_upload(greenwood, av_samples.recording("mp3"), "a.mp3", title="No tool")

    assert response.status_code == 200
    assert escape(str(av_metadata.ERROR_AV_UNAVAILABLE)) in response.content.decode()
    _nothing_stored("No tool", files_before)


def test_a_slow_remux_is_refused(greenwood, settings):
    settings.MEDIA_FFMPEG_SECONDS = 0  # every run is over time
    files_before = _media_files()

    response = _student_upload(greenwood, av_samples.recording("wav"), "a.wav", title="Slow")

    assert response.status_code == 200
    assert escape(validation.ERROR_CORRUPT.format(what="WAV")) in response.content.decode()
    _nothing_stored("Slow", files_before)


def test_the_upload_is_remuxed_from_its_temporary_file_into_another(settings, tmp_path):
    """Streamed, never read whole: ffmpeg reads the upload's temporary file and writes a new
    one in the same directory, which becomes the upload's content; the original goes."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    original = av_samples.recording("mp4")
    upload = TemporaryUploadedFile("clip.mp4", "video/mp4", len(original), None)
    upload.write(original)
    upload.seek(0)
    before = Path(upload.temporary_file_path())

    size = av_metadata.av_strip_metadata(upload, "video/mp4")

    after = Path(upload.temporary_file_path())
    assert after.parent == tmp_path and after != before and not before.exists()
    assert size == upload.size == after.stat().st_size
    assert {path.name for path in tmp_path.iterdir()} == {after.name}  # no work files left
    assert av_samples.telling_tags(av_samples.probe(after)) == []
    upload.close()
    assert not after.exists()


def test_ffmpeg_missing_is_reported_by_the_system_check(monkeypatch):
    from media_library.checks import ffmpeg_installed

    assert ffmpeg_installed(None) == []
    monkeypatch.setenv("PATH", "/nonexistent")
    (error,) = ffmpeg_installed(None)
    assert error.id == "media_library.E001"


def test_a_songs_cover_picture_goes_with_its_exif(greenwood, tmp_path):
    """A cover picture is a JPEG of its own, with its own EXIF (a phone photo's GPS)."""
    photo = samples.jpeg(exif_gps=True)
    (tmp_path / "cover.jpg").write_bytes(photo)
    (tmp_path / "plain.mp3").write_bytes(av_samples.recording("mp3"))
    song = tmp_path / "song.mp3"
    subprocess.run(  # noqa: S603, S607 (Debian's ffmpeg, the test's own arguments)
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(tmp_path / "plain.mp3"),
         "-i", str(tmp_path / "cover.jpg"), "-map", "0:a", "-map", "1:v", "-c", "copy",
         "-disposition:v", "attached_pic", "-id3v2_version", "3", str(song)],
        check=True,
    )  # fmt: skip
    original = song.read_bytes()
    assert photo in original
    assert ("video", "mjpeg") in av_samples.streams(av_samples.probe(song))

    assert _student_upload(greenwood, original, "song.mp3").status_code == 302

    stored = _stored_file_of("Where I live")
    assert av_samples.streams(av_samples.probe(stored)) == [("audio", "mp3")]
    assert photo not in stored.read_bytes()
