"""What the upload validation tests (test_validation*.py) share: a file sent through
upload_inspect, checked as accepted for what its bytes are, or refused with one message."""

import pytest
from django.core.exceptions import ValidationError

from media_library.tests import samples
from media_library.validation import upload_inspect


def refusal(data: bytes, name: str = "upload.bin", content_type: str = "image/jpeg") -> str:
    return refusal_of(samples.uploaded(data, name, content_type))


def refusal_of(upload) -> str:
    """The one message upload_inspect refuses `upload` (a Django upload) with."""
    with pytest.raises(ValidationError) as caught:
        upload_inspect(upload)
    [message] = caught.value.messages
    return message


def assert_accepted(data: bytes, kind: str, mime_type: str | None, extension: str) -> None:
    # The name and the browser's type say nothing true: only the bytes count.
    upload = samples.uploaded(data, "whatever.txt", "text/plain")

    info = upload_inspect(upload)

    assert (info.kind, info.extension, info.size) == (kind, extension, len(data))
    assert info.mime_type == (mime_type or "application/pdf")
    assert upload.tell() == 0


def assert_every_refusal_says_what_to_upload_instead(cases: list[tuple]) -> None:
    for make, _ in [(case[1], case[2]) for case in cases]:
        message = refusal(make())
        assert "Upload" in message or "upload" in message, message
