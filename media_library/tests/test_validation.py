"""Upload validation: the bytes decide, and every refusal says why. No database needed."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from PIL import Image

from media_library import validation
from media_library.tests import samples
from media_library.validation import (
    ERROR_ARCHIVE,
    ERROR_CORRUPT,
    ERROR_EMPTY,
    ERROR_EXECUTABLE,
    ERROR_HTML,
    ERROR_IMAGE_TOO_MANY_PIXELS,
    ERROR_OFFICE_DOCUMENT,
    ERROR_PDF_ENCRYPTED,
    ERROR_PDF_SCRIPT,
    ERROR_PDF_UNCHECKABLE,
    ERROR_SVG,
    ERROR_TOO_LARGE,
    ERROR_TYPE_REFUSED,
    ERROR_TYPE_UNKNOWN,
    MEGABYTE,
    UploadInfo,
    upload_inspect,
)


def refusal(data: bytes, name: str = "upload.bin", content_type: str = "image/jpeg") -> str:
    with pytest.raises(ValidationError) as caught:
        upload_inspect(samples.uploaded(data, name, content_type))
    [message] = caught.value.messages
    return message


ACCEPTED = [
    ("jpeg", samples.jpeg, "image", "image/jpeg", "jpg"),
    ("png", samples.png, "image", "image/png", "png"),
    ("webp", samples.webp, "image", "image/webp", "webp"),
    ("webp-lossless", lambda: samples.webp(lossless=True), "image", "image/webp", "webp"),
    ("gif", samples.gif, "image", "image/gif", "gif"),
    ("gif-animated", lambda: samples.gif(frames=3), "image", "image/gif", "gif"),
    ("heic", samples.heic, "image", "image/heic", "heic"),
    ("mpo", samples.mpo, "image", "image/jpeg", "jpg"),
    ("mp4", samples.mp4, "video", "video/mp4", "mp4"),
    ("mp4-no-tracks", lambda: samples.mp4(handler=None), "video", "video/mp4", "mp4"),
    ("mov", samples.mov, "video", "video/quicktime", "mov"),
    ("webm", samples.webm, "video", "video/webm", "webm"),
    ("m4a", samples.m4a, "audio", "audio/mp4", "m4a"),
    ("mp4-audio-only", lambda: samples.mp4(handler=b"soun"), "audio", "audio/mp4", "m4a"),
    ("webm-audio-only", lambda: samples.webm(audio_only=True), "audio", "audio/webm", "webm"),
    ("mp3-id3", samples.mp3, "audio", "audio/mpeg", "mp3"),
    ("mp3-bare", lambda: samples.mp3(id3=False), "audio", "audio/mpeg", "mp3"),
    ("ogg-vorbis", samples.ogg, "audio", "audio/ogg", "ogg"),
    ("ogg-opus", lambda: samples.ogg("opus"), "audio", "audio/ogg", "ogg"),
    ("wav", samples.wav, "audio", "audio/wav", "wav"),
    ("pdf", samples.pdf, "document", "application/pdf", "pdf"),
    # A drawing that shows the word is not a script: page contents are not dictionaries.
    ("pdf-saying-javascript", lambda: samples.pdf(text="/JavaScript /JS"), "document", None, "pdf"),
]


@pytest.mark.parametrize(
    ("make", "kind", "mime_type", "extension"),
    [case[1:] for case in ACCEPTED],
    ids=[case[0] for case in ACCEPTED],
)
def test_accepted_types_by_their_bytes(make, kind, mime_type, extension):
    data = make()
    # The name and the browser's type say nothing true: only the bytes count.
    upload = samples.uploaded(data, "whatever.txt", "text/plain")

    info = upload_inspect(upload)

    assert (info.kind, info.extension, info.size) == (kind, extension, len(data))
    assert info.mime_type == (mime_type or "application/pdf")
    assert upload.tell() == 0


def test_image_dimensions():
    info = upload_inspect(samples.uploaded(samples.png(64, 48)))

    assert info == UploadInfo(
        kind="image", mime_type="image/png", extension="png", size=info.size, width=64, height=48
    )
    assert upload_inspect(samples.uploaded(samples.heic(30, 20))).width == 30
    assert upload_inspect(samples.uploaded(samples.mp4())).width is None


def test_jpeg_named_png_is_a_jpeg():
    info = upload_inspect(samples.uploaded(samples.jpeg(), "photo.png", "image/png"))

    assert (info.kind, info.mime_type, info.extension) == ("image", "image/jpeg", "jpg")


def test_pdf_named_jpg_is_a_pdf():
    info = upload_inspect(samples.uploaded(samples.pdf(), "x.jpg", "image/jpeg"))

    assert (info.kind, info.mime_type, info.extension) == ("document", "application/pdf", "pdf")


def test_a_plain_django_file_works_too():
    info = upload_inspect(File(io.BytesIO(samples.wav()), name="sound"))

    assert info.extension == "wav"


def test_info_is_frozen():
    info = upload_inspect(samples.uploaded(samples.gif()))

    with pytest.raises(AttributeError):
        info.kind = "video"


REFUSED = [
    ("svg", samples.svg, ERROR_SVG),
    ("svg-xml-declaration", samples.svg_with_xml_declaration, ERROR_SVG),
    ("svg-after-comment", lambda: b"<!-- made by hand -->\n" + samples.SVG, ERROR_SVG),
    ("html", samples.html, ERROR_HTML),
    ("html-upper-case-bom", lambda: samples.html(upper=True, bom=True), ERROR_HTML),
    ("html-no-doctype", lambda: samples.html(doctype=False), ERROR_HTML),
    ("html-utf16", lambda: b"\xff\xfe" + " <html>hi</html>".encode("utf-16-le"), ERROR_HTML),
    ("xhtml", lambda: b'<?xml version="1.0"?>\n<html xmlns="x"></html>', ERROR_HTML),
    ("exe", samples.exe, ERROR_EXECUTABLE),
    ("elf", samples.elf, ERROR_EXECUTABLE),
    ("mach-o", samples.mach_o, ERROR_EXECUTABLE),
    ("shell-script", samples.shell_script, ERROR_EXECUTABLE),
    ("zip", samples.zip_archive, ERROR_ARCHIVE),
    ("docx", samples.docx, ERROR_OFFICE_DOCUMENT),
    ("doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, ERROR_OFFICE_DOCUMENT),
    ("gzip", lambda: b"\x1f\x8b\x08\x00" + b"\x00" * 20, ERROR_ARCHIVE),
    ("empty", samples.empty, ERROR_EMPTY),
    ("mkv", samples.mkv, ERROR_TYPE_REFUSED.format(what="Matroska (MKV) videos")),
    ("ogg-theora", lambda: samples.ogg("theora+vorbis"), "Ogg videos (Theora) can't be uploaded"),
    ("avif", samples.avif_header, ERROR_TYPE_REFUSED.format(what="AVIF images")),
    ("bmp", samples.bmp, ERROR_TYPE_REFUSED.format(what="BMP files")),
    ("xml", lambda: b'<?xml version="1.0"?><note/>', ERROR_TYPE_REFUSED.format(what="XML files")),
    ("text", lambda: b"just some notes\n", ERROR_TYPE_UNKNOWN),
    ("random", lambda: bytes(range(7, 250)) * 4, ERROR_TYPE_UNKNOWN),
    # Starts like an MP3 frame, but no second frame follows where the first one ends.
    ("fake-mp3-sync", lambda: b"\xff\xfb\x90\x64" + b"\x01" * 2000, ERROR_TYPE_UNKNOWN),
    ("pdf-javascript", samples.pdf_with_javascript, ERROR_PDF_SCRIPT),
    (
        "pdf-javascript-escaped",
        lambda: samples.pdf_with_javascript(how="escaped"),
        ERROR_PDF_SCRIPT,
    ),
    (
        "pdf-javascript-compressed",
        lambda: samples.pdf_with_javascript(how="compressed"),
        ERROR_PDF_SCRIPT,
    ),
    (
        "pdf-launch",
        lambda: samples.pdf().replace(
            b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /Launch >>"
        ),
        ERROR_PDF_SCRIPT,
    ),
    (
        "pdf-encrypted",
        lambda: samples.pdf().replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt << /V 1 >>"),
        ERROR_PDF_ENCRYPTED,
    ),
    (
        "pdf-object-stream-we-cannot-read",
        lambda: samples.pdf_with_javascript(how="compressed").replace(
            b"/FlateDecode", b"/LZWDecode"
        ),
        ERROR_PDF_UNCHECKABLE,
    ),
    ("pdf-junk-before-header", lambda: b"junk" + samples.pdf(), ERROR_TYPE_UNKNOWN),
]


@pytest.mark.parametrize(
    ("make", "message"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED]
)
def test_refused_types_say_why(make, message):
    assert message in refusal(make())


def test_html_renamed_jpg_is_refused():
    message = refusal(samples.html(), "cat.jpg", "image/jpeg")

    assert message == ERROR_HTML


def test_every_refusal_says_what_to_upload_instead():
    for make, _ in [(case[1], case[2]) for case in REFUSED]:
        message = refusal(make())
        assert "Upload" in message or "upload" in message, message


CORRUPT = [
    ("truncated-png", samples.truncated_png, "PNG"),
    ("truncated-jpeg", samples.truncated_jpeg, "JPEG"),
    ("jpeg-header-then-junk", lambda: b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8, "JPEG"),
    ("gif-header-only", lambda: samples.gif()[:20], "GIF"),
    ("heic-cut", lambda: samples.heic()[:200], "HEIC"),
    ("truncated-mp4", lambda: samples.mp4()[:-10], "MP4"),
    ("mp4-without-moov", lambda: samples.mp4()[:32], "MP4"),
    ("truncated-pdf", samples.truncated_pdf, "PDF"),
    ("mp3-id3-without-frames", lambda: samples.mp3()[:40], "MP3"),
    ("wav-without-data", lambda: samples.wav()[:36], "WAV"),
]


@pytest.mark.parametrize(
    ("make", "what"), [case[1:] for case in CORRUPT], ids=[case[0] for case in CORRUPT]
)
def test_damaged_files_are_refused_as_corrupt(make, what):
    assert refusal(make()) == ERROR_CORRUPT.format(what=what)


def test_image_over_the_size_limit(settings):
    settings.MEDIA_MAX_UPLOAD_MB = {**settings.MEDIA_MAX_UPLOAD_MB, "image": 1}
    data = samples.png(724, 724, noise=True)  # about 1.5 MB: random pixels don't compress
    assert 1.4 * MEGABYTE < len(data) < 1.6 * MEGABYTE

    message = refusal(data)

    assert message == ERROR_TOO_LARGE.format(noun="photo", nouns="photos", size="1.6", limit=1)
    assert "1 MB" in message


def test_size_is_checked_before_decoding(settings):
    # A damaged photo that is also too large is refused for its size: nothing was decoded.
    settings.MEDIA_MAX_UPLOAD_MB = {**settings.MEDIA_MAX_UPLOAD_MB, "image": 1}
    data = samples.png(724, 724, noise=True)[:-1000]

    assert "the limit for photos is 1 MB" in refusal(data)


def test_limit_follows_the_kind_the_bytes_say(settings):
    # An MP4 holding only sound is audio, so the audio limit applies, not the video one.
    settings.MEDIA_MAX_UPLOAD_MB = {"image": 20, "video": 500, "audio": 1, "document": 50}
    data = samples.mp4(handler=b"soun", padding=2 * MEGABYTE)

    message = refusal(data)

    assert message.startswith("This audio file is 2.1 MB; the limit for audio files is 1 MB.")
    settings.MEDIA_MAX_UPLOAD_MB = {"image": 20, "video": 1, "audio": 100, "document": 50}
    assert upload_inspect(samples.uploaded(data)).kind == "audio"


def test_size_limit_boundary(settings):
    settings.MEDIA_MAX_UPLOAD_MB = {**settings.MEDIA_MAX_UPLOAD_MB, "video": 1}
    header = len(samples.mp4(padding=0))
    exactly = samples.mp4(padding=MEGABYTE - header)
    one_more = samples.mp4(padding=MEGABYTE - header + 1)

    assert upload_inspect(samples.uploaded(exactly)).size == MEGABYTE
    # Rounded up, so a file over the limit never reads as "1 MB; the limit is 1 MB".
    assert refusal(one_more).startswith("This video is 1.1 MB; the limit for videos is 1 MB.")


@pytest.mark.parametrize(
    ("size", "shown"),
    [(1, "0.1"), (MEGABYTE, "1"), (MEGABYTE + 1, "1.1"), (MEGABYTE * 3 // 2, "1.5")],
)
def test_megabytes_round_up(size, shown):
    assert validation.megabytes(size) == shown


def test_decompression_bomb_refused():
    data = samples.bomb_png()  # 20,000 x 20,000 pixels in about 50 kB

    assert len(data) < 100_000
    assert refusal(data) == ERROR_IMAGE_TOO_MANY_PIXELS.format(limit="50")


def test_image_just_over_the_pixel_limit_refused():
    # 64 million pixels: over the limit, under twice it, where Pillow only warns.
    assert refusal(samples.bomb_png(8000, 8000)) == ERROR_IMAGE_TOO_MANY_PIXELS.format(limit="50")


def test_pillow_bomb_warning_is_a_refusal(settings):
    # With our limit above Pillow's own (about 89 million), Pillow's warning still refuses, and
    # the message names the limit that applied.
    settings.MEDIA_MAX_IMAGE_PIXELS = 500_000_000
    pillow_limit = f"{Image.MAX_IMAGE_PIXELS / 1_000_000:g}"

    message = refusal(samples.bomb_png(10_000, 10_000))

    assert message == ERROR_IMAGE_TOO_MANY_PIXELS.format(limit=pillow_limit)


def test_pixel_limit_from_settings(settings):
    settings.MEDIA_MAX_IMAGE_PIXELS = 600

    assert refusal(samples.jpeg(40, 20)) == ERROR_IMAGE_TOO_MANY_PIXELS.format(limit="0.0006")
    assert upload_inspect(samples.uploaded(samples.jpeg(20, 20))).width == 20


def test_position_is_back_at_zero_after_a_refusal():
    upload = samples.uploaded(samples.truncated_png())

    with pytest.raises(ValidationError):
        upload_inspect(upload)

    assert upload.tell() == 0


def test_refusals_have_codes_for_forms():
    with pytest.raises(ValidationError) as caught:
        upload_inspect(samples.uploaded(samples.svg()))

    assert caught.value.code == "svg"
