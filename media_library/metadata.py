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

Formats are kept, and where it can be, the picture is not decoded at all: a JPEG, PNG or
WebP that needs no turning has its metadata cut out of the file (photo_containers.py) and
its picture's bytes copied as they were, so it loses no quality, and a 50-megapixel PNG of
100 KB costs 100 KB, not the 150 MB of its pixels. GIF, which has no EXIF, likewise: its
comment and application blocks (where XMP hides) are cut out, and its frames and animation
stay exactly as they were. A photo that must be turned, and every HEIC, is decoded and
written again: JPEG at quality 92, PNG, WebP (lossless when it was), HEIC at quality 90
(through pillow_heif; Wagtail turns HEIC into JPEG for its renditions, and the original
keeps its quality). validation.upload_inspect has refused more than MEDIA_MAX_IMAGE_PIXELS
from the header first, so that decoding is bounded.
"""

from __future__ import annotations

import io
import os
import struct
import warnings
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import pgettext
from PIL import Image, ImageOps, ImageSequence
from pillow_heif import register_heif_opener

from media_library.validation import ERROR_CORRUPT

from . import photo_containers as containers

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
    try:
        stripped = _strip_without_decoding(data)
    except ValueError:
        raise _corrupt() from None
    if stripped is not None:
        return ContentFile(stripped, name=name)
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


def _strip_without_decoding(data: bytes) -> bytes | None:
    """The photo without what is not kept, cut out of its file; None when its picture must be
    decoded (a HEIC, or an EXIF orientation to apply). ValueError for a broken file."""
    if data.startswith((b"GIF87a", b"GIF89a")):
        return containers.gif_strip(data)
    if data.startswith(containers.PNG_SIGNATURE):
        read_exif, strip = containers.png_exif, containers.png_strip
    elif data.startswith(b"\xff\xd8\xff"):
        read_exif, strip = containers.jpeg_exif, containers.jpeg_strip
    elif data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        read_exif, strip = containers.webp_exif, containers.webp_strip
    else:
        return None
    exif = _exif_parsed(read_exif(data))
    if exif.get(ORIENTATION, 1) in _TRANSPOSE:
        return None
    kept = _kept_exif(exif)
    return strip(data, kept.tobytes()[len(containers.EXIF_HEADER) :] if len(kept) else None)


def _exif_parsed(tiff: bytes | None) -> Image.Exif:
    """The EXIF of a TIFF structure, empty if there is none or it can't be read (what no
    viewer can read, it can't show or turn the picture by either)."""
    exif = Image.Exif()
    if tiff:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # Pillow warns of corrupt EXIF, then reads on
                exif.load(containers.EXIF_HEADER + tiff)
                exif.get_ifd(EXIF_IFD)  # read now: a broken sub-IFD fails here, not later
        except Exception:  # Pillow raises many kinds of error on broken EXIF
            return Image.Exif()
    return exif


def _corrupt() -> ValidationError:
    what = pgettext("in a message", "photo")
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
