"""What a student reads when an upload is refused, and the ValidationErrors that carry it.

Every refusal names what the file is and says what to upload instead: the student is usually
a child with a phone, and "invalid file" teaches them nothing. Forms and tests compare against
these constants, so a message is changed here and nowhere else.
"""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError

from .formats import FileType

_UPLOAD_INSTEAD = (
    "Upload a photo (JPEG, PNG, WebP, GIF, HEIC), a video (MP4, WebM, MOV), "
    "audio (MP3, M4A, OGG, WAV) or a PDF."
)
ERROR_EMPTY = "This file is empty. Choose the file again and upload it."
ERROR_TYPE_REFUSED = "{what} can't be uploaded. " + _UPLOAD_INSTEAD
ERROR_TYPE_UNKNOWN = "This type of file can't be uploaded. " + _UPLOAD_INSTEAD
ERROR_SVG = (
    "SVG images can't be uploaded, because they can contain scripts. "
    "Export the drawing as a PNG and upload that."
)
ERROR_HTML = (
    "Web pages (HTML) can't be uploaded. Save the page as a PDF, or take a screenshot, "
    "and upload that."
)
ERROR_EXECUTABLE = "Programs and scripts can't be uploaded. " + _UPLOAD_INSTEAD
ERROR_ARCHIVE = (
    "Archives (ZIP, RAR, 7z and the like) can't be uploaded. Upload photos, videos and audio "
    "one at a time, and save documents as a PDF."
)
ERROR_OFFICE_DOCUMENT = (
    "Word, PowerPoint and Excel files can't be uploaded. Save the document as a PDF "
    '("File > Save as" or "Export") and upload that.'
)
ERROR_TOO_LARGE = (
    "This {noun} is {size} MB; the limit for {nouns} is {limit} MB. "
    "Make it smaller and upload it again."
)
ERROR_IMAGE_TOO_MANY_PIXELS = (
    "This photo has more than {limit} million pixels, the most we accept. "
    "Resize it and upload it again."
)
ERROR_CORRUPT = (
    "This {what} file is damaged or incomplete. Save or export it again, then upload the new copy."
)
ERROR_PDF_SCRIPT = (
    "This PDF contains scripts or actions that run when it is opened, so it can't be shared. "
    'Print it to a new PDF ("Save as PDF") and upload that.'
)
ERROR_PDF_ENCRYPTED = (
    "This PDF is password-protected. Save a copy without a password and upload that."
)
ERROR_PDF_ATTACHMENT = (
    "This PDF has other files attached inside it, so it can't be shared. "
    'Print it to a new PDF ("Save as PDF") and upload that.'
)
ERROR_PDF_UNCHECKABLE = (
    "This PDF is built in a way we can't check for scripts. "
    'Print it to a new PDF ("Save as PDF") and upload that.'
)

# How each kind is called in messages: singular, plural.
KIND_NOUNS = {
    "image": ("photo", "photos"),
    "video": ("video", "videos"),
    "audio": ("audio file", "audio files"),
    "document": ("PDF", "PDFs"),
}
# A file whose kind is not known yet (refused for its size while it arrived).
ANY_FILE_NOUNS = ("file", "files")
MEGABYTE = 1024 * 1024


def refused(what: str) -> ValidationError:
    return ValidationError(ERROR_TYPE_REFUSED.format(what=what), code="type_refused")


def corrupt(kind: FileType | str) -> ValidationError:
    what = kind if isinstance(kind, str) else kind.name
    return ValidationError(ERROR_CORRUPT.format(what=what), code="corrupt")


def megabytes(size: int) -> str:
    """A size in MB for messages, rounded up to a tenth so that a file over the limit never
    reads as equal to it: "20.1", "1.5", "3"."""
    return f"{math.ceil(size * 10 / MEGABYTE) / 10:g}"
