"""How big an upload may be: MEDIA_MAX_UPLOAD_MB for its kind, and the largest of them (the
ceiling) while its kind is not known yet.

The limits are applied twice: while the upload arrives (upload_handlers.py stops storing it
at the limit and hands on a RefusedUpload instead), and by upload_inspect, which refuses a
RefusedUpload with the error it carries and checks the size of every other file against the
limit of the kind its bytes show.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from .messages import ANY_FILE_NOUNS, ERROR_TOO_LARGE, KIND_NOUNS, MEGABYTE, megabytes


def size_limit(kind: str | None) -> int:
    """The most bytes a file of `kind` may have; for None (not known yet), the ceiling."""
    limits = settings.MEDIA_MAX_UPLOAD_MB
    return (limits[kind] if kind is not None else max(limits.values())) * MEGABYTE


def too_large(kind: str | None, size: int) -> ValidationError:
    """The refusal of a file of `kind` (None: not known) and `size` bytes, naming its limit."""
    noun, nouns = KIND_NOUNS[kind] if kind is not None else ANY_FILE_NOUNS
    message = ERROR_TOO_LARGE.format(
        noun=noun, nouns=nouns, size=megabytes(size), limit=size_limit(kind) // MEGABYTE
    )
    return ValidationError(message, code="too_large")


def size_check(kind: str, size: int) -> None:
    if size > size_limit(kind):
        raise too_large(kind, size)


class RefusedUpload(UploadedFile):
    """Where a file stood in request.FILES when it was refused while it arrived: no content
    (nothing of it was kept), its name, type and size as sent, and the refusal, which
    upload_inspect raises and the admin's forms show."""

    def __init__(self, *, name: str, content_type: str, size: int, error: ValidationError):
        super().__init__(io.BytesIO(), name, content_type, size, None)
        self.error = error
