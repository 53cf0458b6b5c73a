"""A corpus of hostile files, generated here, each sent through the real upload view (the
page's script's JSON answer) by a student: every one is refused with its reason, or stored
sanitised, and a refused one leaves no page, no asset row and no file behind.

Refused: bombs, scripts (SVG, HTML, PDF JavaScript), programs, archives, damaged files,
empty and oversized files, types we don't take. Stored sanitised: photos with location, a
GIF and a JPEG with a script glued after their end, a photo sent with a lying name and
content type, names with path traversal or control characters.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django_tenants.utils import schema_context
from PIL import Image

from classrooms.models import Classroom
from conftest import client_as
from media_library import validation
from media_library.models import MediaPage, SchoolDocument, SchoolImage, SchoolMedia
from media_library.tests import samples

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "HTTP_ACCEPT": "application/json"}
SCRIPT = b"<script>alert(document.cookie)</script>"
PDF_SCRIPT = str(validation.ERROR_PDF_SCRIPT)


def _too_large(noun: str, nouns: str, size: str, limit: int) -> str:
    return validation.ERROR_TOO_LARGE.format(noun=noun, nouns=nouns, size=size, limit=limit)


def _corrupt(what: str) -> str:
    return validation.ERROR_CORRUPT.format(what=what)


def _refused(what: str) -> str:
    return validation.ERROR_TYPE_REFUSED.format(what=what)


def _pixels(limit: int) -> str:
    return validation.ERROR_IMAGE_TOO_MANY_PIXELS.format(limit=f"{limit / 1_000_000:g}")


def _pdf(name: str):
    return lambda: samples.pdf_changed(samples.PDF_HOSTILE[name])


def _pdf_script(how: str):
    return lambda: samples.pdf_with_javascript(how=how)


# (case, bytes, file name, browser's content type, the message it is refused with)
REFUSED = [
    ("decompression bomb", lambda: samples.bomb_png(), "bomb.png", "image/png", _pixels(50e6)),
    ("huge dimensions", lambda: samples.bomb_png(60_000, 1_000), "wide.png", "image/png", None),
    ("svg with script", samples.svg, "cute.svg", "image/svg+xml", str(validation.ERROR_SVG)),
    (
        "svg renamed",
        samples.svg_with_xml_declaration,
        "a.png",
        "image/png",
        str(validation.ERROR_SVG),
    ),
    ("html", samples.html, "page.jpg", "image/jpeg", str(validation.ERROR_HTML)),
    ("html upper bom", lambda: samples.html(upper=True, bom=True), "p.gif", "image/gif", None),
    ("exe as jpg", samples.exe, "photo.jpg", "image/jpeg", str(validation.ERROR_EXECUTABLE)),
    ("elf", samples.elf, "song.mp3", "audio/mpeg", str(validation.ERROR_EXECUTABLE)),
    ("mach-o", samples.mach_o, "clip.mp4", "video/mp4", str(validation.ERROR_EXECUTABLE)),
    ("shell script", samples.shell_script, "notes.pdf", "application/pdf", None),
    ("pdf javascript", samples.pdf_with_javascript, "h.pdf", "application/pdf", PDF_SCRIPT),
    (
        "pdf javascript escaped",
        lambda: samples.pdf_with_javascript(how="escaped"),
        "h.pdf",
        "application/pdf",
        str(validation.ERROR_PDF_SCRIPT),
    ),
    (
        "pdf javascript compressed",
        lambda: samples.pdf_with_javascript(how="compressed"),
        "h.pdf",
        "application/pdf",
        str(validation.ERROR_PDF_SCRIPT),
    ),
    ("pdf launch link", _pdf("launch-link"), "h.pdf", "application/pdf", PDF_SCRIPT),
    (
        "pdf js behind stream string",
        _pdf_script("stream-string"),
        "h.pdf",
        "application/pdf",
        PDF_SCRIPT,
    ),
    ("pdf js with predictor", _pdf_script("predictor"), "h.pdf", "application/pdf", PDF_SCRIPT),
    ("pdf js past 32 mb", _pdf_script("past-inflate-cap"), "h.pdf", "application/pdf", PDF_SCRIPT),
    ("pdf page action", _pdf("page-additional-action"), "h.pdf", "application/pdf", PDF_SCRIPT),
    ("pdf xfa", _pdf("xfa-form"), "h.pdf", "application/pdf", str(validation.ERROR_PDF_SCRIPT)),
    ("pdf chained js", _pdf("chained-javascript"), "h.pdf", "application/pdf", PDF_SCRIPT),
    (
        "pdf embedded file",
        _pdf("embedded-file"),
        "h.pdf",
        "application/pdf",
        str(validation.ERROR_PDF_ATTACHMENT),
    ),
    (
        "pdf object stream bomb",
        samples.pdf_object_stream_bomb,
        "b.pdf",
        "application/pdf",
        _corrupt("PDF"),
    ),
    ("truncated jpeg", samples.truncated_jpeg, "cut.jpg", "image/jpeg", _corrupt("JPEG")),
    ("truncated png", samples.truncated_png, "cut.png", "image/png", _corrupt("PNG")),
    ("truncated pdf", samples.truncated_pdf, "cut.pdf", "application/pdf", _corrupt("PDF")),
    ("zero bytes", samples.empty, "empty.jpg", "image/jpeg", str(validation.ERROR_EMPTY)),
    ("zip", samples.zip_archive, "photos.jpg", "image/jpeg", str(validation.ERROR_ARCHIVE)),
    ("docx", samples.docx, "essay.pdf", "application/pdf", str(validation.ERROR_OFFICE_DOCUMENT)),
    ("mkv", samples.mkv, "film.webm", "video/webm", _refused("Matroska (MKV) videos")),
    ("avif", samples.avif_header, "p.heic", "image/heic", _refused("AVIF images")),
    ("bmp", samples.bmp, "p.png", "image/png", None),
    ("mp4 without moov", lambda: samples.mp4()[:40], "clip.mp4", "video/mp4", None),
    (
        "over the size limit",
        lambda: samples.png(1200, 1000, noise=True),
        "big.png",
        "image/png",
        _too_large("photo", "photos", "3.5", 1),
    ),
    ("random bytes", lambda: bytes(range(256)) * 40, "x.jpg", "image/jpeg", None),
]

# Accepted, and stored without what made them hostile.
STORED = [
    ("exif gps", lambda: samples.jpeg(exif_gps=True), "here.jpg", "image/jpeg"),
    ("xmp gps", lambda: samples.png(xmp_gps=True), "here.png", "image/png"),
    ("gif with a script after its end", lambda: samples.gif() + SCRIPT, "a.gif", "image/gif"),
    ("jpeg with html after its end", lambda: samples.jpeg() + SCRIPT, "a.jpg", "image/jpeg"),
    ("wrong content type", samples.png, "setup.exe", "application/x-msdownload"),
    ("path traversal", samples.jpeg, "../../../etc/passwd.jpg", "image/jpeg"),
    ("control characters", samples.jpeg, "a\x00b\r\n\x1b[31m.jpg", "image/jpeg"),
]


def test_the_corpus_is_big_enough():
    assert len(REFUSED) + len(STORED) >= 25


def _post(school, data: bytes, name: str, content_type: str, title: str = "Hostile"):
    with schema_context("greenwood"):
        art = Classroom.objects.get(name="Art").pk
    form = {
        "title": title,
        "classroom": art,
        "visibility": "class",
        "file": samples.uploaded(data, name, content_type),
    }
    return client_as(school, "amina").post("/upload/", form, **XHR)


def _files() -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


def _rows() -> tuple[int, ...]:
    with schema_context("greenwood"):
        models = (MediaPage, SchoolImage, SchoolDocument, SchoolMedia)
        return tuple(model.objects.count() for model in models)


@pytest.mark.parametrize(
    ("data", "name", "content_type", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in REFUSED],
)
def test_a_hostile_file_is_refused_with_its_reason_and_leaves_nothing(
    school, settings, data, name, content_type, message
):
    settings.MEDIA_MAX_UPLOAD_MB = {**settings.MEDIA_MAX_UPLOAD_MB, "image": 1}
    rows, files = _rows(), _files()

    response = _post(school, data(), name, content_type)

    assert response.status_code == 400
    errors = [error["message"] for error in response.json()["errors"]["file"]]
    assert len(errors) == 1 and errors[0]
    if message is not None:
        assert errors == [message]
    assert _rows() == rows
    assert _files() == files


def _stored_bytes(response) -> tuple[str, bytes]:
    with schema_context("greenwood"):
        page = MediaPage.objects.get(pk=response.json()["id"])
        name = page.asset.file.name
    return name, (Path(settings.MEDIA_ROOT) / "greenwood" / name).read_bytes()


@pytest.mark.parametrize(
    ("data", "name", "content_type"), [pytest.param(*case[1:], id=case[0]) for case in STORED]
)
def test_a_hostile_file_that_is_a_real_photo_is_stored_sanitised(school, data, name, content_type):
    response = _post(school, data(), name, content_type)

    assert response.status_code == 201, response.content
    stored_name, stored = _stored_bytes(response)
    # The name is ours (from the title), in the school's folder: nothing of the sent name.
    assert stored_name.startswith("original_images/hostile")
    assert ".." not in stored_name and "passwd" not in stored_name and "exe" not in stored_name
    assert all(ch.isprintable() for ch in stored_name)
    assert stored_name.rsplit(".", 1)[1] in {"jpg", "png", "gif"}
    # Nothing of the payloads or the location is left in the stored bytes.
    assert SCRIPT not in stored and b"<script" not in stored
    assert b"GPSLatitude" not in stored and b"exif:GPS" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        image.verify()
    with Image.open(io.BytesIO(stored)) as image:
        assert samples.GPS_IFD not in image.getexif()


@pytest.mark.parametrize("name", list(samples.PDF_HARMLESS))
def test_a_pdf_with_links_a_form_or_an_outline_is_stored_as_sent(school, name):
    data = samples.pdf_changed(samples.PDF_HARMLESS[name])

    response = _post(school, data, "work.pdf", "application/pdf")

    assert response.status_code == 201, response.content
    assert _stored_bytes(response)[1] == data
