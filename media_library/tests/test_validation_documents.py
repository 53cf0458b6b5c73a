"""Upload validation of PDFs (validation/documents.py and pdf_walk.py): a whole PDF is accepted,
and one that would run something or carry files when opened, or that can't be read for
that, is refused. Every PDF here is read by the real parser, in its own process. No database
needed."""

import pikepdf
import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile

from media_library.tests import samples
from media_library.tests.validation_helpers import (
    assert_accepted,
    assert_every_refusal_says_what_to_upload_instead,
    refusal,
    refusal_of,
)
from media_library.validation import (
    ERROR_CORRUPT,
    ERROR_PDF_ATTACHMENT,
    ERROR_PDF_ENCRYPTED,
    ERROR_PDF_SCRIPT,
    ERROR_PDF_UNCHECKABLE,
    ERROR_TYPE_UNKNOWN,
    documents,
    pdf_walk,
)

ACCEPTED = [
    ("pdf", samples.pdf),
    # A drawing that shows the word is not a script: page contents are not dictionaries.
    ("pdf-saying-javascript", lambda: samples.pdf(text="/JavaScript /JS")),
    ("pdf-of-a-photo", samples.pdf_of_a_photo),
    ("pdf-with-object-streams", lambda: samples.pdf_changed(object_streams=True)),
    *[
        (name, lambda change=change: samples.pdf_changed(change))
        for name, change in samples.PDF_HARMLESS.items()
    ],
]


@pytest.mark.parametrize("make", [case[1] for case in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_accepted_pdfs(make):
    assert_accepted(make(), "document", "application/pdf", "pdf")


def _open_launch(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("a.exe"))


_HOSTILE_MESSAGES = {
    "embedded-file": str(ERROR_PDF_ATTACHMENT),
    "file-attachment-annotation": str(ERROR_PDF_ATTACHMENT),
}
REFUSED = [
    ("pdf-javascript", samples.pdf_with_javascript, str(ERROR_PDF_SCRIPT)),
    *[
        (
            f"pdf-javascript-{how}",
            lambda how=how: samples.pdf_with_javascript(how=how),
            str(ERROR_PDF_SCRIPT),
        )
        for how in ("escaped", "compressed", "predictor", "stream-string", "past-inflate-cap")
    ],
    *[
        (
            f"pdf-{name}",
            lambda change=change: samples.pdf_changed(change),
            _HOSTILE_MESSAGES.get(name, str(ERROR_PDF_SCRIPT)),
        )
        for name, change in samples.PDF_HOSTILE.items()
    ],
    (
        "pdf-javascript-in-pikepdf-object-stream",
        lambda: samples.pdf_changed(
            samples.PDF_HOSTILE["open-action-javascript"], object_streams=True
        ),
        str(ERROR_PDF_SCRIPT),
    ),
    ("pdf-launch-when-opened", lambda: samples.pdf_changed(_open_launch), str(ERROR_PDF_SCRIPT)),
    # Bytes added without moving the cross-reference table: its offsets are wrong, so the
    # parser would have to guess where objects are (as viewers do, each its own way).
    (
        "pdf-with-wrong-offsets",
        lambda: samples.pdf().replace(b"/Type /Catalog", b"/Type /Catalog /Lang (en)"),
        ERROR_CORRUPT.format(what="PDF"),
    ),
    (
        "pdf-password-to-open",
        lambda: samples.pdf_changed(encryption=pikepdf.Encryption(owner="teacher", user="pw")),
        str(ERROR_PDF_ENCRYPTED),
    ),
    (
        "pdf-password-to-change",
        lambda: samples.pdf_changed(encryption=pikepdf.Encryption(owner="teacher", user="")),
        str(ERROR_PDF_ENCRYPTED),
    ),
    # Its object stream says LZW but holds Flate data: qpdf can't read the objects in it.
    (
        "pdf-object-stream-that-does-not-decode",
        lambda: samples.pdf_with_javascript(how="compressed").replace(
            b"/FlateDecode", b"/LZWDecode"
        ),
        ERROR_CORRUPT.format(what="PDF"),
    ),
    # 100 MB of blanks in 450 KB: qpdf stops at its memory limit instead of inflating it.
    ("pdf-object-stream-bomb", samples.pdf_object_stream_bomb, ERROR_CORRUPT.format(what="PDF")),
    ("pdf-junk-before-header", lambda: b"junk" + samples.pdf(), str(ERROR_TYPE_UNKNOWN)),
]


@pytest.mark.parametrize(
    ("make", "message"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED]
)
def test_refused_pdfs_say_why(make, message):
    assert refusal(make()) == message


def test_every_refusal_says_what_to_upload_instead():
    assert_every_refusal_says_what_to_upload_instead(REFUSED)


def test_truncated_pdf_is_refused_as_corrupt():
    assert refusal(samples.truncated_pdf()) == ERROR_CORRUPT.format(what="PDF")


def test_a_pdf_with_more_objects_than_the_limit_is_refused_unread(settings):
    settings.MEDIA_PDF_MAX_OBJECTS = 5_000
    assert_accepted(samples.pdf_with_many_objects(4_900), "document", None, "pdf")

    assert refusal(samples.pdf_with_many_objects(20_000)) == str(ERROR_PDF_UNCHECKABLE)


def test_a_pdf_that_takes_longer_than_the_time_budget_is_refused(settings):
    # 20,000 objects take the parser the best part of a second; it may take 50 ms.
    settings.MEDIA_PDF_CHECK_SECONDS = 0.05

    assert refusal(samples.pdf_with_many_objects(20_000)) == str(ERROR_PDF_UNCHECKABLE)


def test_the_parsers_verdicts_are_the_ones_documents_knows():
    assert set(pdf_walk.VERDICTS) == set(documents.VERDICTS)


def test_an_upload_on_disk_is_read_where_it_is():
    """An upload Django wrote to a temporary file is passed to the parser by its path."""
    data = samples.pdf_changed(samples.PDF_HOSTILE["launch-link"])
    with TemporaryUploadedFile("h.pdf", "application/pdf", len(data), None) as upload:
        upload.write(data)
        upload.flush()

        assert refusal_of(upload) == str(ERROR_PDF_SCRIPT)
