"""Uploads through the Wagtail admin follow the students' rules: type from the bytes, the size
limits while the file arrives, and no location data in stored photos, thumbnails included."""

import io
from pathlib import Path

import pytest
from django.utils.html import escape
from django_tenants.utils import schema_context
from PIL import Image

from classrooms.models import Classroom
from conftest import client_as
from media_library import validation
from media_library.admin_forms import ERROR_WRONG_KIND
from media_library.models import SchoolDocument, SchoolImage, SchoolMedia
from media_library.tests import av_samples, samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def art_collection(greenwood):
    with schema_context(greenwood.schema_name):
        return Classroom.objects.get(name="Art").collection_id


def test_a_teachers_admin_photo_upload_loses_its_location(greenwood, art_collection):
    client = client_as(greenwood, "grace")
    response = client.post(
        "/admin/images/add/",
        {
            "title": "Field trip",
            "collection": art_collection,
            "file": samples.uploaded(samples.jpeg(exif_gps=True, orientation=6), "trip.jpg"),
        },
    )
    assert response.status_code == 302, response.content[:2000]
    with schema_context(greenwood.schema_name):
        image = SchoolImage.objects.get(title="Field trip")
        with Image.open(Path(image.file.path)) as stored:
            assert not stored.getexif().get_ifd(0x8825)


def test_an_html_file_named_jpg_is_refused_in_the_admin(greenwood, art_collection):
    client = client_as(greenwood, "grace")
    response = client.post(
        "/admin/images/add/",
        {
            "title": "Sneaky",
            "collection": art_collection,
            "file": samples.uploaded(samples.html(), "sneaky.jpg"),
        },
    )
    assert response.status_code == 200
    assert escape(str(validation.ERROR_HTML)) in response.content.decode()
    with schema_context(greenwood.schema_name):
        assert not SchoolImage.objects.filter(title="Sneaky").exists()


def test_a_document_must_be_a_pdf(greenwood, art_collection):
    client = client_as(greenwood, "grace")
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "Not a PDF",
            "collection": art_collection,
            "file": samples.uploaded(samples.png(), "notes.pdf"),
        },
    )
    assert response.status_code == 200
    assert ERROR_WRONG_KIND.format(a_kind="a photo", expected="a PDF", kind_plural="photos") in (
        response.content.decode()
    )
    with schema_context(greenwood.schema_name):
        assert not SchoolDocument.objects.filter(title="Not a PDF").exists()


def _video_with_thumbnail(greenwood, art_collection, title: str, thumbnail):
    return client_as(greenwood, "grace").post(
        "/admin/media/video/add/",
        {
            "title": title,
            "collection": art_collection,
            "duration": 1,
            "file": samples.uploaded(av_samples.recording("mp4"), "clip.mp4", "video/mp4"),
            "thumbnail": thumbnail,
        },
    )


def test_a_videos_thumbnail_loses_its_location(greenwood, art_collection):
    photo = samples.jpeg(exif_gps=True, xmp_gps=True)
    assert b"GPSLatitude" in photo

    response = _video_with_thumbnail(
        greenwood, art_collection, "Clip", samples.uploaded(photo, "poster.jpg", "image/jpeg")
    )

    assert response.status_code == 302, response.content[:2000]
    with schema_context(greenwood.schema_name):
        media = SchoolMedia.objects.get(title="Clip")
        stored = Path(media.thumbnail.path).read_bytes()
    assert media.thumbnail.name.endswith(".jpg")
    assert b"GPSLatitude" not in stored and b"exif:GPS" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif().get_ifd(0x8825)
        assert image.getexif()[0x010F] == "SampleCam"  # what is harmless stays


def test_a_web_page_named_jpg_is_refused_as_a_thumbnail(greenwood, art_collection):
    page = samples.uploaded(samples.html(), "poster.jpg", "image/jpeg")

    response = _video_with_thumbnail(greenwood, art_collection, "Trap", page)

    assert response.status_code == 200
    assert escape(str(validation.ERROR_HTML)) in response.content.decode()
    with schema_context(greenwood.schema_name):
        assert not SchoolMedia.objects.filter(title="Trap").exists()


def test_a_thumbnail_must_be_a_photo(greenwood, art_collection):
    clip = samples.uploaded(av_samples.recording("mp4"), "poster.png", "image/png")

    response = _video_with_thumbnail(greenwood, art_collection, "Not a photo", clip)

    assert response.status_code == 200
    expected = ERROR_WRONG_KIND.format(a_kind="a video", expected="a photo", kind_plural="videos")
    assert escape(expected) in response.content.decode()


def test_a_thumbnail_over_the_photo_limit_is_refused(greenwood, art_collection, settings):
    settings.MEDIA_MAX_UPLOAD_MB = {**settings.MEDIA_MAX_UPLOAD_MB, "image": 1}
    big = samples.uploaded(samples.png(1200, 1000, noise=True), "poster.png", "image/png")

    response = _video_with_thumbnail(greenwood, art_collection, "Big poster", big)

    assert response.status_code == 200
    message = validation.ERROR_TOO_LARGE.format(noun="photo", nouns="photos", size="3.5", limit=1)
    assert escape(message) in response.content.decode()
    with schema_context(greenwood.schema_name):
        assert not SchoolMedia.objects.filter(title="Big poster").exists()


def test_a_photo_over_the_limit_is_refused_in_the_admin(greenwood, art_collection, settings):
    settings.MEDIA_MAX_UPLOAD_MB = {**settings.MEDIA_MAX_UPLOAD_MB, "image": 1}
    client = client_as(greenwood, "grace")

    response = client.post(
        "/admin/images/add/",
        {
            "title": "Huge",
            "collection": art_collection,
            "file": samples.uploaded(samples.png(1200, 1000, noise=True), "huge.png"),
        },
    )

    assert response.status_code == 200
    message = validation.ERROR_TOO_LARGE.format(noun="photo", nouns="photos", size="3.5", limit=1)
    assert escape(message) in response.content.decode()
    with schema_context(greenwood.schema_name):
        assert not SchoolImage.objects.filter(title="Huge").exists()


def test_the_admins_multiple_upload_follows_the_same_rules(greenwood, art_collection):
    client = client_as(greenwood, "grace")

    def add(data: bytes, name: str):
        upload = samples.uploaded(data, name, "image/jpeg")
        return client.post(
            "/admin/images/multiple/add/",
            {"collection": art_collection, "files[]": upload},
            HTTP_X_REQUESTED_WITH="XMLHttpRequest",
        ).json()

    refused = add(samples.html(), "page.jpg")
    accepted = add(samples.jpeg(exif_gps=True), "trip.jpg")

    assert refused == {"success": False, "error_message": str(validation.ERROR_HTML)}
    assert accepted["success"]
    with schema_context(greenwood.schema_name):
        image = SchoolImage.objects.get(pk=accepted["image_id"])
        stored = Path(image.file.path).read_bytes()
    assert b"GPSLatitude" not in stored
