"""Metadata cut out of a photo's file without decoding its pixels: the chunks of PNG and WebP,
the segments of JPEG, the blocks of GIF (metadata.py decides when that is enough). The
picture's own bytes are copied as they were, so a 50-megapixel PNG of 100 KB costs 100 KB to
strip, not the 150 MB of its pixels, and a JPEG loses nothing to re-encoding.

Only what shows the picture right is kept (a list per format, not a list of what to drop: a
chunk or segment we don't know goes), and the EXIF the caller wants kept is written back in
place of the original's (GIF has no EXIF). Each `*_strip` raises ValueError for a file whose
structure is broken; each `*_exif` returns the file's EXIF (a TIFF structure, as PNG and
WebP store it) or None.
"""

from __future__ import annotations

import struct
import zlib

EXIF_HEADER = b"Exif\x00\x00"  # before the TIFF structure in a JPEG's APP1 segment

# --- PNG ---------------------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The picture, its colours and transparency, its animation (APNG). Not text (tEXt, zTXt,
# iTXt: comments and XMP), not eXIf (written anew), not tIME.
_PNG_KEPT = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB",
    b"cICP", b"mDCv", b"cLLi", b"bKGD", b"hIST", b"pHYs", b"sPLT", b"acTL", b"fcTL", b"fdAT",
}  # fmt: skip


def _png_chunks(data: bytes):
    """(type, start, end) of each chunk: its bytes are data[start:end], header and CRC
    included."""
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG")
    offset = len(PNG_SIGNATURE)
    while True:
        if offset + 12 > len(data):
            raise ValueError("PNG cut off")
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        end = offset + 12 + length
        if end > len(data):
            raise ValueError("PNG cut off")
        yield kind, offset, end
        if kind == b"IEND":
            return
        offset = end


def png_exif(data: bytes) -> bytes | None:
    for kind, start, end in _png_chunks(data):
        if kind == b"eXIf":
            return data[start + 8 : end - 4]
    return None


def png_strip(data: bytes, exif: bytes | None) -> bytes:
    """The PNG with only the chunks of _PNG_KEPT, and `exif` (if any) before its pixels."""
    out = [PNG_SIGNATURE]
    for kind, start, end in _png_chunks(data):
        if kind == b"IDAT" and exif:
            out.append(_png_chunk(b"eXIf", exif))
            exif = None
        if kind in _PNG_KEPT:
            out.append(data[start:end])
    return b"".join(out)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


# --- JPEG --------------------------------------------------------------------------------------

# Segments kept by marker: the frame headers (SOF0-SOF15), Huffman tables (DHT, 0xC4) and
# arithmetic conditioning (DAC, 0xCC) among them, but not the reserved JPG (0xC8); the
# quantisation tables, number of lines and restart interval (DQT, DNL, DRI).
_JPEG_KEPT = (set(range(0xC0, 0xD0)) - {0xC8}) | {0xDB, 0xDC, 0xDD}
# Application segments kept, by what they start with: JFIF (pixel density), the ICC colour
# profile (in pieces), Adobe's (how to read CMYK and YCCK). Not APP1 (EXIF, written anew;
# XMP), not APP13 (Photoshop, IPTC), not MPF (the other pictures of a multi-picture file).
_JPEG_KEPT_APPLICATIONS = {0xE0: b"JFIF\x00", 0xE2: b"ICC_PROFILE\x00", 0xEE: b"Adobe"}
_SOS, _EOI = 0xDA, 0xD9


def _jpeg_segments(data: bytes):
    """(marker, start, end) of each segment after SOI, up to and including EOI; for SOS, end
    is past the entropy-coded data that follows it."""
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    offset = 2
    while True:
        while (
            offset < len(data) and data[offset] == 0xFF and data[offset + 1 : offset + 2] == b"\xff"
        ):
            offset += 1  # fill bytes before a marker
        if offset + 2 > len(data) or data[offset] != 0xFF:
            raise ValueError("JPEG cut off, or a segment where none can be")
        marker = data[offset + 1]
        if marker == _EOI:
            yield marker, offset, offset + 2
            return
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # restart markers, TEM: no length
            yield marker, offset, offset + 2
            offset += 2
            continue
        if offset + 4 > len(data):
            raise ValueError("JPEG cut off")
        end = offset + 2 + struct.unpack(">H", data[offset + 2 : offset + 4])[0]
        if marker == _SOS:
            end = _jpeg_scan_end(data, end)
        elif end > len(data):
            raise ValueError("JPEG cut off")
        yield marker, offset, end
        offset = end


def _jpeg_scan_end(data: bytes, offset: int) -> int:
    """Where the entropy-coded data from `offset` ends: at the first marker that is neither a
    stuffed 0xFF (FF 00) nor a restart marker."""
    while True:
        offset = data.find(b"\xff", offset)
        if offset == -1 or offset + 1 >= len(data):
            raise ValueError("JPEG cut off in its picture data")
        following = data[offset + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            offset += 1 if following == 0xFF else 2
            continue
        return offset


def jpeg_exif(data: bytes) -> bytes | None:
    for marker, start, end in _jpeg_segments(data):
        if marker == 0xE1 and data[start + 4 : start + 10] == EXIF_HEADER:
            return data[start + 10 : end]
        if marker == _SOS:
            return None
    return None


def jpeg_strip(data: bytes, exif: bytes | None) -> bytes:
    """The JPEG's first picture with only the segments that draw it, the JFIF, ICC and Adobe
    segments, and `exif` (if any) first (after JFIF, if the file starts with it); nothing
    after its end (EOI)."""
    kept = []
    for marker, start, end in _jpeg_segments(data):
        prefix = _JPEG_KEPT_APPLICATIONS.get(marker)
        if (
            marker in _JPEG_KEPT
            or marker in (_SOS, _EOI)
            or 0xD0 <= marker <= 0xD7
            or (prefix is not None and data[start + 4 : start + 4 + len(prefix)] == prefix)
        ):
            kept.append(data[start:end])
    if exif:
        body = EXIF_HEADER + exif
        if len(body) + 2 > 0xFFFF:
            raise ValueError("EXIF too long for a segment")
        first = 1 if kept[0][4:9] == b"JFIF\x00" else 0
        kept.insert(first, b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body)
    return b"\xff\xd8" + b"".join(kept)


# --- WebP --------------------------------------------------------------------------------------

# The picture (lossy, lossless, its alpha), the extended header, the colour profile and the
# animation. Not EXIF (written anew), not XMP.
_WEBP_KEPT = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ICCP", b"ANIM", b"ANMF"}
_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04


def _webp_chunks(data: bytes):
    """(fourcc, start, end) of each chunk inside the RIFF container, padding included."""
    if not (data.startswith(b"RIFF") and data[8:12] == b"WEBP"):
        raise ValueError("not a WebP")
    riff_end = 8 + struct.unpack("<I", data[4:8])[0]
    if riff_end > len(data):
        raise ValueError("WebP cut off")
    offset = 12
    while offset < riff_end:
        if offset + 8 > riff_end:
            raise ValueError("WebP chunk cut off")
        kind, size = struct.unpack("<4sI", data[offset : offset + 8])
        end = offset + 8 + size + (size & 1)
        if end > riff_end:
            raise ValueError("WebP chunk cut off")
        yield kind, offset, end
        offset = end


def webp_exif(data: bytes) -> bytes | None:
    for kind, start, _end in _webp_chunks(data):
        if kind == b"EXIF":
            size = struct.unpack("<I", data[start + 4 : start + 8])[0]
            body = data[start + 8 : start + 8 + size]
            return body.removeprefix(EXIF_HEADER)
    return None


def webp_strip(data: bytes, exif: bytes | None) -> bytes:
    """The WebP with only the chunks of _WEBP_KEPT, and `exif` (if any) at the end, where the
    format puts it; the extended header's flags say what is left."""
    chunks = []
    for kind, start, end in _webp_chunks(data):
        if kind not in _WEBP_KEPT:
            continue
        chunk = data[start:end]
        if kind == b"VP8X":
            flags = (chunk[8] & ~(_VP8X_EXIF | _VP8X_XMP)) | (_VP8X_EXIF if exif else 0)
            chunk = chunk[:8] + bytes([flags]) + chunk[9:]
        chunks.append(chunk)
    if exif and chunks and chunks[0].startswith(b"VP8X"):  # only the extended format has EXIF
        chunks.append(b"EXIF" + struct.pack("<I", len(exif)) + exif + b"\x00" * (len(exif) & 1))
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


# --- GIF ---------------------------------------------------------------------------------------

# The application extensions a GIF may keep: the animation's loop count.
_GIF_KEPT_APPLICATIONS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")


def gif_strip(data: bytes) -> bytes:
    """The GIF without comment extensions and without application extensions other than the
    loop count (XMP lives in one): every other byte is copied as it was. A GIF has no EXIF."""
    if len(data) < 13:
        raise ValueError("GIF cut off")
    flags = data[10]
    offset = 13 + (3 * 2 ** ((flags & 0x07) + 1) if flags & 0x80 else 0)
    out = bytearray(data[:offset])
    while offset < len(data):
        block = data[offset]
        if block == 0x3B:  # trailer
            break
        if block == 0x21:  # extension: label, then sub-blocks
            if offset + 2 > len(data):
                raise ValueError("GIF cut off")
            label = data[offset + 1]
            end = _gif_sub_blocks_end(data, offset + 2)
            application = data[offset + 3 : offset + 14] if label == 0xFF else None
            if label != 0xFE and (application is None or application in _GIF_KEPT_APPLICATIONS):
                out += data[offset:end]
        elif block == 0x2C:  # image: descriptor, local colour table, LZW code size, sub-blocks
            if offset + 11 > len(data):
                raise ValueError("GIF cut off")
            local = data[offset + 9]
            table = 3 * 2 ** ((local & 0x07) + 1) if local & 0x80 else 0
            end = _gif_sub_blocks_end(data, offset + 10 + table + 1)
            out += data[offset:end]
        else:
            raise ValueError("not a GIF block")
        offset = end
    out.append(0x3B)
    return bytes(out)


def _gif_sub_blocks_end(data: bytes, offset: int) -> int:
    while True:
        if offset >= len(data):
            raise ValueError("GIF cut off")
        length = data[offset]
        offset += 1 + length
        if length == 0:
            return offset
