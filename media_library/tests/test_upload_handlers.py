"""Uploads held to their size limit while they arrive (media_library/upload_handlers.py): a
file over its limit, streamed to the real upload view, stops being stored at the limit, its
partial temporary file is deleted while the body is still arriving, and the student reads
the "too big" message; nothing is left behind."""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test.client import encode_multipart
from django_tenants.utils import schema_context

from classrooms.models import Classroom
from conftest import client_as
from media_library import validation
from media_library.models import MediaPage, SchoolDocument, SchoolImage, SchoolMedia
from media_library.tests import samples
from media_library.upload_handlers import BoundedUploadHandler

pytestmark = pytest.mark.django_db

BOUNDARY = "ObservedBoundary"
CHUNK = 64 * 1024  # Django's upload chunk
MB = 1024 * 1024
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "HTTP_ACCEPT": "application/json"}


class ObservedBody(io.BytesIO):
    """A request body as the server hands it to Django, noting at each read how much of it
    has arrived and how big the upload's temporary files are by then."""

    def __init__(self, data: bytes, temp_dir: Path):
        super().__init__(data)
        self.temp_dir = temp_dir
        self.seen: list[tuple[int, list[int]]] = []

    def read(self, size=-1):
        sizes = [path.stat().st_size for path in self.temp_dir.iterdir()]
        self.seen.append((self.tell(), sizes))
        return super().read(size)


def _rows() -> tuple[int, ...]:
    with schema_context("greenwood"):
        return tuple(
            m.objects.count() for m in (MediaPage, SchoolImage, SchoolDocument, SchoolMedia)
        )


def _files() -> set[Path]:
    return {p for p in Path(django_settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def _stream(school, data: bytes, name: str, temp_dir: Path):
    with schema_context("greenwood"):
        art = Classroom.objects.get(name="Art").pk
    fields = {
        "title": "Too big",
        "classroom": art,
        "visibility": "class",
        "file": samples.uploaded(data, name, "image/png"),
    }
    body = ObservedBody(encode_multipart(BOUNDARY, fields), temp_dir)
    response = client_as(school, "amina").post(
        "/upload/",
        body.getvalue(),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        **{"wsgi.input": body},
        **XHR,
    )
    return response, body


def _file_errors(response) -> list[str]:
    return [error["message"] for error in response.json()["errors"]["file"]]


def test_a_photo_over_its_limit_stops_being_stored_while_it_arrives(school, settings, tmp_path):
    settings.MEDIA_MAX_UPLOAD_MB = {**settings.MEDIA_MAX_UPLOAD_MB, "image": 1}
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    photo = samples.png(1200, 1000, noise=True)  # 3.5 MB
    rows, files = _rows(), _files()

    response, body = _stream(school, photo, "big.png", tmp_path)

    assert response.status_code == 400
    assert _file_errors(response) == [
        validation.ERROR_TOO_LARGE.format(noun="photo", nouns="photos", size="3.5", limit=1)
    ]
    [handler] = response.wsgi_request.upload_handlers
    assert isinstance(handler, BoundedUploadHandler)
    assert handler.refused and handler.stored <= 1 * MB
    # The file went to a temporary file in FILE_UPLOAD_TEMP_DIR (seen while it arrived), never
    # more than the limit of it at any moment...
    assert any(sizes for _, sizes in body.seen)
    assert max(sum(sizes) for _, sizes in body.seen) <= 1 * MB
    # ...and the partial file was gone while most of the body had still to arrive.
    arrived = [offset for offset, sizes in body.seen if offset > 1 * MB + 2 * CHUNK]
    assert arrived and min(arrived) < len(photo) / 2
    assert all(not sizes for offset, sizes in body.seen if offset in arrived)
    assert list(tmp_path.iterdir()) == []
    assert _rows() == rows
    assert _files() == files


def test_a_file_of_unknown_kind_is_held_to_the_largest_limit(school, settings, tmp_path):
    settings.MEDIA_MAX_UPLOAD_MB = {"image": 1, "video": 2, "audio": 1, "document": 1}
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    noise = samples.png(1200, 1000, noise=True)[100:]  # 3.5 MB of what no format starts with

    response, body = _stream(school, noise, "mystery.bin", tmp_path)

    assert _file_errors(response) == [
        validation.ERROR_TOO_LARGE.format(noun="file", nouns="files", size="3.5", limit=2)
    ]
    assert max(sum(sizes) for _, sizes in body.seen) <= 2 * MB
    assert list(tmp_path.iterdir()) == []


def test_a_file_within_its_limit_arrives_whole(school, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    photo = samples.png(600, 500, noise=True)  # 0.9 MB

    response, _ = _stream(school, photo, "fine.png", tmp_path)

    assert response.status_code == 201, response.content
    [handler] = response.wsgi_request.upload_handlers
    assert not handler.refused and handler.stored == len(photo)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (samples.jpeg(), "image"),
        (samples.png(), "image"),
        (samples.gif(), "image"),
        (samples.webp(), "image"),
        (samples.heic(), "image"),
        (samples.pdf(), "document"),
        (samples.mp3(), "audio"),
        (samples.mp3(id3=False), "audio"),
        (samples.wav(), "audio"),
        # Video or sound: only more of the file can tell, so the largest limit holds.
        (samples.mp4(), None),
        (samples.m4a(), None),
        (samples.webm(), None),
        (samples.ogg(), None),
        (samples.exe(), None),
    ],
)
def test_the_first_bytes_pick_the_limit(data, kind):
    assert validation.kind_from_head(data[:4096]) == kind
