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
   and checked without decoding the whole picture; PDFs are checked for JavaScript and
   launch actions, also inside compressed object streams.

Video and audio are checked for a sound container (box sizes, a frame that follows), not
decoded: there is no decoder on the server.
"""

from __future__ import annotations

import math
import re
import struct
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image
from pillow_heif import register_heif_opener

register_heif_opener()

KINDS = ("image", "video", "audio", "document")

_UPLOAD_INSTEAD = (
    "Upload a photo (JPEG, PNG, WebP, GIF, HEIC), a video (MP4, WebM, MOV), "
    "audio (MP3, M4A, OGG, WAV) or a PDF."
)
ERROR_EMPTY = "This file is empty. Choose the file again and upload it."
ERROR_TYPE_REFUSED = "{what} can't be uploaded. " + _UPLOAD_INSTEAD
ERROR_TYPE_UNKNOWN = "This type of file can't be uploaded. " + _UPLOAD_INSTEAD
ERROR_SVG = (
    "SVG images can't be uploaded, because they can contain scripts. "
    "Export the drawing as a PNG and upload that."
)
ERROR_HTML = (
    "Web pages (HTML) can't be uploaded. Save the page as a PDF, or take a screenshot, "
    "and upload that."
)
ERROR_EXECUTABLE = "Programs and scripts can't be uploaded. " + _UPLOAD_INSTEAD
ERROR_ARCHIVE = (
    "Archives (ZIP, RAR, 7z and the like) can't be uploaded. Upload photos, videos and audio "
    "one at a time, and save documents as a PDF."
)
ERROR_OFFICE_DOCUMENT = (
    "Word, PowerPoint and Excel files can't be uploaded. Save the document as a PDF "
    '("File > Save as" or "Export") and upload that.'
)
ERROR_TOO_LARGE = (
    "This {noun} is {size} MB; the limit for {nouns} is {limit} MB. "
    "Make it smaller and upload it again."
)
ERROR_IMAGE_TOO_MANY_PIXELS = (
    "This photo has more than {limit} million pixels, the most we accept. "
    "Resize it and upload it again."
)
ERROR_CORRUPT = (
    "This {what} file is damaged or incomplete. Save or export it again, then upload the new copy."
)
ERROR_PDF_SCRIPT = (
    "This PDF contains scripts or actions that run when it is opened, so it can't be shared. "
    'Print it to a new PDF ("Save as PDF") and upload that.'
)
ERROR_PDF_ENCRYPTED = (
    "This PDF is password-protected. Save a copy without a password and upload that."
)
ERROR_PDF_UNCHECKABLE = (
    "This PDF is built in a way we can't check for scripts. "
    'Print it to a new PDF ("Save as PDF") and upload that.'
)

# How each kind is called in messages: singular, plural.
KIND_NOUNS = {
    "image": ("photo", "photos"),
    "video": ("video", "videos"),
    "audio": ("audio file", "audio files"),
    "document": ("PDF", "PDFs"),
}
MEGABYTE = 1024 * 1024
_HEAD_BYTES = 64 * 1024  # enough for every signature, EBML track list and Ogg header pages


@dataclass(frozen=True)
class UploadInfo:
    """What an accepted upload is, from its bytes."""

    kind: str  # one of KINDS
    mime_type: str
    extension: str  # canonical, without the dot: "jpg", "mp4", "m4a", "pdf"
    size: int  # bytes
    width: int | None = None  # images only
    height: int | None = None


@dataclass(frozen=True)
class _Type:
    kind: str
    mime_type: str
    extension: str
    name: str  # for messages: "PNG"
    pillow_format: str | None = None


JPEG = _Type("image", "image/jpeg", "jpg", "JPEG", "JPEG")
PNG = _Type("image", "image/png", "png", "PNG", "PNG")
WEBP = _Type("image", "image/webp", "webp", "WebP", "WEBP")
GIF = _Type("image", "image/gif", "gif", "GIF", "GIF")
HEIC = _Type("image", "image/heic", "heic", "HEIC", "HEIF")
MP4 = _Type("video", "video/mp4", "mp4", "MP4")
MOV = _Type("video", "video/quicktime", "mov", "MOV")
WEBM = _Type("video", "video/webm", "webm", "WebM")
WEBM_AUDIO = _Type("audio", "audio/webm", "webm", "WebM")
M4A = _Type("audio", "audio/mp4", "m4a", "M4A")
MP3 = _Type("audio", "audio/mpeg", "mp3", "MP3")
OGG = _Type("audio", "audio/ogg", "ogg", "OGG")
WAV = _Type("audio", "audio/wav", "wav", "WAV")
PDF = _Type("document", "application/pdf", "pdf", "PDF")

_FILETYPE_ACCEPTED = {"jpg": JPEG, "png": PNG, "apng": PNG, "gif": GIF, "webp": WEBP}


def upload_inspect(file: IO[bytes]) -> UploadInfo:
    """What `file` (a Django UploadedFile or File) is, or a ValidationError saying why it can't
    be uploaded. Reads only what it needs; the file's position is back at 0 afterwards."""
    try:
        size = _size(file)
        if size == 0:
            raise ValidationError(ERROR_EMPTY, code="empty")
        file.seek(0)
        head = file.read(_HEAD_BYTES)
        kind = _identify(file, head, size)
        _check_size(kind, size)
        width = height = None
        if kind.kind == "image":
            width, height = _image_check(file, kind)
        elif kind is PDF:
            _pdf_check(file)
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


def _refused(what: str) -> ValidationError:
    return ValidationError(ERROR_TYPE_REFUSED.format(what=what), code="type_refused")


def _corrupt(kind: _Type | str) -> ValidationError:
    what = kind if isinstance(kind, str) else kind.name
    return ValidationError(ERROR_CORRUPT.format(what=what), code="corrupt")


def megabytes(size: int) -> str:
    """A size in MB for messages, rounded up to a tenth so that a file over the limit never
    reads as equal to it: "20.1", "1.5", "3"."""
    return f"{math.ceil(size * 10 / MEGABYTE) / 10:g}"


def _check_size(kind: _Type, size: int) -> None:
    limit = settings.MEDIA_MAX_UPLOAD_MB[kind.kind]
    if size > limit * MEGABYTE:
        noun, nouns = KIND_NOUNS[kind.kind]
        message = ERROR_TOO_LARGE.format(noun=noun, nouns=nouns, size=megabytes(size), limit=limit)
        raise ValidationError(message, code="too_large")


# --- What the bytes are ------------------------------------------------------------------------

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


def _identify(file: IO[bytes], head: bytes, size: int) -> _Type:
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
        return _identify_iso_bmff(file, head, size)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return _identify_ebml(head)
    if head.startswith(b"OggS"):
        return _identify_ogg(head)
    if head.startswith(b"ID3") or _mp3_frame_length(head) is not None:
        return _identify_mp3(file, head, size)
    found = filetype.match(head, matchers=filetype.image_matchers)
    if found is not None and found.extension in _FILETYPE_ACCEPTED:
        return _FILETYPE_ACCEPTED[found.extension]
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return _identify_wav(head)
    _refuse_named(head)
    raise ValidationError(ERROR_TYPE_UNKNOWN, code="type_unknown")


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
        raise _refused("XML files")
    raise ValidationError(ERROR_HTML, code="html")


def _refuse_named(head: bytes) -> None:
    """Name a type we know but don't accept, so the student learns what their file is."""
    found = filetype.guess(head)
    if found is None:
        return
    if found in filetype.archive_matchers or found.extension in {"zip", "tar", "rar", "7z", "gz"}:
        raise ValidationError(ERROR_ARCHIVE, code="archive")
    raise _refused(f"{found.extension.upper()} files")


# ISO base media files: MP4, MOV, M4A and HEIC share one container, told apart by the brands in
# their "ftyp" box and, for MP4, by what their tracks hold.
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_IMAGE_ITEM_BRANDS = {b"mif1", b"msf1", b"miaf"}  # HEIF in general: HEIC or AVIF
_AVIF_BRANDS = {b"avif", b"avis"}
_M4A_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A "}
_MOV_BRANDS = {b"qt  "}
_MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso3",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"mp71",
    b"avc1",
    b"dash",
    b"M4V ",
    b"M4VH",
    b"M4VP",
    b"MSNV",
    b"f4v ",
}


def _identify_iso_bmff(file: IO[bytes], head: bytes, size: int) -> _Type:
    ftyp_size = struct.unpack(">I", head[:4])[0]
    if ftyp_size < 16 or ftyp_size > len(head):
        raise _corrupt("MP4")
    major = head[8:12]
    brands = {major} | {head[i : i + 4] for i in range(16, ftyp_size - 3, 4)}
    if major in _HEIC_BRANDS or (major in _IMAGE_ITEM_BRANDS and brands & _HEIC_BRANDS):
        return HEIC
    if major in _AVIF_BRANDS or (major in _IMAGE_ITEM_BRANDS and brands & _AVIF_BRANDS):
        raise _refused("AVIF images")
    if major in _IMAGE_ITEM_BRANDS:
        return HEIC
    if major in _M4A_BRANDS:
        kind = M4A
    elif major in _MOV_BRANDS:
        kind = MOV
    elif major in _MP4_BRANDS or brands & _MP4_BRANDS:
        kind = MP4
    elif major.startswith((b"3gp", b"3g2")):
        raise _refused("3GP videos")
    else:
        raise ValidationError(ERROR_TYPE_UNKNOWN, code="type_unknown")
    boxes = dict(_iso_boxes(file, 0, size, kind))
    if b"moov" not in boxes:
        raise _corrupt(kind)
    if kind is MP4:
        handlers = set(_iso_handlers(file, *boxes[b"moov"], kind))
        if b"soun" in handlers and b"vide" not in handlers:
            return M4A
    return kind


def _iso_boxes(
    file: IO[bytes], start: int, end: int, kind: _Type
) -> Iterator[tuple[bytes, tuple[int, int]]]:
    """The boxes between `start` and `end`: (type, (body start, body end)), reading headers
    only. A box that runs past its parent means the file was cut short."""
    offset = start
    while offset + 8 <= end:
        file.seek(offset)
        header = file.read(16)
        box_size, box_type = struct.unpack(">I4s", header[:8])
        body = offset + 8
        if box_size == 1:  # 64-bit size follows
            if len(header) < 16:
                raise _corrupt(kind)
            box_size = struct.unpack(">Q", header[8:16])[0]
            body = offset + 16
        elif box_size == 0:  # runs to the end
            box_size = end - offset
        if box_size < body - offset or offset + box_size > end:
            raise _corrupt(kind)
        yield box_type, (body, offset + box_size)
        offset += box_size


def _iso_handlers(file: IO[bytes], start: int, end: int, kind: _Type) -> Iterator[bytes]:
    """The handler type of each track in a moov box: b"vide", b"soun", ..."""
    for box_type, (trak_start, trak_end) in _iso_boxes(file, start, end, kind):
        if box_type != b"trak":
            continue
        for inner_type, (mdia_start, mdia_end) in _iso_boxes(file, trak_start, trak_end, kind):
            if inner_type != b"mdia":
                continue
            for leaf_type, (hdlr_start, _) in _iso_boxes(file, mdia_start, mdia_end, kind):
                if leaf_type == b"hdlr":
                    file.seek(hdlr_start + 8)  # version and flags, pre_defined
                    yield file.read(4)


def _ebml_vint(data: bytes, offset: int, *, keep_marker: bool) -> tuple[int | None, int]:
    """An EBML variable-length integer at `offset`: (value, next offset). The value is None for
    "unknown size" (all value bits set), which live recordings write for the Segment."""
    if offset >= len(data) or data[offset] == 0:
        raise ValueError("not a variable-length integer")
    length = 8 - data[offset].bit_length() + 1
    if offset + length > len(data):
        raise ValueError("cut short")
    value = int.from_bytes(data[offset : offset + length], "big")
    if keep_marker:
        return value, offset + length
    value &= (1 << (7 * length)) - 1
    if value == (1 << (7 * length)) - 1:
        return None, offset + length
    return value, offset + length


def _ebml_elements(data: bytes, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """(element id, body start, body end) of the elements between `start` and `end`; an element
    of unknown size, or one cut off by the end of `data`, reaches to `end`."""
    offset = start
    while offset < end:
        element_id, offset = _ebml_vint(data, offset, keep_marker=True)
        size, offset = _ebml_vint(data, offset, keep_marker=False)
        body_end = end if size is None else min(offset + size, end)
        yield element_id, offset, body_end
        offset = body_end


_EBML_DOC_TYPE = 0x4282
_MKV_SEGMENT, _MKV_TRACKS, _MKV_TRACK_ENTRY, _MKV_TRACK_TYPE = (
    0x18538067,
    0x1654AE6B,
    0xAE,
    0x83,
)
_MKV_CLUSTER = 0x1F43B675


def _identify_ebml(head: bytes) -> _Type:
    """WebM (a Matroska profile) by its DocType; an audio-only WebM (what browsers record voice
    as) is audio. Other Matroska files are refused: browsers don't play them."""
    try:
        _, header_start, header_end = next(_ebml_elements(head, 0, len(head)))
        doc_type = b""
        for element_id, start, end in _ebml_elements(head, header_start, header_end):
            if element_id == _EBML_DOC_TYPE:
                doc_type = head[start:end].rstrip(b"\x00")
        if doc_type == b"matroska":
            raise _refused("Matroska (MKV) videos")
        if doc_type != b"webm":
            raise ValidationError(ERROR_TYPE_UNKNOWN, code="type_unknown")
        track_types = set(_webm_track_types(head, header_end))
    except (ValueError, StopIteration):
        raise _corrupt(WEBM) from None
    if track_types and 1 not in track_types and 2 in track_types:
        return WEBM_AUDIO
    return WEBM


def _webm_track_types(head: bytes, offset: int) -> Iterator[int]:
    for element_id, start, end in _ebml_elements(head, offset, len(head)):
        if element_id != _MKV_SEGMENT:
            continue
        for child_id, child_start, child_end in _ebml_elements(head, start, end):
            if child_id == _MKV_CLUSTER:
                return  # the track list comes before the first cluster
            if child_id != _MKV_TRACKS:
                continue
            for entry_id, entry_start, entry_end in _ebml_elements(head, child_start, child_end):
                if entry_id != _MKV_TRACK_ENTRY:
                    continue
                for leaf_id, leaf_start, leaf_end in _ebml_elements(head, entry_start, entry_end):
                    if leaf_id == _MKV_TRACK_TYPE:
                        yield int.from_bytes(head[leaf_start:leaf_end], "big")
        return


_OGG_CODECS = {
    b"\x01vorbis": "vorbis",
    b"OpusHead": "opus",
    b"\x80theora": "theora",
}


def _identify_ogg(head: bytes) -> _Type:
    """Ogg audio (Vorbis, Opus). An Ogg with a Theora stream is a video, which browsers
    barely play any more: refused, with MP4 and WebM suggested like for every refused type."""
    codecs = set()
    offset = 0
    # Each logical stream starts with a "beginning of stream" page, all of them first.
    while head.startswith(b"OggS", offset) and offset + 27 <= len(head):
        if not head[offset + 5] & 0x02:
            break
        segments = head[offset + 26]
        table = head[offset + 27 : offset + 27 + segments]
        packet = offset + 27 + segments
        if len(table) < segments or packet + 8 > len(head):
            raise _corrupt(OGG)
        codecs.add(
            _OGG_CODECS.get(head[packet : packet + 7]) or _OGG_CODECS.get(head[packet : packet + 8])
        )
        offset = packet + sum(table)
    if not codecs:
        raise _corrupt(OGG)
    if "theora" in codecs:
        raise _refused("Ogg videos (Theora)")
    if codecs <= {"vorbis", "opus"}:
        return OGG
    raise _refused("Ogg files other than Vorbis or Opus audio")


_MP3_BITRATES = {
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),  # MPEG-1
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),  # MPEG-2
    0: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),  # MPEG-2.5
}
_MP3_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _mp3_frame_length(data: bytes, offset: int = 0) -> int | None:
    """The length of the MPEG audio Layer III frame whose header is at `offset`, or None if
    there is no valid header there."""
    header = data[offset : offset + 4]
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version, layer = (header[1] >> 3) & 0x03, (header[1] >> 1) & 0x03
    bitrate_index, rate_index = header[2] >> 4, (header[2] >> 2) & 0x03
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    bitrate = _MP3_BITRATES[version][bitrate_index] * 1000
    rate = _MP3_SAMPLE_RATES[version][rate_index]
    return (144 if version == 3 else 72) * bitrate // rate + ((header[2] >> 1) & 0x01)


def _identify_mp3(file: IO[bytes], head: bytes, size: int) -> _Type:
    """An MP3 is frames, optionally after an ID3 tag: the first frame must be followed by
    another one (or the end of the file), which a random binary file starting with 0xFF
    would not be."""
    start = 0
    if head.startswith(b"ID3"):
        if len(head) < 10:
            raise _corrupt(MP3)
        tag_size = 0
        for byte in head[6:10]:
            tag_size = (tag_size << 7) | (byte & 0x7F)
        start = 10 + tag_size + (10 if head[5] & 0x10 else 0)
    file.seek(start)
    data = file.read(8192)
    # Some taggers leave padding past the size they declare: look a little further.
    for offset in range(min(len(data), 4096)):
        length = _mp3_frame_length(data, offset)
        if length is None:
            continue
        following = start + offset + length
        if offset + length + 16 > len(data):
            file.seek(following)
            after = file.read(16)
        else:
            after = data[offset + length : offset + length + 16]
        # Another frame, or the end of the file, or a tag at the end (ID3v1, APE, Lyrics3).
        if following == size or _mp3_frame_length(after) is not None:
            return MP3
        if after.startswith((b"TAG", b"APETAGEX", b"LYRICSBEGIN")):
            return MP3
        if not head.startswith(b"ID3"):
            break
    if head.startswith(b"ID3"):
        raise _corrupt(MP3)
    raise ValidationError(ERROR_TYPE_UNKNOWN, code="type_unknown")


def _identify_wav(head: bytes) -> _Type:
    """RIFF WAVE with a format chunk first (the data may be of any PCM or compressed
    format browsers handle)."""
    offset, chunks = 12, set()
    while offset + 8 <= len(head):
        chunk_id, chunk_size = struct.unpack("<4sI", head[offset : offset + 8])
        chunks.add(chunk_id)
        if chunk_id == b"data":
            break
        offset += 8 + chunk_size + (chunk_size & 1)
    if b"fmt " not in chunks or b"data" not in chunks:
        raise _corrupt(WAV)
    return WAV


# --- Images ------------------------------------------------------------------------------------


def _image_check(file: IO[bytes], kind: _Type) -> tuple[int, int]:
    """Open the image with Pillow, refusing more pixels than MEDIA_MAX_IMAGE_PIXELS, and check
    it without decoding it whole: PNG chunk checksums through the end, JPEG decoded at one
    eighth of its size (cheap, and a cut-off file fails). WebP, GIF and HEIC are checked as
    far as opening them; metadata.photo_strip_location decodes them and refuses a broken one."""
    limit = settings.MEDIA_MAX_IMAGE_PIXELS
    too_many = _too_many_pixels(limit)
    # Our limit is checked from the header, before anything is decoded. Pillow's own guard
    # (Image.MAX_IMAGE_PIXELS, process-wide, left alone here: changing it per call would leak
    # into every other image opened in the process) warns, which is made a refusal below, and
    # raises at twice its value.
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file, formats=[kind.pillow_format]) as image:
                width, height = image.size
                if width * height > limit:
                    raise too_many
                if kind is JPEG:
                    image.draft(image.mode, (max(width // 8, 1), max(height // 8, 1)))
                    image.load()
                else:
                    image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refused at its own limit, which is the one to name if it is the lower.
        raise _too_many_pixels(min(limit, Image.MAX_IMAGE_PIXELS or limit)) from None
    except ValidationError:
        raise
    except Exception:  # Pillow raises many kinds of error on damaged files; all mean "corrupt"
        raise _corrupt(kind) from None
    return width, height


def _too_many_pixels(limit: int) -> ValidationError:
    return ValidationError(
        ERROR_IMAGE_TOO_MANY_PIXELS.format(limit=f"{limit / 1_000_000:g}"), code="too_many_pixels"
    )


# --- PDF ---------------------------------------------------------------------------------------

_PDF_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]*)")
_PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_ACTIVE_NAMES = {b"JS", b"JavaScript", b"Launch"}
_PDF_INFLATE_LIMIT = 32 * MEGABYTE
_PDF_FILTERS = {
    b"FlateDecode",
    b"ASCIIHexDecode",
    b"ASCII85Decode",
    b"LZWDecode",
    b"RunLengthDecode",
    b"Crypt",
}


def _pdf_check(file: IO[bytes]) -> None:
    """A PDF must be whole (end with %%EOF) and run nothing when opened: no JavaScript and no
    launch actions, looked for in every dictionary, including those packed in compressed
    object streams and names written with #xx escapes. Content streams (page drawings, images)
    are skipped: their bytes are not dictionaries, and random image data would match."""
    file.seek(0)
    data = file.read()
    if b"%%EOF" not in data[-1024:]:
        raise _corrupt(PDF)
    names: set[bytes] = set()
    unreadable: list[bytes] = []  # object streams we could not open
    for text in _pdf_dictionary_text(data, unreadable):
        for match in _PDF_NAME.finditer(text):
            name = match.group(1)
            if b"#" in name:
                name = _PDF_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), name)
            names.add(name)
    # Encrypted object streams can't be opened either: say what the student can do about it.
    if b"Encrypt" in names:
        raise ValidationError(ERROR_PDF_ENCRYPTED, code="pdf_encrypted")
    if names & _PDF_ACTIVE_NAMES:
        raise ValidationError(ERROR_PDF_SCRIPT, code="pdf_script")
    if unreadable:
        raise ValidationError(ERROR_PDF_UNCHECKABLE, code="pdf_uncheckable")


def _pdf_dictionary_text(data: bytes, unreadable: list[bytes]) -> Iterator[bytes]:
    """The PDF's bytes outside streams, and the inflated contents of its object streams; an
    object stream that can't be inflated is added to `unreadable`."""
    offset = 0
    while (match := _PDF_STREAM.search(data, offset)) is not None:
        before = data[offset : match.start()]
        yield before
        end = data.find(b"endstream", match.end())
        if end == -1:
            raise _corrupt(PDF)
        dictionary = before[before.rfind(b"obj") :]
        if b"/ObjStm" in dictionary:
            body = data[match.end() : end]
            inflated = _pdf_object_stream(dictionary, body)
            if inflated is None:
                unreadable.append(body)
            else:
                yield inflated
        offset = end + len(b"endstream")
    yield data[offset:]


def _pdf_object_stream(dictionary: bytes, body: bytes) -> bytes | None:
    """An object stream's contents, if it is stored plain or with Flate only (what every PDF
    writer produces); None for any other filter, or data that doesn't inflate."""
    if b"/Filter" not in dictionary:
        return body
    filters = set(_PDF_NAME.findall(dictionary[dictionary.find(b"/Filter") :]))
    if filters & _PDF_FILTERS != {b"FlateDecode"}:
        return None
    try:
        return zlib.decompressobj().decompress(body, _PDF_INFLATE_LIMIT)
    except zlib.error:
        return None
