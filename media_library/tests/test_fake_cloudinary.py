"""The fake Cloudinary API, driven by the real SDK: if the fake accepted what Cloudinary
refuses (or the other way round), every storage test built on it would prove nothing."""

import io
import os
import time

import cloudinary
import cloudinary.uploader
import cloudinary.utils
import pytest
import requests
from cloudinary.exceptions import AuthorizationRequired, BadRequest, GeneralError
from PIL import Image

from media_library.testing.fake_cloudinary import (
    FakeCloudinary,
    sdk_configured_for,
    string_to_sign,
)


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 9), "orange").save(buffer, "JPEG")
    return buffer.getvalue()


def test_image_upload_is_stored_measured_and_answered_like_cloudinary(fake_cloudinary):
    data = png_bytes(40, 30)

    result = cloudinary.uploader.upload(
        data, public_id="greenwood/original_images/cat", filename="cat.png", overwrite=False
    )

    asset = fake_cloudinary.stored[("image", "greenwood/original_images/cat")]
    assert asset.data == data
    assert asset.params["overwrite"] == "0"
    assert asset.params["api_key"] == fake_cloudinary.api_key
    assert (result["width"], result["height"], result["format"]) == (40, 30, "png")
    assert result["bytes"] == len(data)
    assert (result["resource_type"], result["type"]) == ("image", "upload")
    version = result["version"]
    assert result["secure_url"] == (
        f"https://res.cloudinary.com/mediahub-test/image/upload/v{version}/"
        "greenwood/original_images/cat.png"
    )
    assert result["url"] == result["secure_url"].replace("https://", "http://")
    assert result["created_at"].endswith("Z")
    assert result["etag"] and result["signature"]
    assert fake_cloudinary.request_count == 1


def test_format_is_the_one_pillow_reads_not_the_file_name(fake_cloudinary):
    result = cloudinary.uploader.upload(jpeg_bytes(), public_id="g/photo", filename="photo.jpeg")

    assert result["format"] == "jpg"


def test_video_and_raw_uploads(fake_cloudinary):
    video = cloudinary.uploader.upload(
        b"\x00\x00\x00\x18ftypmp42", public_id="g/clip", resource_type="video", filename="clip.mp4"
    )
    raw = cloudinary.uploader.upload(
        b"%PDF-1.4\n", public_id="g/report.pdf", resource_type="raw", filename="report.pdf"
    )

    assert (video["resource_type"], video["format"]) == ("video", "mp4")
    assert video["secure_url"].endswith(f"/video/upload/v{video['version']}/g/clip.mp4")
    assert raw["resource_type"] == "raw"
    assert "format" not in raw
    assert raw["secure_url"].endswith(f"/raw/upload/v{raw['version']}/g/report.pdf")
    assert set(fake_cloudinary.stored) == {("video", "g/clip"), ("raw", "g/report.pdf")}


def test_unreadable_image_is_refused(fake_cloudinary):
    with pytest.raises(BadRequest, match="Invalid image file"):
        cloudinary.uploader.upload(b"not an image", public_id="g/bad", filename="bad.png")

    assert fake_cloudinary.stored == {}


def test_wrong_signature_is_refused_with_cloudinarys_error(fake_cloudinary):
    with pytest.raises(AuthorizationRequired, match="Invalid Signature"):
        cloudinary.uploader.upload(png_bytes(), public_id="g/cat", api_secret="not-the-secret")

    response = requests.post(
        f"{fake_cloudinary.upload_prefix}/v1_1/mediahub-test/image/upload",
        data={"public_id": "g/cat", "timestamp": "1", "api_key": fake_cloudinary.api_key},
        files={"file": ("cat.png", png_bytes())},
        timeout=5,
    )
    assert response.status_code == 401
    assert set(response.json()) == {"error"}
    assert fake_cloudinary.stored == {}


def test_unknown_api_key_is_refused(fake_cloudinary):
    with pytest.raises(AuthorizationRequired, match="Unknown API key"):
        cloudinary.uploader.upload(png_bytes(), public_id="g/cat", api_key="someone-else")


def test_signed_string_matches_the_sdk_for_lists_and_ampersands(fake_cloudinary):
    fields = {"public_id": "a&b", "tags[]": ["x", "y"], "timestamp": "5", "overwrite": "0"}
    sdk_params = {"public_id": "a&b", "tags": ["x", "y"], "timestamp": "5", "overwrite": "0"}

    assert string_to_sign(fields) == cloudinary.utils.api_string_to_sign(sdk_params)
    assert string_to_sign(fields) == "overwrite=0&public_id=a%26b&tags=x,y&timestamp=5"


def test_existing_public_id_is_not_overwritten_without_overwrite(fake_cloudinary):
    first = cloudinary.uploader.upload(png_bytes(10, 10), public_id="g/cat", overwrite=False)

    again = cloudinary.uploader.upload(png_bytes(20, 20), public_id="g/cat", overwrite=False)

    assert again["existing"] is True
    assert again["version"] == first["version"]
    assert fake_cloudinary.stored[("image", "g/cat")].response["width"] == 10


def test_destroy_deletes_then_reports_not_found(fake_cloudinary):
    cloudinary.uploader.upload(b"%PDF-1.4", public_id="g/a.pdf", resource_type="raw")

    first = cloudinary.uploader.destroy("g/a.pdf", resource_type="raw", invalidate=True)
    second = cloudinary.uploader.destroy("g/a.pdf", resource_type="raw")

    assert (first["result"], second["result"]) == ("ok", "not found")
    assert fake_cloudinary.stored == {}
    assert fake_cloudinary.requests[1].fields["invalidate"] == "1"


def test_destroy_is_signed_too(fake_cloudinary):
    cloudinary.uploader.upload(b"%PDF-1.4", public_id="g/a.pdf", resource_type="raw")

    with pytest.raises(AuthorizationRequired):
        cloudinary.uploader.destroy("g/a.pdf", resource_type="raw", api_secret="wrong")

    assert ("raw", "g/a.pdf") in fake_cloudinary.stored


def test_upload_large_chunks_are_reassembled_byte_identical(fake_cloudinary):
    data = os.urandom(250_000)

    result = cloudinary.uploader.upload_large(
        io.BytesIO(data),
        public_id="g/lecture",
        resource_type="video",
        chunk_size=100_000,
        filename="lecture.mp4",
    )

    uploads = fake_cloudinary.uploads()
    assert [request.headers["content-range"] for request in uploads] == [
        "bytes 0-99999/250000",
        "bytes 100000-199999/250000",
        "bytes 200000-249999/250000",
    ]
    assert len({request.headers["x-unique-upload-id"] for request in uploads}) == 1
    assert fake_cloudinary.stored[("video", "g/lecture")].data == data
    assert (result["bytes"], result["format"], result["public_id"]) == (250_000, "mp4", "g/lecture")


def test_failed_chunk_leaves_nothing_stored(fake_cloudinary):
    fake_cloudinary.fail_next_upload(status=500)
    data = os.urandom(30_000)

    with pytest.raises(GeneralError):
        cloudinary.uploader.upload_large(
            io.BytesIO(data), public_id="g/x.bin", resource_type="raw", chunk_size=10_000
        )

    assert fake_cloudinary.stored == {}


def test_fail_next_upload_fails_once_with_the_status_asked(fake_cloudinary):
    fake_cloudinary.fail_next_upload(status=500, message="Server is on fire")

    with pytest.raises(GeneralError, match="Server is on fire"):
        cloudinary.uploader.upload(png_bytes(), public_id="g/cat")
    cloudinary.uploader.upload(png_bytes(), public_id="g/cat")

    assert list(fake_cloudinary.stored) == [("image", "g/cat")]
    assert fake_cloudinary.request_count == 2


def test_delivery_serves_the_stored_bytes(fake_cloudinary):
    data = png_bytes()
    result = cloudinary.uploader.upload(data, public_id="g/cat")
    url = cloudinary.utils.cloudinary_url("g/cat", format="png", secure=True, width=100)[0]

    delivered = requests.get(fake_cloudinary.delivery_url_to_local(url), timeout=5)
    versioned = requests.get(fake_cloudinary.delivery_url_to_local(result["secure_url"]), timeout=5)
    missing = requests.get(
        fake_cloudinary.delivery_url_to_local(url.replace("cat", "dog")), timeout=5
    )

    assert (delivered.status_code, delivered.content) == (200, data)
    assert versioned.content == data
    assert missing.status_code == 404


def test_sdk_configuration_is_restored_after_the_block():
    config = cloudinary.config()
    saved = dict(config.__dict__)
    try:
        cloudinary.config(cloud_name="before", upload_prefix=None)
        with FakeCloudinary() as server, sdk_configured_for(server):
            assert cloudinary.config().cloud_name == "mediahub-test"
            assert cloudinary.config().upload_prefix == server.upload_prefix
        assert cloudinary.config().cloud_name == "before"
        assert cloudinary.config().upload_prefix is None
    finally:
        config.__dict__.clear()
        config.__dict__.update(saved)


# --- Links that expire: private download URLs and tokens ----------------------------------------
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _download(url: str) -> requests.Response:
    return requests.get(url, timeout=5)  # private download URLs are the API's: the fake's


def test_a_private_download_url_works_until_it_expires(fake_cloudinary):
    cloudinary.uploader.upload(
        PDF, public_id="g/essay.pdf", resource_type="raw", type="authenticated"
    )
    expires_at = int(time.time()) + 60
    url = cloudinary.utils.private_download_url(
        "g/essay.pdf", None, resource_type="raw", type="authenticated", expires_at=expires_at
    )
    assert url.startswith(f"{fake_cloudinary.upload_prefix}/v1_1/mediahub-test/raw/download?")

    delivered = _download(url)
    assert (delivered.status_code, delivered.content) == (200, PDF)
    later = url.replace(f"expires_at={expires_at}", f"expires_at={expires_at + 3600}")
    assert _download(later).status_code == 401  # the signature covers it
    fake_cloudinary.advance(61)
    expired = _download(url)
    assert expired.status_code == 401 and "expired" in expired.json()["error"]["message"]


def test_a_private_download_url_without_expiry_lasts_an_hour(fake_cloudinary):
    cloudinary.uploader.upload(png_bytes(), public_id="g/cat", type="authenticated")
    url = cloudinary.utils.private_download_url("g/cat", "png", type="authenticated")

    assert _download(url).content == png_bytes()
    fake_cloudinary.advance(3601)
    assert _download(url).status_code == 401


def test_a_private_download_url_names_its_asset_exactly(fake_cloudinary):
    cloudinary.uploader.upload(png_bytes(), public_id="g/cat", type="authenticated")
    expires_at = int(time.time()) + 60

    def url(public_id, **options):
        options = {"type": "authenticated", "expires_at": expires_at, **options}
        return cloudinary.utils.private_download_url(public_id, "png", **options)

    assert _download(url("g/cat")).status_code == 200
    assert _download(url("g/dog")).status_code == 404
    assert _download(url("g/cat", type="upload")).status_code == 404
    wrong_secret = url("g/cat", api_secret="not-the-secret")
    assert _download(wrong_secret).status_code == 401


def test_a_token_url_works_for_its_own_path_until_it_expires(fake_cloudinary):
    data = png_bytes()
    cloudinary.uploader.upload(data, public_id="g/cat", type="authenticated")

    def url(key=fake_cloudinary.auth_token_key, **transformation):
        return cloudinary.utils.cloudinary_url(
            "g/cat",
            format="png",
            type="authenticated",
            sign_url=True,
            secure=True,
            auth_token={"key": key, "duration": 60},
            **transformation,
        )[0]

    def fetch(link):
        return requests.get(fake_cloudinary.delivery_url_to_local(link), timeout=5)

    good = url(width=100, crop="scale")
    assert "__cld_token__=" in good and "/s--" not in good
    delivered = fetch(good)
    assert (delivered.status_code, delivered.content) == (200, data)
    assert fetch(good.replace("w_100", "w_2000")).status_code == 401  # another path
    assert fetch(url(key="ab" * 32, width=100)).status_code == 401  # another key
    assert fetch(good.split("?")[0]).status_code == 404  # no token, no signature
    fake_cloudinary.advance(61)
    expired = fetch(good)
    assert expired.status_code == 401 and expired.headers["X-Cld-Error"] == "Token expired"
