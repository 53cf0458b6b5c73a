"""What a student reads when an upload is refused, and the ValidationErrors that carry it.

Every refusal names what the file is and says what to upload instead: the student is usually
a child with a phone, and "invalid file" teaches them nothing. Forms and tests compare against
these constants, so a message is changed here and nowhere else.
"""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .formats import FileType

# Whole sentences, each translated as one (the refusals that end "Upload a photo ..." repeat
# that ending rather than glue it on, so a translation can order its words freely).
ERROR_EMPTY = _("This file is empty. Choose the file again and upload it.")
ERROR_TYPE_REFUSED = _(
    "{what} can't be uploaded. Upload a photo (JPEG, PNG, WebP, GIF, HEIC), a video "
    "(MP4, WebM, MOV), audio (MP3, M4A, OGG, WAV) or a PDF."
)
ERROR_TYPE_UNKNOWN = _(
    "This type of file can't be uploaded. Upload a photo (JPEG, PNG, WebP, GIF, HEIC), "
    "a video (MP4, WebM, MOV), audio (MP3, M4A, OGG, WAV) or a PDF."
)
ERROR_SVG = _(
    "SVG images can't be uploaded, because they can contain scripts. "
    "Export the drawing as a PNG and upload that."
)
ERROR_HTML = _(
    "Web pages (HTML) can't be uploaded. Save the page as a PDF, or take a screenshot, "
    "and upload that."
)
ERROR_EXECUTABLE = _(
    "Programs and scripts can't be uploaded. Upload a photo (JPEG, PNG, WebP, GIF, HEIC), "
    "a video (MP4, WebM, MOV), audio (MP3, M4A, OGG, WAV) or a PDF."
)
ERROR_ARCHIVE = _(
    "Archives (ZIP, RAR, 7z and the like) can't be uploaded. Upload photos, videos and audio "
    "one at a time, and save documents as a PDF."
)
ERROR_OFFICE_DOCUMENT = _(
    "Word, PowerPoint and Excel files can't be uploaded. Save the document as a PDF "
    '("File > Save as" or "Export") and upload that.'
)
ERROR_TOO_LARGE = _(
    "This {noun} is {size} MB; the limit for {nouns} is {limit} MB. "
    "Make it smaller and upload it again."
)
ERROR_IMAGE_TOO_MANY_PIXELS = _(
    "This photo has more than {limit} million pixels, the most we accept. "
    "Resize it and upload it again."
)
ERROR_CORRUPT = _(
    "This {what} file is damaged or incomplete. Save or export it again, then upload the new copy."
)
ERROR_PDF_SCRIPT = _(
    "This PDF contains scripts or actions that run when it is opened, so it can't be shared. "
    'Print it to a new PDF ("Save as PDF") and upload that.'
)
ERROR_PDF_ENCRYPTED = _(
    "This PDF is password-protected. Save a copy without a password and upload that."
)
ERROR_PDF_ATTACHMENT = _(
    "This PDF has other files attached inside it, so it can't be shared. "
    'Print it to a new PDF ("Save as PDF") and upload that.'
)
ERROR_PDF_UNCHECKABLE = _(
    "This PDF is built in a way we can't check for scripts. "
    'Print it to a new PDF ("Save as PDF") and upload that.'
)

# How each kind is called in messages: singular, plural.
KIND_NOUNS = {
    "image": (pgettext_lazy("in a message", "photo"), pgettext_lazy("in a message", "photos")),
    "video": (pgettext_lazy("in a message", "video"), pgettext_lazy("in a message", "videos")),
    "audio": (
        pgettext_lazy("in a message", "audio file"),
        pgettext_lazy("in a message", "audio files"),
    ),
    "document": (pgettext_lazy("in a message", "PDF"), pgettext_lazy("in a message", "PDFs")),
}
# A file whose kind is not known yet (refused for its size while it arrived).
ANY_FILE_NOUNS = (pgettext_lazy("in a message", "file"), pgettext_lazy("in a message", "files"))
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
