"""Location stripped from photos, the right way up, colours kept. No database needed."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from media_library.metadata import photo_strip_location
from media_library.tests import samples
from media_library.validation import ERROR_CORRUPT, upload_inspect

GPS_IFD = 0x8825
ORIENTATION = 0x0112
FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "heic": "HEIF"}


def strip(data: bytes, name: str = "photo.bin") -> tuple[bytes, Image.Image]:
    result = photo_strip_location(samples.uploaded(data, name)).read()
    image = Image.open(io.BytesIO(result))
    image.load()
    return result, image


def close(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


@pytest.mark.parametrize("kind", FORMATS)
def test_gps_removed_from_exif_and_xmp(kind):
    original = getattr(samples, kind)(exif_gps=True, xmp_gps=True, icc_profile=True)
    before = Image.open(io.BytesIO(original))
    assert before.getexif().get_ifd(GPS_IFD)  # the sample does carry a position
    assert b"GPSLatitude" in original

    result, image = strip(original)

    assert image.format == FORMATS[kind]
    assert image.getexif().get_ifd(GPS_IFD) == {}
    assert GPS_IFD not in image.getexif()
    assert "GPS" not in str(image.info.get("xmp") or "")
    assert b"GPS" not in result
    assert b"xmpmeta" not in result
    # The colour profile stays, or colours would shift.
    assert image.info["icc_profile"] == samples.srgb_profile()
    # Harmless camera details stay.
    assert image.getexif()[0x010F] == "SampleCam"


def test_png_text_chunks_removed():
    result, image = strip(samples.png(xmp_gps=True))

    assert b"iTXt" not in result and b"tEXt" not in result
    assert "Comment" not in image.info


@pytest.mark.parametrize("kind", ["jpeg", "png", "webp"])
def test_orientation_applied_to_the_pixels(kind):
    original = getattr(samples, kind)(80, 40, exif_gps=True, orientation=6)
    assert Image.open(io.BytesIO(original)).size == (80, 40)

    _, image = strip(original)

    # Orientation 6: the camera was turned a quarter clockwise, so the picture is turned back.
    assert image.size == (40, 80)
    assert ORIENTATION not in image.getexif()
    # The white corner (top left as stored) ends top right; the red left half ends on top.
    assert close(image.getpixel((38, 1)), (255, 255, 255))
    assert close(image.getpixel((1, 1)), (255, 0, 0))
    assert close(image.getpixel((20, 70)), (0, 0, 255))


def test_jpeg_quality_stays_high():
    original = samples.jpeg(200, 200, noise=True)

    result, image = strip(original)

    assert image.format == "JPEG"
    # At quality 92, random pixels cost nearly what they did at the sample's 95.
    assert len(result) > 0.7 * len(original)


def test_photo_without_metadata_passes_through():
    original = samples.jpeg(40, 20)

    result, image = strip(original, "plain.jpg")

    assert image.size == (40, 20)
    assert len(image.getexif()) == 0
    assert "xmp" not in image.info and "icc_profile" not in image.info
    assert close(image.getpixel((30, 10)), (0, 0, 255))
    assert upload_inspect(samples.uploaded(result)).extension == "jpg"


def test_name_kept():
    stripped = photo_strip_location(samples.uploaded(samples.png(), "holiday.png"))

    assert stripped.name == "holiday.png"


def test_png_transparency_kept():
    _, image = strip(samples.png(mode="RGBA"))

    assert image.mode == "RGBA"


def test_lossless_webp_stays_lossless():
    result, _ = strip(samples.webp(lossless=True, exif_gps=True))

    assert b"VP8L" in result


def test_multi_picture_jpeg_loses_its_extra_pictures_and_their_gps():
    original = samples.mpo(exif_gps=True)
    assert Image.open(io.BytesIO(original)).n_frames == 2

    result, image = strip(original)

    assert image.format == "JPEG"
    assert getattr(image, "n_frames", 1) == 1
    assert image.getexif().get_ifd(GPS_IFD) == {}
    assert result.count(b"\xff\xd8") == 1  # one picture, no thumbnail or second image


def test_animated_gif_stays_animated_without_xmp_or_comment():
    original = samples.gif(frames=3, xmp=True)
    before = Image.open(io.BytesIO(original))
    assert before.info.get("comment") and b"XMP DataXMP" in original

    result, image = strip(original)

    assert image.n_frames == 3
    assert image.info["loop"] == 0 and image.info["duration"] == 100
    assert "comment" not in image.info
    assert b"XMP DataXMP" not in result and b"GPS" not in result
    for frame in range(3):
        before.seek(frame)
        image.seek(frame)
        assert image.convert("RGB").tobytes() == before.convert("RGB").tobytes()


def test_plain_gif_unchanged_byte_for_byte():
    original = samples.gif(frames=2)

    result, _ = strip(original)

    assert result == original


def test_damaged_photo_refused():
    with pytest.raises(ValidationError) as caught:
        photo_strip_location(samples.uploaded(samples.truncated_png()))

    assert caught.value.messages == [ERROR_CORRUPT.format(what="photo")]


def test_damaged_gif_refused():
    with pytest.raises(ValidationError):
        photo_strip_location(samples.uploaded(samples.gif(frames=2)[:60]))


def test_position_back_at_zero():
    upload = samples.uploaded(samples.jpeg(exif_gps=True))

    photo_strip_location(upload)

    assert upload.tell() == 0
