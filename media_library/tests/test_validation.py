"""Upload validation: the bytes decide, and every refusal says why. No database needed.

This module tests the entry point and sniffing (validation/__init__.py, sniff.py,
messages.py): lying names, refused types named from their first bytes, size limits. Each
kind of file has its own module: test_validation_images.py, test_validation_audio_video.py,
test_validation_documents.py.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File

from media_library import validation
from media_library.tests import samples
from media_library.tests.validation_helpers import (
    assert_every_refusal_says_what_to_upload_instead,
    refusal,
)
from media_library.validation import (
    ERROR_ARCHIVE,
    ERROR_EMPTY,
    ERROR_EXECUTABLE,
    ERROR_HTML,
    ERROR_OFFICE_DOCUMENT,
    ERROR_SVG,
    ERROR_TOO_LARGE,
    ERROR_TYPE_REFUSED,
    ERROR_TYPE_UNKNOWN,
    MEGABYTE,
    upload_inspect,
)


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
    ("svg", samples.svg, str(ERROR_SVG)),
    ("svg-xml-declaration", samples.svg_with_xml_declaration, str(ERROR_SVG)),
    ("svg-after-comment", lambda: b"<!-- made by hand -->\n" + samples.SVG, str(ERROR_SVG)),
    ("html", samples.html, str(ERROR_HTML)),
    ("html-upper-case-bom", lambda: samples.html(upper=True, bom=True), str(ERROR_HTML)),
    ("html-no-doctype", lambda: samples.html(doctype=False), str(ERROR_HTML)),
    ("html-utf16", lambda: b"\xff\xfe" + " <html>hi</html>".encode("utf-16-le"), str(ERROR_HTML)),
    ("xhtml", lambda: b'<?xml version="1.0"?>\n<html xmlns="x"></html>', str(ERROR_HTML)),
    ("exe", samples.exe, str(ERROR_EXECUTABLE)),
    ("elf", samples.elf, str(ERROR_EXECUTABLE)),
    ("mach-o", samples.mach_o, str(ERROR_EXECUTABLE)),
    ("shell-script", samples.shell_script, str(ERROR_EXECUTABLE)),
    ("zip", samples.zip_archive, str(ERROR_ARCHIVE)),
    ("docx", samples.docx, str(ERROR_OFFICE_DOCUMENT)),
    (
        "doc",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        str(ERROR_OFFICE_DOCUMENT),
    ),
    ("gzip", lambda: b"\x1f\x8b\x08\x00" + b"\x00" * 20, str(ERROR_ARCHIVE)),
    ("empty", samples.empty, str(ERROR_EMPTY)),
    ("bmp", samples.bmp, ERROR_TYPE_REFUSED.format(what="BMP files")),
    ("xml", lambda: b'<?xml version="1.0"?><note/>', ERROR_TYPE_REFUSED.format(what="XML files")),
    ("text", lambda: b"just some notes\n", str(ERROR_TYPE_UNKNOWN)),
    ("random", lambda: bytes(range(7, 250)) * 4, str(ERROR_TYPE_UNKNOWN)),
]


@pytest.mark.parametrize(
    ("make", "message"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED]
)
def test_refused_types_say_why(make, message):
    assert message in refusal(make())


def test_html_renamed_jpg_is_refused():
    message = refusal(samples.html(), "cat.jpg", "image/jpeg")

    assert message == str(ERROR_HTML)


def test_every_refusal_says_what_to_upload_instead():
    assert_every_refusal_says_what_to_upload_instead(REFUSED)


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


def test_position_is_back_at_zero_after_a_refusal():
    upload = samples.uploaded(samples.truncated_png())

    with pytest.raises(ValidationError):
        upload_inspect(upload)

    assert upload.tell() == 0


def test_refusals_have_codes_for_forms():
    with pytest.raises(ValidationError) as caught:
        upload_inspect(samples.uploaded(samples.svg()))

    assert caught.value.code == "svg"
