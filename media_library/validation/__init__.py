"""Upload validation: what a file really is, decided before anything is stored.

Students are minors and their uploads are shown to other minors, so a file is judged by its
bytes alone. The name and the browser's content type are chosen by whoever sends the file: a
web page renamed "photo.jpg" must not end up served from the school's domain, where it could
run scripts. Only a short list of formats is accepted; everything else is refused with a
message that names what the file is and says what to upload instead.

The checks, in order, each cheap before the next costs more:

1. the first bytes decide the type (magic numbers, ISO-BMFF brands and track handlers, the
   EBML DocType, Ogg codec headers, MPEG frame headers), and a refused type is named;
2. the size is checked against `MEDIA_MAX_UPLOAD_MB` for that kind, before any decoding;
3. images are opened with Pillow under the decompression-bomb guard (`MEDIA_MAX_IMAGE_PIXELS`)
   and checked without decoding the whole picture; PDFs are read by a PDF parser (qpdf, in a
   process of its own with its work capped) and refused if they carry scripts, actions that
   run by themselves or reach outside the file, scripted forms or attached files.

Video and audio are checked for a sound container (box sizes, a frame that follows), not
decoded. The upload service then has ffmpeg copy their streams without their tags (where and
on what they were recorded: av_metadata.py), as it has photos rewritten without theirs.

This module is the entry point, `upload_inspect`, and what the rest of the project imports.
The checks live by kind of file: sniff.py decides the type from the first bytes (and refuses
the dangerous ones), audio_video.py reads the containers of video and audio, images.py opens
photos, documents.py has PDFs read by pdf_walk.py in a process of its own, av_metadata.py
removes the tags of videos and recordings; formats.py lists
what is accepted and messages.py holds every message a student can read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError

from .documents import pdf_check
from .formats import (
    GIF,
    HEIC,
    JPEG,
    KINDS,
    M4A,
    MOV,
    MP3,
    MP4,
    OGG,
    PDF,
    PNG,
    WAV,
    WEBM,
    WEBM_AUDIO,
    WEBP,
    FileType,
)
from .images import image_check
from .limits import RefusedUpload, size_check, size_limit, too_large
from .messages import (
    ERROR_ARCHIVE,
    ERROR_CORRUPT,
    ERROR_EMPTY,
    ERROR_EXECUTABLE,
    ERROR_HTML,
    ERROR_IMAGE_TOO_MANY_PIXELS,
    ERROR_OFFICE_DOCUMENT,
    ERROR_PDF_ATTACHMENT,
    ERROR_PDF_ENCRYPTED,
    ERROR_PDF_SCRIPT,
    ERROR_PDF_UNCHECKABLE,
    ERROR_SVG,
    ERROR_TOO_LARGE,
    ERROR_TYPE_REFUSED,
    ERROR_TYPE_UNKNOWN,
    KIND_NOUNS,
    MEGABYTE,
    megabytes,
)
from .sniff import HEAD_BYTES, identify, kind_from_head

# What the rest of the project imports from here (forms and tests compare the messages).
__all__ = [
    "ERROR_ARCHIVE",
    "ERROR_CORRUPT",
    "ERROR_EMPTY",
    "ERROR_EXECUTABLE",
    "ERROR_HTML",
    "ERROR_IMAGE_TOO_MANY_PIXELS",
    "ERROR_OFFICE_DOCUMENT",
    "ERROR_PDF_ATTACHMENT",
    "ERROR_PDF_ENCRYPTED",
    "ERROR_PDF_SCRIPT",
    "ERROR_PDF_UNCHECKABLE",
    "ERROR_SVG",
    "ERROR_TOO_LARGE",
    "ERROR_TYPE_REFUSED",
    "ERROR_TYPE_UNKNOWN",
    "GIF",
    "HEIC",
    "JPEG",
    "KINDS",
    "KIND_NOUNS",
    "M4A",
    "MEGABYTE",
    "MOV",
    "MP3",
    "MP4",
    "OGG",
    "PDF",
    "PNG",
    "WAV",
    "WEBM",
    "WEBM_AUDIO",
    "WEBP",
    "FileType",
    "RefusedUpload",
    "UploadInfo",
    "kind_from_head",
    "megabytes",
    "size_limit",
    "too_large",
    "upload_inspect",
]


@dataclass(frozen=True)
class UploadInfo:
    """What an accepted upload is, from its bytes."""

    kind: str  # one of KINDS
    mime_type: str
    extension: str  # canonical, without the dot: "jpg", "mp4", "m4a", "pdf"
    size: int  # bytes
    width: int | None = None  # images only
    height: int | None = None
    duration: float | None = None  # videos and recordings, read after the remux (seconds)


def upload_inspect(file: IO[bytes]) -> UploadInfo:
    """What `file` (a Django UploadedFile or File) is, or a ValidationError saying why it can't
    be uploaded. Reads only what it needs; the file's position is back at 0 afterwards."""
    if isinstance(file, RefusedUpload):  # refused while it arrived: nothing of it was kept
        raise file.error
    try:
        size = _size(file)
        if size == 0:
            raise ValidationError(ERROR_EMPTY, code="empty")
        file.seek(0)
        head = file.read(HEAD_BYTES)
        kind = identify(file, head, size)
        size_check(kind.kind, size)
        width = height = None
        if kind.kind == "image":
            width, height = image_check(file, kind)
        elif kind is PDF:
            pdf_check(file)
        return UploadInfo(
            kind=kind.kind,
            mime_type=kind.mime_type,
            extension=kind.extension,
            size=size,
            width=width,
            height=height,
        )
    finally:
        file.seek(0)


def _size(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if size is None:
        size = file.seek(0, 2)
    return size
