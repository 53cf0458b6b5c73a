"""Location stripped from photos, the right way up, colours kept. No database needed."""

import io
import struct
import tracemalloc
import zlib

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


def _images_made() -> int:
    """How many pictures Pillow has allocated memory for in this process: a decode makes one."""
    return Image.core.get_stats()["new_count"]


@pytest.mark.parametrize("kind", ["jpeg", "png", "webp"])
def test_a_photo_that_needs_no_turning_is_not_decoded(kind):
    original = getattr(samples, kind)(80, 40, exif_gps=True, xmp_gps=True, icc_profile=True)
    made = _images_made()

    result = photo_strip_location(samples.uploaded(original)).read()

    assert _images_made() == made
    assert b"GPS" not in result and b"xmpmeta" not in result
    # The picture's bytes are the original's: nothing lost to decoding and encoding again.
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(result)) as after:
        assert after.tobytes() == before.tobytes()
        assert after.info["icc_profile"] == samples.srgb_profile()


def test_a_50_megapixel_png_is_checked_and_stripped_without_being_decoded():
    """49 million pixels in 160 KB: decoding it would take 147 MB (RGB), and re-encoding it
    more. Pillow's picture memory is not Python's, so tracemalloc can't see a decode: Pillow's
    own count of the pictures it allocated can."""
    data = samples.flat_png(7000, 7000)
    assert len(data) < 200_000
    upload = samples.uploaded(data, "flat.png", "image/png")
    made = _images_made()
    tracemalloc.start()
    try:
        info = upload_inspect(upload)
        stripped = photo_strip_location(upload).read()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert (info.width, info.height) == (7000, 7000)
    assert _images_made() == made
    assert peak < 64 * 1024 * 1024
    assert stripped == data  # nothing in it to strip: the same chunks, byte for byte


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _jpeg_segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def test_jpeg_comments_photoshop_blocks_unknown_segments_and_trailers_removed():
    plain = samples.jpeg(40, 20, exif_gps=True)
    extra = (
        _jpeg_segment(0xFE, b"taken at 1.2863S 36.8172E")  # COM
        + _jpeg_segment(0xED, b"Photoshop 3.0\x008BIM GPS city: Nairobi")  # APP13 (IPTC)
        + _jpeg_segment(0xE5, b"VENDOR GPS 1.2863S")  # an application segment we don't know
    )
    original = plain[:2] + extra + plain[2:] + b"GPS after the end"

    result, image = strip(original)

    assert b"GPS" not in result and b"Nairobi" not in result and b"taken at" not in result
    assert result.endswith(b"\xff\xd9")
    assert image.getexif()[0x010F] == "SampleCam"
    with Image.open(io.BytesIO(plain)) as before:
        assert image.tobytes() == before.tobytes()


def test_png_chunks_we_do_not_know_and_times_removed():
    plain = samples.png(40, 20)
    iend = plain.rindex(b"IEND") - 4
    chunks = _png_chunk(b"prVt", b"GPS 1.2863S 36.8172E") + _png_chunk(
        b"tIME", b"\x07\xe9" + bytes(5)
    )
    original = plain[:iend] + chunks + plain[iend:]

    result, image = strip(original)

    assert b"prVt" not in result and b"tIME" not in result and b"GPS" not in result
    assert image.tobytes() == Image.open(io.BytesIO(plain)).tobytes()


def test_webp_says_it_has_no_xmp_left():
    result, image = strip(samples.webp(exif_gps=True, xmp_gps=True))

    flags = result[20]  # the extended header (VP8X) comes first: its flags byte
    assert result[12:16] == b"VP8X"
    assert not flags & 0x04 and b"XMP " not in result  # no XMP, and none announced
    assert flags & 0x08 and image.getexif()[0x010F] == "SampleCam"  # the EXIF kept


def test_broken_exif_is_dropped_whole():
    plain = samples.jpeg(40, 20)
    broken = _jpeg_segment(0xE1, b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff GPS")
    original = plain[:2] + broken + plain[2:]

    result, image = strip(original)

    assert b"GPS" not in result and len(image.getexif()) == 0
