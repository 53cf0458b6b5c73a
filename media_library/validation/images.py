"""Photos: opened with Pillow under the decompression-bomb guard and checked without being
decoded whole. Their format was already decided from the bytes (sniff.py); this decides
whether the picture itself is whole and small enough to be safe to decode later.

HEIC is opened through pillow_heif's opener, registered here on import: without it Pillow
can't read a HEIC at all, and every iPhone photo would be refused as damaged.
"""

from __future__ import annotations

import warnings
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image
from pillow_heif import register_heif_opener

from .formats import JPEG, FileType
from .messages import ERROR_IMAGE_TOO_MANY_PIXELS, corrupt

register_heif_opener()


def image_check(file: IO[bytes], kind: FileType) -> tuple[int, int]:
    """Open the image with Pillow, refusing more pixels than MEDIA_MAX_IMAGE_PIXELS, and check
    it without decoding it whole: PNG chunk checksums through the end, JPEG decoded at one
    eighth of its size (cheap, and a cut-off file fails). WebP, GIF and HEIC are checked as
    far as opening them; metadata.photo_strip_location decodes them and refuses a broken one."""
    limit = settings.MEDIA_MAX_IMAGE_PIXELS
    too_many = _too_many_pixels(limit)
    # Our limit is checked from the header, before anything is decoded. Pillow's own guard
    # (Image.MAX_IMAGE_PIXELS, process-wide, left alone here: changing it per call would leak
    # into every other image opened in the process) warns, which is made a refusal below, and
    # raises at twice its value.
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file, formats=[kind.pillow_format]) as image:
                width, height = image.size
                if width * height > limit:
                    raise too_many
                if kind is JPEG:
                    image.draft(image.mode, (max(width // 8, 1), max(height // 8, 1)))
                    image.load()
                else:
                    image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refused at its own limit, which is the one to name if it is the lower.
        raise _too_many_pixels(min(limit, Image.MAX_IMAGE_PIXELS or limit)) from None
    except ValidationError:
        raise
    except Exception:  # Pillow raises many kinds of error on damaged files; all mean "corrupt"
        raise corrupt(kind) from None
    return width, height


def _too_many_pixels(limit: int) -> ValidationError:
    return ValidationError(
        ERROR_IMAGE_TOO_MANY_PIXELS.format(limit=f"{limit / 1_000_000:g}"), code="too_many_pixels"
    )
