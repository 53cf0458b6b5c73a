"""Video and audio, by their containers: ISO base media (MP4, MOV, M4A, and HEIC, which
shares the container), EBML (WebM), Ogg, MPEG audio frames (MP3) and RIFF WAVE.

There is no decoder on the server, so nothing here is decoded: a container is checked for
being sound (box sizes within their parents, a frame followed by another) and for holding
what browsers play. Each `identify_*` takes the first bytes (and the file, where a box or
frame lies further in) and returns the format, or raises the ValidationError that says why
not.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from .formats import HEIC, M4A, MOV, MP3, MP4, OGG, WAV, WEBM, WEBM_AUDIO, FileType
from .messages import ERROR_TYPE_UNKNOWN, corrupt, refused

# --- ISO base media ----------------------------------------------------------------------------

# MP4, MOV, M4A and HEIC share one container, told apart by the brands in their "ftyp" box and,
# for MP4, by what their tracks hold.
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


def iso_bmff_is_heic(head: bytes) -> bool:
    """Whether the "ftyp" box at the start of `head` says HEIC (False if it is cut off)."""
    ftyp_size = struct.unpack(">I", head[:4])[0]
    if ftyp_size < 16 or ftyp_size > len(head):
        return False
    major = head[8:12]
    brands = {major} | {head[i : i + 4] for i in range(16, ftyp_size - 3, 4)}
    return major in _HEIC_BRANDS or (major in _IMAGE_ITEM_BRANDS and brands & _HEIC_BRANDS)


def identify_iso_bmff(file: IO[bytes], head: bytes, size: int) -> FileType:
    ftyp_size = struct.unpack(">I", head[:4])[0]
    if ftyp_size < 16 or ftyp_size > len(head):
        raise corrupt("MP4")
    major = head[8:12]
    brands = {major} | {head[i : i + 4] for i in range(16, ftyp_size - 3, 4)}
    if iso_bmff_is_heic(head):
        return HEIC
    if major in _AVIF_BRANDS or (major in _IMAGE_ITEM_BRANDS and brands & _AVIF_BRANDS):
        raise refused(gettext("AVIF images"))
    if major in _IMAGE_ITEM_BRANDS:
        return HEIC
    if major in _M4A_BRANDS:
        kind = M4A
    elif major in _MOV_BRANDS:
        kind = MOV
    elif major in _MP4_BRANDS or brands & _MP4_BRANDS:
        kind = MP4
    elif major.startswith((b"3gp", b"3g2")):
        raise refused(gettext("3GP videos"))
    else:
        raise ValidationError(ERROR_TYPE_UNKNOWN, code="type_unknown")
    boxes = dict(_iso_boxes(file, 0, size, kind))
    if b"moov" not in boxes:
        raise corrupt(kind)
    if kind is MP4:
        handlers = set(_iso_handlers(file, *boxes[b"moov"], kind))
        if b"soun" in handlers and b"vide" not in handlers:
            return M4A
    return kind


def _iso_boxes(
    file: IO[bytes], start: int, end: int, kind: FileType
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
                raise corrupt(kind)
            box_size = struct.unpack(">Q", header[8:16])[0]
            body = offset + 16
        elif box_size == 0:  # runs to the end
            box_size = end - offset
        if box_size < body - offset or offset + box_size > end:
            raise corrupt(kind)
        yield box_type, (body, offset + box_size)
        offset += box_size


def _iso_handlers(file: IO[bytes], start: int, end: int, kind: FileType) -> Iterator[bytes]:
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


# --- WebM (EBML) -------------------------------------------------------------------------------


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


def identify_ebml(head: bytes) -> FileType:
    """WebM (a Matroska profile) by its DocType; an audio-only WebM (what browsers record voice
    as) is audio. Other Matroska files are refused: browsers don't play them."""
    try:
        _, header_start, header_end = next(_ebml_elements(head, 0, len(head)))
        doc_type = b""
        for element_id, start, end in _ebml_elements(head, header_start, header_end):
            if element_id == _EBML_DOC_TYPE:
                doc_type = head[start:end].rstrip(b"\x00")
        if doc_type == b"matroska":
            raise refused(gettext("Matroska (MKV) videos"))
        if doc_type != b"webm":
            raise ValidationError(ERROR_TYPE_UNKNOWN, code="type_unknown")
        track_types = set(_webm_track_types(head, header_end))
    except (ValueError, StopIteration):
        raise corrupt(WEBM) from None
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


# --- Ogg ---------------------------------------------------------------------------------------

_OGG_CODECS = {
    b"\x01vorbis": "vorbis",
    b"OpusHead": "opus",
    b"\x80theora": "theora",
}


def identify_ogg(head: bytes) -> FileType:
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
            raise corrupt(OGG)
        codecs.add(
            _OGG_CODECS.get(head[packet : packet + 7]) or _OGG_CODECS.get(head[packet : packet + 8])
        )
        offset = packet + sum(table)
    if not codecs:
        raise corrupt(OGG)
    if "theora" in codecs:
        raise refused(gettext("Ogg videos (Theora)"))
    if codecs <= {"vorbis", "opus"}:
        return OGG
    raise refused(gettext("Ogg files other than Vorbis or Opus audio"))


# --- MP3 ---------------------------------------------------------------------------------------

_MP3_BITRATES = {
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),  # MPEG-1
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),  # MPEG-2
    0: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),  # MPEG-2.5
}
_MP3_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def mp3_frame_length(data: bytes, offset: int = 0) -> int | None:
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


def identify_mp3(file: IO[bytes], head: bytes, size: int) -> FileType:
    """An MP3 is frames, optionally after an ID3 tag: the first frame must be followed by
    another one (or the end of the file), which a random binary file starting with 0xFF
    would not be."""
    start = 0
    if head.startswith(b"ID3"):
        if len(head) < 10:
            raise corrupt(MP3)
        tag_size = 0
        for byte in head[6:10]:
            tag_size = (tag_size << 7) | (byte & 0x7F)
        start = 10 + tag_size + (10 if head[5] & 0x10 else 0)
    file.seek(start)
    data = file.read(8192)
    # Some taggers leave padding past the size they declare: look a little further.
    for offset in range(min(len(data), 4096)):
        length = mp3_frame_length(data, offset)
        if length is None:
            continue
        following = start + offset + length
        if offset + length + 16 > len(data):
            file.seek(following)
            after = file.read(16)
        else:
            after = data[offset + length : offset + length + 16]
        # Another frame, or the end of the file, or a tag at the end (ID3v1, APE, Lyrics3).
        if following == size or mp3_frame_length(after) is not None:
            return MP3
        if after.startswith((b"TAG", b"APETAGEX", b"LYRICSBEGIN")):
            return MP3
        if not head.startswith(b"ID3"):
            break
    if head.startswith(b"ID3"):
        raise corrupt(MP3)
    raise ValidationError(ERROR_TYPE_UNKNOWN, code="type_unknown")


# --- WAV ---------------------------------------------------------------------------------------


def identify_wav(head: bytes) -> FileType:
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
        raise corrupt(WAV)
    return WAV
