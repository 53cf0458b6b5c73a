"""Upload validation of photos (validation/images.py): every accepted format by its bytes,
damaged pictures refused, and the pixel limit checked before anything is decoded. No database
needed."""

import pytest
from PIL import Image

from media_library.tests import samples
from media_library.tests.validation_helpers import (
    assert_accepted,
    assert_every_refusal_says_what_to_upload_instead,
    refusal,
)
from media_library.validation import (
    ERROR_CORRUPT,
    ERROR_IMAGE_TOO_MANY_PIXELS,
    ERROR_TYPE_REFUSED,
    UploadInfo,
    upload_inspect,
)

ACCEPTED = [
    ("jpeg", samples.jpeg, "image", "image/jpeg", "jpg"),
    ("png", samples.png, "image", "image/png", "png"),
    ("webp", samples.webp, "image", "image/webp", "webp"),
    ("webp-lossless", lambda: samples.webp(lossless=True), "image", "image/webp", "webp"),
    ("gif", samples.gif, "image", "image/gif", "gif"),
    ("gif-animated", lambda: samples.gif(frames=3), "image", "image/gif", "gif"),
    ("heic", samples.heic, "image", "image/heic", "heic"),
    ("mpo", samples.mpo, "image", "image/jpeg", "jpg"),
]


@pytest.mark.parametrize(
    ("make", "kind", "mime_type", "extension"),
    [case[1:] for case in ACCEPTED],
    ids=[case[0] for case in ACCEPTED],
)
def test_accepted_types_by_their_bytes(make, kind, mime_type, extension):
    assert_accepted(make(), kind, mime_type, extension)


def test_image_dimensions():
    info = upload_inspect(samples.uploaded(samples.png(64, 48)))

    assert info == UploadInfo(
        kind="image", mime_type="image/png", extension="png", size=info.size, width=64, height=48
    )
    assert upload_inspect(samples.uploaded(samples.heic(30, 20))).width == 30
    assert upload_inspect(samples.uploaded(samples.mp4())).width is None


REFUSED = [
    # AVIF shares HEIC's container: audio_video.py tells them apart by their brands.
    ("avif", samples.avif_header, ERROR_TYPE_REFUSED.format(what="AVIF images")),
]


@pytest.mark.parametrize(
    ("make", "message"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED]
)
def test_refused_types_say_why(make, message):
    assert message in refusal(make())


def test_every_refusal_says_what_to_upload_instead():
    assert_every_refusal_says_what_to_upload_instead(REFUSED)


CORRUPT = [
    ("truncated-png", samples.truncated_png, "PNG"),
    ("truncated-jpeg", samples.truncated_jpeg, "JPEG"),
    ("jpeg-header-then-junk", lambda: b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8, "JPEG"),
    ("gif-header-only", lambda: samples.gif()[:20], "GIF"),
    ("heic-cut", lambda: samples.heic()[:200], "HEIC"),
]


@pytest.mark.parametrize(
    ("make", "what"), [case[1:] for case in CORRUPT], ids=[case[0] for case in CORRUPT]
)
def test_damaged_files_are_refused_as_corrupt(make, what):
    assert refusal(make()) == ERROR_CORRUPT.format(what=what)


def test_decompression_bomb_refused():
    data = samples.bomb_png()  # 20,000 x 20,000 pixels in about 50 kB

    assert len(data) < 100_000
    assert refusal(data) == ERROR_IMAGE_TOO_MANY_PIXELS.format(limit="50")


def test_image_just_over_the_pixel_limit_refused():
    # 64 million pixels: over the limit, under twice it, where Pillow only warns.
    assert refusal(samples.bomb_png(8000, 8000)) == ERROR_IMAGE_TOO_MANY_PIXELS.format(limit="50")


def test_pillow_bomb_warning_is_a_refusal(settings):
    # With our limit above Pillow's own (about 89 million), Pillow's warning still refuses, and
    # the message names the limit that applied.
    settings.MEDIA_MAX_IMAGE_PIXELS = 500_000_000
    pillow_limit = f"{Image.MAX_IMAGE_PIXELS / 1_000_000:g}"

    message = refusal(samples.bomb_png(10_000, 10_000))

    assert message == ERROR_IMAGE_TOO_MANY_PIXELS.format(limit=pillow_limit)


def test_pixel_limit_from_settings(settings):
    settings.MEDIA_MAX_IMAGE_PIXELS = 600

    assert refusal(samples.jpeg(40, 20)) == ERROR_IMAGE_TOO_MANY_PIXELS.format(limit="0.0006")
    assert upload_inspect(samples.uploaded(samples.jpeg(20, 20))).width == 20


def _images_made() -> int:
    """How many pictures Pillow has allocated memory for in this process: a decode makes one."""
    return Image.core.get_stats()["new_count"]


def test_a_small_png_saying_20000_by_20000_is_refused_before_any_decoding():
    data = samples.bomb_png(20_000, 20_000)  # 400 million pixels in about 50 kB, nothing patched
    made = _images_made()

    assert refusal(data) == ERROR_IMAGE_TOO_MANY_PIXELS.format(limit="50")
    assert _images_made() == made


@pytest.mark.parametrize("kind", ["jpeg", "png", "webp", "gif", "heic"])
def test_pixels_are_counted_from_the_header_before_any_decoding(settings, kind):
    settings.MEDIA_MAX_IMAGE_PIXELS = 600
    data = getattr(samples, kind)(40, 20)  # 800 pixels
    made = _images_made()

    assert refusal(data) == ERROR_IMAGE_TOO_MANY_PIXELS.format(limit="0.0006")
    assert _images_made() == made
