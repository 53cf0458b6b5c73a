"""Removing location from photos before they are stored.

A phone photo records where it was taken, to a few metres: in the EXIF GPS block, and again in
XMP (exif:GPSLatitude and friends), which editing apps add. A student's photo of their
street, shared with the class, would say where they live. So every photo is rewritten before
it is stored, keeping only what shows the picture right:

- the pixels, turned the way the EXIF Orientation said (so nothing is left that could turn
  them a second time: the result has no Orientation tag);
- the ICC colour profile, without which colours shift;
- a few harmless EXIF fields (camera make and model, when it was taken);
- for PNG, transparency.

Everything else goes: the GPS block, XMP, maker notes, comments, text chunks, thumbnails
(which carry their own EXIF), the extra pictures of multi-picture JPEGs (MPO).

Formats are kept: JPEG stays JPEG (quality 92), PNG stays PNG, WebP stays WebP (lossless when
it was), HEIC stays HEIC (quality 90, through pillow_heif): Wagtail turns HEIC into JPEG for
its renditions, and the original keeps its quality. GIF is not decoded at all: a GIF has no
EXIF, only comment and application blocks where XMP can hide, so those blocks are cut out of
the file byte for byte, and the frames, their timing and the animation stay exactly as they
were.
"""

from __future__ import annotations

import io
import os
import struct
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, ImageSequence
from pillow_heif import register_heif_opener

from media_library.validation import ERROR_CORRUPT

register_heif_opener()

JPEG_QUALITY = 92
WEBP_QUALITY = 92
HEIC_QUALITY = 90

EXIF_IFD = 0x8769
GPS_IFD = 0x8825
ORIENTATION = 0x0112
# What is kept of EXIF: who made the camera, which model, and when the photo was taken.
# Not even the time zone offsets (0x9010-0x9012): a time zone says roughly where.
_KEPT_TAGS = (0x010F, 0x0110, 0x0132)  # Make, Model, DateTime
_KEPT_EXIF_TAGS = (0x9003, 0x9004)  # DateTimeOriginal, DateTimeDigitized

# The application extensions a GIF may keep: the animation's loop count.
_GIF_KEPT_APPLICATIONS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")

# Pillow's format name -> the format written back. Pillow opens a multi-picture JPEG (phones
# add depth maps and HDR gain maps, each with its own EXIF) with its JPEG reader as "MPO".
_INPUT_FORMATS = ["JPEG", "PNG", "WEBP", "HEIF"]
_OUTPUT_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "HEIF": "HEIF"}
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def photo_strip_location(file: IO[bytes]) -> ContentFile:
    """A copy of the photo `file` (JPEG, PNG, WebP, HEIC or GIF, already accepted by
    validation.upload_inspect) with no location left in it, turned the right way up, in the
    same format and under the same name. A photo that does not decode raises ValidationError
    (ERROR_CORRUPT). `file` is left at position 0."""
    file.seek(0)
    data = file.read()
    file.seek(0)
    name = os.path.basename(getattr(file, "name", None) or "") or None
    if data.startswith((b"GIF87a", b"GIF89a")):
        return ContentFile(_gif_strip(data), name=name)
    try:
        with Image.open(io.BytesIO(data), formats=_INPUT_FORMATS) as image:
            output_format = _OUTPUT_FORMATS[image.format]
            image.load()
            stripped = _encode(image, output_format, lossless=_webp_is_lossless(data))
    except ValidationError:
        raise
    except Exception:  # Pillow raises many kinds of error on damaged files; all mean "corrupt"
        raise _corrupt() from None
    return ContentFile(stripped, name=name)


def _corrupt(what: str = "photo") -> ValidationError:
    return ValidationError(ERROR_CORRUPT.format(what=what), code="corrupt")


def _kept_exif(source: Image.Exif) -> Image.Exif:
    kept = Image.Exif()
    for tag in _KEPT_TAGS:
        if tag in source:
            kept[tag] = source[tag]
    dates = {
        tag: value for tag, value in source.get_ifd(EXIF_IFD).items() if tag in _KEPT_EXIF_TAGS
    }
    if dates:
        kept.get_ifd(EXIF_IFD).update(dates)
    return kept


def _encode(image: Image.Image, output_format: str, *, lossless: bool) -> bytes:
    exif = _kept_exif(image.getexif())
    options: dict = {}
    if icc_profile := image.info.get("icc_profile"):
        options["icc_profile"] = icc_profile
    if len(exif):
        options["exif"] = exif.tobytes()
    if output_format == "JPEG":
        options.update(quality=JPEG_QUALITY)
    elif output_format == "WEBP":
        options.update(lossless=lossless, quality=100 if lossless else WEBP_QUALITY)
    elif output_format == "HEIF":
        options.update(quality=HEIC_QUALITY)
    elif output_format == "PNG" and "transparency" in image.info:
        options["transparency"] = image.info["transparency"]

    if output_format == "WEBP" and getattr(image, "is_animated", False):
        frames, durations = _webp_frames(image)
        first = frames[0]
        options.update(
            save_all=True,
            append_images=frames[1:],
            duration=durations,
            loop=image.info.get("loop", 0),
        )
    else:
        # Pixels turned as the Orientation tag said; the copy keeps no Orientation of its own.
        first = ImageOps.exif_transpose(image)
        if first is image:
            first = image.copy()
    # Nothing from the original's info reaches the encoder unless it is passed above: Pillow's
    # writers read comments, XMP and EXIF from there.
    first.info = {}
    out = io.BytesIO()
    first.save(out, output_format, **options)
    return out.getvalue()


def _webp_frames(image: Image.Image) -> tuple[list[Image.Image], list[int]]:
    method = _TRANSPOSE.get(image.getexif().get(ORIENTATION, 1))
    frames, durations = [], []
    for frame in ImageSequence.Iterator(image):
        durations.append(frame.info.get("duration", 100))
        copy = frame.convert("RGBA")
        frames.append(copy.transpose(method) if method is not None else copy)
    return frames, durations


def _webp_is_lossless(data: bytes) -> bool:
    """Whether a WebP's picture is stored losslessly (a VP8L chunk), so re-encoding keeps it
    lossless; False for anything that is not a WebP."""
    if not (data.startswith(b"RIFF") and data[8:12] == b"WEBP"):
        return False
    offset = 12
    while offset + 8 <= len(data):
        chunk, size = struct.unpack("<4sI", data[offset : offset + 8])
        if chunk in (b"VP8L", b"VP8 "):
            return chunk == b"VP8L"
        if chunk == b"ANMF":  # an animation frame: its picture chunk is inside
            offset += 8 + 16
            continue
        offset += 8 + size + (size & 1)
    return False


def _gif_strip(data: bytes) -> bytes:
    """The GIF without comment extensions and without application extensions other than the
    loop count (XMP lives in one): every other byte is copied as it was."""
    if len(data) < 13:
        raise _corrupt("GIF")
    flags = data[10]
    offset = 13 + (3 * 2 ** ((flags & 0x07) + 1) if flags & 0x80 else 0)
    out = bytearray(data[:offset])
    while offset < len(data):
        block = data[offset]
        if block == 0x3B:  # trailer
            break
        if block == 0x21:  # extension: label, then sub-blocks
            if offset + 2 > len(data):
                raise _corrupt("GIF")
            label = data[offset + 1]
            end = _gif_sub_blocks_end(data, offset + 2)
            application = data[offset + 3 : offset + 14] if label == 0xFF else None
            if label != 0xFE and (application is None or application in _GIF_KEPT_APPLICATIONS):
                out += data[offset:end]
        elif block == 0x2C:  # image: descriptor, local colour table, LZW code size, sub-blocks
            if offset + 11 > len(data):
                raise _corrupt("GIF")
            local = data[offset + 9]
            table = 3 * 2 ** ((local & 0x07) + 1) if local & 0x80 else 0
            end = _gif_sub_blocks_end(data, offset + 10 + table + 1)
            out += data[offset:end]
        else:
            raise _corrupt("GIF")
        offset = end
    out.append(0x3B)
    return bytes(out)


def _gif_sub_blocks_end(data: bytes, offset: int) -> int:
    while True:
        if offset >= len(data):
            raise _corrupt("GIF")
        length = data[offset]
        offset += 1 + length
        if length == 0:
            return offset
