"""How a stored file is sent once its check has passed: by nginx (X-Accel-Redirect) when
MEDIA_ACCEL_REDIRECT_PREFIX is set, else by the app with single Range requests (206, 416).
The check comes first either way. Range through nginx is prod-smoke's (deploy/smoke.py)."""

import pytest
from django.core.files.storage import FileSystemStorage
from django_tenants.utils import schema_context

from accounts.models import User
from classrooms.models import Classroom
from conftest import client_as, client_for
from media_library import services
from media_library.serving import file_response, requested_range
from media_library.tests import av_samples, samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(greenwood):
    """A public video of Amina's (its URL and its stored bytes: ffmpeg's copy of the upload),
    and a private one's URL."""
    upload = av_samples.recording("mp4")
    urls = {}
    with schema_context(greenwood.schema_name):
        for visibility in ("public", "private"):
            page = services.media_upload(
                classroom=Classroom.objects.get(name="Art"),
                uploaded_by=User.objects.get(username="amina"),
                file=samples.uploaded(upload, "clip.mp4"),
                title=f"A {visibility} clip",
                visibility=visibility,
            )
            page.get_latest_revision().publish()
            urls[visibility] = page.media.file.url
            if visibility == "public":
                with page.media.file.open("rb") as stored:
                    data = stored.read()
    return urls, data


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_single_range_is_answered_with_206_and_those_bytes(greenwood, video):
    urls, data = video
    response = client_for(greenwood).get(urls["public"], HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert response["Content-Length"] == "100"
    assert response["Content-Type"] == "video/mp4"
    assert _body(response) == data[100:200]


def test_open_and_suffix_ranges(greenwood, video):
    urls, data = video
    client = client_for(greenwood)
    tail = client.get(urls["public"], HTTP_RANGE=f"bytes={len(data) - 10}-")
    assert tail.status_code == 206 and _body(tail) == data[-10:]
    suffix = client.get(urls["public"], HTTP_RANGE="bytes=-20")
    assert suffix["Content-Range"] == f"bytes {len(data) - 20}-{len(data) - 1}/{len(data)}"
    assert _body(suffix) == data[-20:]
    beyond = client.get(urls["public"], HTTP_RANGE="bytes=0-99999999")
    assert beyond.status_code == 206 and _body(beyond) == data


def test_an_unsatisfiable_range_is_416(greenwood, video):
    urls, data = video
    response = client_for(greenwood).get(urls["public"], HTTP_RANGE=f"bytes={len(data)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(data)}"


@pytest.mark.parametrize("header", ["", "bytes=0-9,20-29", "bytes=9-5", "items=0-9", "bytes=x-"])
def test_no_several_or_malformed_ranges_get_the_whole_file(greenwood, video, header):
    urls, data = video
    extra = {"HTTP_RANGE": header} if header else {}
    response = client_for(greenwood).get(urls["public"], **extra)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert _body(response) == data


def test_if_range_gets_the_whole_file(greenwood, video):
    urls, data = video
    response = client_for(greenwood).get(
        urls["public"], HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"an-etag"'
    )
    assert response.status_code == 200 and _body(response) == data


def test_a_range_of_a_file_one_may_not_see_is_404(greenwood, video):
    urls, _ = video
    response = client_as(greenwood, "brian").get(urls["private"], HTTP_RANGE="bytes=0-9")
    assert response.status_code == 404


def test_a_visitor_asking_a_range_of_a_private_work_gets_404_and_no_bytes(greenwood, video):
    urls, data = video
    response = client_for(greenwood).get(urls["private"], HTTP_RANGE="bytes=0-99")
    assert response.status_code == 404
    assert "Content-Range" not in response and data[:100] not in _body(response)


def test_behind_nginx_the_file_is_handed_to_it_after_the_check(greenwood, video, settings):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/_protected_media/"
    urls, _ = video
    response = client_for(greenwood).get(urls["public"], HTTP_RANGE="bytes=0-9")
    assert response.status_code == 200 and response.content == b""
    name = urls["public"].removeprefix("/media/")
    assert response["X-Accel-Redirect"] == f"/_protected_media/{name}"
    assert response["Content-Type"] == "video/mp4"
    assert response["Cache-Control"] == "private, max-age=3600"
    # Whoever may not see it gets the 404, and nginx nothing to send.
    refused = client_as(greenwood, "brian").get(urls["private"])
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused


def test_the_accel_path_is_escaped(settings, rf, tmp_path):
    # Stored names are the uploads' titles made safe, which keeps letters such as é: nginx
    # expects an escaped URI, and a header must be ASCII.
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/_protected_media"
    response = file_response(
        rf.get("/"),
        storage=FileSystemStorage(location=tmp_path),
        schema="greenwood",
        name="original_images/café au lait.png",
    )
    assert response["X-Accel-Redirect"] == (
        "/_protected_media/greenwood/original_images/caf%C3%A9%20au%20lait.png"
    )
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        ("bytes=0-0", 10, (0, 0)),
        ("bytes=5-", 10, (5, 9)),
        ("bytes=-3", 10, (7, 9)),
        ("bytes=-30", 10, (0, 9)),
        ("bytes=-0", 10, False),
        ("bytes=10-", 10, False),
        ("bytes=0-", 0, False),
        ("bytes=-", 10, None),
        ("", 10, None),
    ],
)
def test_requested_range(header, size, expected):
    assert requested_range(header, size) == expected
