"""Upload validation of PDFs (validation/documents.py): a whole PDF is accepted, and one that
would run something when opened, or that can't be searched for that, is refused. No database
needed."""

import pytest

from media_library.tests import samples
from media_library.tests.validation_helpers import (
    assert_accepted,
    assert_every_refusal_says_what_to_upload_instead,
    refusal,
)
from media_library.validation import (
    ERROR_CORRUPT,
    ERROR_PDF_ENCRYPTED,
    ERROR_PDF_SCRIPT,
    ERROR_PDF_UNCHECKABLE,
    ERROR_TYPE_UNKNOWN,
)

ACCEPTED = [
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
    assert_accepted(make(), kind, mime_type, extension)


REFUSED = [
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


def test_every_refusal_says_what_to_upload_instead():
    assert_every_refusal_says_what_to_upload_instead(REFUSED)


def test_truncated_pdf_is_refused_as_corrupt():
    assert refusal(samples.truncated_pdf()) == ERROR_CORRUPT.format(what="PDF")
