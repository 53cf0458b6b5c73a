"""What the bytes are: the first bytes of an upload decide its format, whatever its name and
the browser's content type say (both are chosen by whoever sends the file).

Refused types are recognised first and named, so the student learns what their file is:
programs and scripts, SVG and HTML (they can run scripts from the school's domain), Office
documents and archives. Then the accepted formats: PDF, the containers of audio_video.py, and
the still images `filetype` knows. Anything else is an unknown type.
"""

from __future__ import annotations

from typing import IO

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .audio_video import (
    identify_ebml,
    identify_iso_bmff,
    identify_mp3,
    identify_ogg,
    identify_wav,
    iso_bmff_is_heic,
    mp3_frame_length,
)
from .formats import GIF, JPEG, PDF, PNG, WEBP, FileType
from .messages import (
    ERROR_ARCHIVE,
    ERROR_EXECUTABLE,
    ERROR_HTML,
    ERROR_OFFICE_DOCUMENT,
    ERROR_SVG,
    ERROR_TYPE_UNKNOWN,
    refused,
)

HEAD_BYTES = 64 * 1024  # enough for every signature, EBML track list and Ogg header pages
_FILETYPE_ACCEPTED = {"jpg": JPEG, "png": PNG, "apng": PNG, "gif": GIF, "webp": WEBP}

_EXECUTABLE_SIGNATURES = (
    b"MZ",  # Windows (PE) and DOS programs, self-extracting archives
    b"\x7fELF",  # Linux, Android native code
    b"\xfe\xed\xfa\xce",  # Mach-O (macOS, iOS), both word sizes and byte orders
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal binary, Java class
    b"#!",  # scripts
    b"dex\n",  # Android bytecode
    b"\x00asm",  # WebAssembly
)
_OFFICE_SIGNATURES = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE: .doc, .xls, .ppt (and .msi)
    b"{\\rtf",
)
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def identify(file: IO[bytes], head: bytes, size: int) -> FileType:
    if head.startswith(_EXECUTABLE_SIGNATURES):
        raise ValidationError(ERROR_EXECUTABLE, code="executable")
    _refuse_markup(head)
    if head.startswith(_OFFICE_SIGNATURES):
        raise ValidationError(ERROR_OFFICE_DOCUMENT, code="office_document")
    if head.startswith(_ZIP_SIGNATURES):
        if filetype.match(head, matchers=filetype.document_matchers):
            raise ValidationError(ERROR_OFFICE_DOCUMENT, code="office_document")
        raise ValidationError(ERROR_ARCHIVE, code="archive")
    if head.startswith(b"%PDF-"):
        return PDF
    if head[4:8] == b"ftyp":
        return identify_iso_bmff(file, head, size)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return identify_ebml(head)
    if head.startswith(b"OggS"):
        return identify_ogg(head)
    if head.startswith(b"ID3") or mp3_frame_length(head) is not None:
        return identify_mp3(file, head, size)
    found = filetype.match(head, matchers=filetype.image_matchers)
    if found is not None and found.extension in _FILETYPE_ACCEPTED:
        return _FILETYPE_ACCEPTED[found.extension]
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return identify_wav(head)
    _refuse_named(head)
    raise ValidationError(ERROR_TYPE_UNKNOWN, code="type_unknown")


def kind_from_head(head: bytes) -> str | None:
    """The kind the first bytes of a file announce, when they alone can tell: a photo, a PDF,
    MP3 or WAV audio. None when only more of the file can (an MP4, WebM or Ogg may hold
    video or sound), or for a type that will be refused anyway. While an upload arrives this
    picks the size limit it is held to (upload_handlers.py); identify() decides for good."""
    if head.startswith(b"%PDF-"):
        return "document"
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")):
        return "image"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image"
    if head[4:8] == b"ftyp" and iso_bmff_is_heic(head):
        return "image"
    if head.startswith(b"ID3") or (head.startswith(b"RIFF") and head[8:12] == b"WAVE"):
        return "audio"
    if mp3_frame_length(head) is not None:
        return "audio"
    return None


def _refuse_markup(head: bytes) -> None:
    """SVG and HTML, however they start: a byte-order mark, blank lines, an XML declaration, a
    comment, any letter case. Both can carry scripts."""
    text = None
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            text = head[len(bom) : 8192].decode(encoding, "ignore")
            break
    if text is None:
        text = head[:8192].decode("latin-1")
    text = text.lstrip().lower()
    if not text.startswith("<"):
        return
    if "<svg" in text:
        raise ValidationError(ERROR_SVG, code="svg")
    if text.startswith("<?xml") and "<html" not in text:
        raise refused(_("XML files"))
    raise ValidationError(ERROR_HTML, code="html")


def _refuse_named(head: bytes) -> None:
    """Name a type we know but don't accept, so the student learns what their file is."""
    found = filetype.guess(head)
    if found is None:
        return
    if found in filetype.archive_matchers or found.extension in {"zip", "tar", "rar", "7z", "gz"}:
        raise ValidationError(ERROR_ARCHIVE, code="archive")
    raise refused(_("{extension} files").format(extension=found.extension.upper()))
