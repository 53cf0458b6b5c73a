"""CloudinaryStorage with the real SDK against the fake Cloudinary API, inside a school's
schema: where files go, what name the FileField keeps, and which calls cost a request."""

import io
import os
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import override_settings
from django_tenants.utils import schema_context
from PIL import Image

from media_library import storage as storage_module
from media_library.storage import (
    CloudinaryStorage,
    CloudinaryStorageError,
    StoredName,
    resource_type_for,
    sdk_options_from_url,
)
from media_library.testing.fake_cloudinary import unsigned_url

pytestmark = pytest.mark.django_db

CLOUD = "https://res.cloudinary.com/mediahub-test"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 12), "purple").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "yellow").save(buffer, "JPEG")
    return buffer.getvalue()


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00isommp42" + b"\x00" * 64
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 16
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def storage(fake_cloudinary) -> CloudinaryStorage:
    return CloudinaryStorage()


@pytest.mark.parametrize(
    ("name", "data", "resource_type", "public_id_stem", "format_"),
    [
        ("original_images/cat.png", png_bytes(), "image", "original_images/cat_", "png"),
        ("media/clip.mp4", MP4, "video", "media/clip_", "mp4"),
        ("media/song.mp3", MP3, "video", "media/song_", "mp3"),
        ("documents/report.pdf", PDF, "raw", "documents/report_", None),
    ],
)
def test_save_uploads_under_the_school_with_the_right_resource_type(
    greenwood, storage, fake_cloudinary, name, data, resource_type, public_id_stem, format_
):
    with schema_context("greenwood"):
        stored_name = storage.save(name, ContentFile(data))

    [(stored_type, public_id)] = fake_cloudinary.stored
    asset = fake_cloudinary.stored[(stored_type, public_id)]
    assert stored_type == resource_type
    assert public_id.startswith(f"greenwood/{public_id_stem}")
    if resource_type == "raw":
        assert public_id.endswith(".pdf")  # raw keeps the extension in the public_id
    assert asset.data == data
    assert asset.params["overwrite"] == "0"
    assert asset.params["invalidate"] == "1"
    assert asset.params["unique_filename"] == "0"
    assert stored_name == f"{resource_type}/{public_id}" + (f".{format_}" if format_ else "")
    assert StoredName.parse(stored_name) == StoredName(resource_type, public_id, format_)


@pytest.mark.parametrize(
    ("stored_name", "expected"),
    [
        (
            "image/greenwood/original_images/cat_abc1234.jpg",
            f"{CLOUD}/image/authenticated/v1/greenwood/original_images/cat_abc1234.jpg",
        ),
        (
            "video/greenwood/media/song_abc1234.mp3",
            f"{CLOUD}/video/authenticated/v1/greenwood/media/song_abc1234.mp3",
        ),
        (
            "raw/greenwood/documents/report_abc1234.pdf",
            f"{CLOUD}/raw/authenticated/v1/greenwood/documents/report_abc1234.pdf",
        ),
    ],
)
def test_permanent_url_is_built_locally_without_transformation(
    storage, fake_cloudinary, stored_name, expected
):
    assert unsigned_url(storage.delivery_url(stored_name, permanent=True)) == expected
    assert fake_cloudinary.request_count == 0


@pytest.mark.parametrize(
    "stored_name",
    [
        "image/greenwood/original_images/cat_abc1234.jpg",
        "video/greenwood/media/song_abc1234.mp3",
        "raw/greenwood/documents/report_abc1234.pdf",
    ],
)
def test_url_is_a_private_download_url_that_expires(
    storage, fake_cloudinary, settings, stored_name
):
    """Whatever asks the storage for a URL, without saying the file is public, gets a link
    that expires (deny by default)."""
    settings.MEDIA_PRIVATE_URL_TTL_SECONDS = 600
    before = time.time()
    url = urlsplit(storage.url(stored_name))
    query = parse_qs(url.query)

    assert f"{url.scheme}://{url.netloc}" == fake_cloudinary.upload_prefix  # the API's host
    stored = StoredName.parse(stored_name)
    assert url.path == f"/v1_1/mediahub-test/{stored.resource_type}/download"
    assert query["public_id"] == [stored.public_id]
    assert query.get("format") == ([stored.format] if stored.format else None)
    assert query["type"] == ["authenticated"] and "signature" in query
    expires_at = int(query["expires_at"][0])
    assert before + 600 - 60 <= expires_at <= time.time() + 600  # within a tenth of the TTL
    assert fake_cloudinary.request_count == 0


def test_url_of_a_saved_file_needs_no_request_and_delivers_the_bytes(
    greenwood, storage, fake_cloudinary
):
    data = png_bytes()
    with schema_context("greenwood"):
        name = storage.save("original_images/cat.png", ContentFile(data))
    requests_after_upload = fake_cloudinary.request_count

    url = storage.delivery_url(name, permanent=True)
    expiring = storage.url(name)

    assert fake_cloudinary.request_count == requests_after_upload == 1
    public_id = StoredName.parse(name).public_id
    assert unsigned_url(url) == f"{CLOUD}/image/authenticated/v1/{public_id}.png"
    for link in (url, expiring):
        delivered = requests.get(fake_cloudinary.delivery_url_to_local(link), timeout=5)
        assert delivered.content == data


def test_delivery_url_takes_sdk_transformations(storage, fake_cloudinary):
    url = storage.delivery_url(
        "image/greenwood/original_images/cat_abc1234.png",
        permanent=True,
        width=300,
        height=200,
        crop="fill",
    )

    assert unsigned_url(url) == (
        f"{CLOUD}/image/authenticated/c_fill,h_200,w_300/v1/greenwood/original_images/cat_abc1234.png"
    )


def test_delivery_url_chains_a_list_of_transformations(storage, fake_cloudinary):
    steps = [
        {"crop": "crop", "x": 10, "y": 0, "width": 100, "height": 50},
        {"crop": "scale", "width": 50, "height": 25},
        {"fetch_format": "auto", "quality": "auto"},
    ]

    url = storage.delivery_url(
        "image/greenwood/original_images/cat_abc1234.png", permanent=True, transformation=steps
    )

    assert unsigned_url(url) == (
        f"{CLOUD}/image/authenticated/c_crop,h_50,w_100,x_10,y_0/c_scale,h_25,w_50/f_auto,q_auto/"
        "v1/greenwood/original_images/cat_abc1234.png"
    )
    assert fake_cloudinary.request_count == 0


def test_name_reflects_the_format_cloudinary_reports(greenwood, storage, fake_cloudinary):
    with schema_context("greenwood"):
        name = storage.save("original_images/photo.jpeg", ContentFile(jpeg_bytes()))

    assert name.startswith("image/greenwood/original_images/photo_")
    assert name.endswith(".jpg")


def test_riverside_uploads_go_under_riverside(riverside, storage, fake_cloudinary):
    with schema_context("riverside"):
        name = storage.save("original_images/cat.png", ContentFile(png_bytes()))

    [(_, public_id)] = fake_cloudinary.stored
    assert public_id.startswith("riverside/original_images/cat_")
    assert name.startswith("image/riverside/")


def test_same_name_twice_gives_two_assets(greenwood, storage, fake_cloudinary):
    with schema_context("greenwood"):
        first = storage.save("original_images/cat.png", ContentFile(png_bytes()))
        second = storage.save("original_images/cat.png", ContentFile(png_bytes()))

    assert first != second
    assert len(fake_cloudinary.stored) == 2


def test_a_public_id_already_taken_fails_and_keeps_the_older_asset(
    greenwood, storage, fake_cloudinary, monkeypatch
):
    monkeypatch.setattr(storage_module, "get_random_string", lambda *args: "same123")
    with schema_context("greenwood"):
        first = storage.save("original_images/cat.png", ContentFile(png_bytes()))
        with pytest.raises(CloudinaryStorageError, match="already exists"):
            storage.save("original_images/cat.png", ContentFile(jpeg_bytes()))

    [asset] = fake_cloudinary.stored.values()
    assert asset.data == png_bytes()
    assert first == "image/greenwood/original_images/cat_same123.png"


def test_delete_destroys_the_asset(greenwood, storage, fake_cloudinary):
    with schema_context("greenwood"):
        name = storage.save("documents/report.pdf", ContentFile(PDF))
        storage.delete(name)

    assert fake_cloudinary.stored == {}
    destroy = fake_cloudinary.requests[-1]
    assert destroy.path == "/v1_1/mediahub-test/raw/destroy"
    assert destroy.fields["invalidate"] == "1"


def test_delete_of_a_missing_asset_is_not_an_error(greenwood, storage, fake_cloudinary):
    with schema_context("greenwood"):
        storage.delete("image/greenwood/original_images/gone_abc1234.png")

    assert fake_cloudinary.request_count == 1


def test_delete_refuses_another_schools_file(greenwood, riverside, storage, fake_cloudinary):
    with schema_context("riverside"):
        name = storage.save("original_images/cat.png", ContentFile(png_bytes()))

    with schema_context("greenwood"), pytest.raises(SuspiciousFileOperation):
        storage.delete(name)

    assert len(fake_cloudinary.stored) == 1


def test_failed_upload_raises_and_stores_nothing(greenwood, storage, fake_cloudinary):
    fake_cloudinary.fail_next_upload(status=500)

    with schema_context("greenwood"), pytest.raises(CloudinaryStorageError):
        storage.save("original_images/cat.png", ContentFile(png_bytes()))

    assert fake_cloudinary.stored == {}


def test_refused_signature_raises(greenwood, fake_cloudinary):
    wrong = fake_cloudinary.cloudinary_url.replace(fake_cloudinary.api_secret, "wrong-secret")
    storage = CloudinaryStorage(cloudinary_url=wrong)

    with schema_context("greenwood"), pytest.raises(CloudinaryStorageError, match="Signature"):
        storage.save("documents/report.pdf", ContentFile(PDF))

    assert fake_cloudinary.stored == {}


def test_large_file_is_uploaded_in_chunks_and_left_open(greenwood, fake_cloudinary):
    storage = CloudinaryStorage(large_upload_bytes=50_000, chunk_size=40_000)
    data = os.urandom(100_000)
    content = ContentFile(data, name="lecture.mp4")

    with schema_context("greenwood"):
        name = storage.save("media/lecture.mp4", content)

    assert len(fake_cloudinary.uploads()) == 3
    asset = fake_cloudinary.asset("video", StoredName.parse(name).public_id)
    assert asset.data == data
    assert not content.closed  # Storage.save's caller owns the file
    assert storage.size(name) == 100_000


def test_get_available_name_and_exists_make_no_request(greenwood, storage, fake_cloudinary):
    with schema_context("greenwood"):
        name = storage.get_available_name("original_images/cat.png")
        long_name = storage.get_available_name(f"original_images/{'x' * 200}.png", max_length=100)

    assert name.startswith("original_images/cat_") and name.endswith(".png")
    assert storage.exists(name) is False
    # With "image/greenwood/" in front and room for a longer format, it fits the column.
    assert len(f"image/greenwood/{long_name}") <= 100 - 2
    assert fake_cloudinary.request_count == 0


def test_name_that_cannot_fit_is_refused(greenwood, storage):
    with schema_context("greenwood"), pytest.raises(SuspiciousFileOperation):
        storage.get_available_name(f"{'d' * 90}/cat.png", max_length=100)


def test_size_comes_from_the_upload_answer(greenwood, storage, fake_cloudinary):
    with schema_context("greenwood"):
        name = storage.save("documents/report.pdf", ContentFile(PDF))

    assert storage.size(name) == len(PDF)
    with pytest.raises(NotImplementedError):
        storage.size("raw/greenwood/documents/older_abc1234.pdf")


def test_open_downloads_the_delivery_url(greenwood, storage, fake_cloudinary, monkeypatch):
    real_get = requests.get

    def get_from_fake(url, **kwargs):
        return real_get(fake_cloudinary.delivery_url_to_local(url), **kwargs)

    monkeypatch.setattr(storage_module.requests, "get", get_from_fake)
    with schema_context("greenwood"):
        name = storage.save("documents/report.pdf", ContentFile(PDF))

    with storage.open(name) as opened:
        assert opened.read() == PDF
    with pytest.raises(CloudinaryStorageError):
        storage.open("raw/greenwood/documents/gone_abc1234.pdf")


def test_storages_default_reads_cloudinary_url_from_settings(greenwood, fake_cloudinary):
    url = (
        f"cloudinary://{fake_cloudinary.api_key}:{fake_cloudinary.api_secret}@mediahub-test"
        f"?upload_prefix=http://127.0.0.1:{fake_cloudinary.port}"
    )
    backends = {
        "default": {"BACKEND": "media_library.storage.CloudinaryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    with override_settings(STORAGES=backends, CLOUDINARY_URL=url), schema_context("greenwood"):
        default = storages["default"]
        name = default.save("original_images/cat.png", ContentFile(png_bytes()))
        url_built = default.delivery_url(name, permanent=True)

    assert isinstance(default, CloudinaryStorage)
    assert name.startswith("image/greenwood/original_images/cat_")
    assert unsigned_url(url_built).startswith(f"{CLOUD}/image/authenticated/v1/greenwood/")
    assert len(fake_cloudinary.stored) == 1


def test_settings_url_wins_over_the_sdk_global_config(greenwood, fake_cloudinary, settings):
    settings.CLOUDINARY_URL = fake_cloudinary.cloudinary_url.replace(
        fake_cloudinary.api_secret, "stale-secret"
    )

    with schema_context("greenwood"), pytest.raises(CloudinaryStorageError):
        CloudinaryStorage().save("documents/report.pdf", ContentFile(PDF))


def test_without_cloudinary_url_the_configured_sdk_is_used(greenwood, fake_cloudinary, settings):
    settings.CLOUDINARY_URL = ""

    with schema_context("greenwood"):
        name = CloudinaryStorage().save("documents/report.pdf", ContentFile(PDF))

    assert name.startswith("raw/greenwood/documents/report_")
    assert len(fake_cloudinary.stored) == 1


def test_sdk_options_from_url():
    options = sdk_options_from_url(
        "cloudinary://key:se%40cret@my-cloud/media.example.com?upload_prefix=http://127.0.0.1:9"
    )

    assert options == {
        "cloud_name": "my-cloud",
        "api_key": "key",
        "api_secret": "se@cret",
        "private_cdn": True,
        "secure_distribution": "media.example.com",
        "upload_prefix": "http://127.0.0.1:9",
    }
    with pytest.raises(ImproperlyConfigured):
        sdk_options_from_url("https://key:secret@my-cloud")
    with pytest.raises(ImproperlyConfigured):
        sdk_options_from_url("cloudinary://my-cloud")


@pytest.mark.parametrize(
    ("name", "resource_type"),
    [
        ("a/b.JPG", "image"),
        ("a/b.heic", "image"),
        ("a/b.webp", "image"),
        ("a/b.mov", "video"),
        ("a/b.m4a", "video"),
        ("a/b.flac", "video"),
        ("a/b.pdf", "raw"),
        ("a/b.docx", "raw"),
        ("a/noextension", "raw"),
    ],
)
def test_resource_type_for(name, resource_type):
    assert resource_type_for(name) == resource_type


def test_names_outside_the_scheme_are_refused(storage):
    with pytest.raises(SuspiciousFileOperation):
        storage.url("greenwood/original_images/cat.png")


def test_deconstructs_for_migrations():
    path, args, kwargs = CloudinaryStorage(chunk_size=6 * 1024 * 1024).deconstruct()

    assert (path, args, kwargs) == (
        "media_library.storage.CloudinaryStorage",
        (),
        {"chunk_size": 6 * 1024 * 1024},
    )


def test_files_are_delivered_only_through_signed_urls(greenwood, storage, fake_cloudinary):
    data = png_bytes()
    with schema_context("greenwood"):
        name = storage.save("original_images/private.png", ContentFile(data))
    assert fake_cloudinary.asset("image", StoredName.parse(name).public_id).type == "authenticated"

    def fetch(url):
        return requests.get(fake_cloudinary.delivery_url_to_local(url), timeout=5)

    signed = storage.delivery_url(
        name, permanent=True, transformation=[{"crop": "scale", "width": 10}]
    )
    assert fetch(signed).content == data
    # Guessing the public address, forging a signature or changing the transformation
    # without re-signing gets nothing.
    public = unsigned_url(signed).replace("/authenticated/", "/upload/")
    forged = re.sub(r"s--[A-Za-z0-9_-]{8}--", "s--AAAAAAAA--", signed)
    altered = signed.replace("w_10", "w_2000")
    for url in (public, forged, altered):
        assert fetch(url).status_code == 404, url
