"""PDFs: whole (they end with %%EOF) and running nothing when opened. A PDF can carry
JavaScript and launch actions that a student's viewer would run, so every dictionary is
searched for them, also inside compressed object streams and behind #xx name escapes; a PDF
whose dictionaries can't all be read (encrypted, or packed with a filter we don't inflate) is
refused rather than passed unchecked.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from typing import IO

from django.core.exceptions import ValidationError

from .formats import PDF
from .messages import (
    ERROR_PDF_ENCRYPTED,
    ERROR_PDF_SCRIPT,
    ERROR_PDF_UNCHECKABLE,
    MEGABYTE,
    corrupt,
)

_PDF_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]*)")
_PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_ACTIVE_NAMES = {b"JS", b"JavaScript", b"Launch"}
_PDF_INFLATE_LIMIT = 32 * MEGABYTE
_PDF_FILTERS = {
    b"FlateDecode",
    b"ASCIIHexDecode",
    b"ASCII85Decode",
    b"LZWDecode",
    b"RunLengthDecode",
    b"Crypt",
}


def pdf_check(file: IO[bytes]) -> None:
    """A PDF must be whole (end with %%EOF) and run nothing when opened: no JavaScript and no
    launch actions, looked for in every dictionary, including those packed in compressed
    object streams and names written with #xx escapes. Content streams (page drawings, images)
    are skipped: their bytes are not dictionaries, and random image data would match."""
    file.seek(0)
    data = file.read()
    if b"%%EOF" not in data[-1024:]:
        raise corrupt(PDF)
    names: set[bytes] = set()
    unreadable: list[bytes] = []  # object streams we could not open
    for text in _pdf_dictionary_text(data, unreadable):
        for match in _PDF_NAME.finditer(text):
            name = match.group(1)
            if b"#" in name:
                name = _PDF_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), name)
            names.add(name)
    # Encrypted object streams can't be opened either: say what the student can do about it.
    if b"Encrypt" in names:
        raise ValidationError(ERROR_PDF_ENCRYPTED, code="pdf_encrypted")
    if names & _PDF_ACTIVE_NAMES:
        raise ValidationError(ERROR_PDF_SCRIPT, code="pdf_script")
    if unreadable:
        raise ValidationError(ERROR_PDF_UNCHECKABLE, code="pdf_uncheckable")


def _pdf_dictionary_text(data: bytes, unreadable: list[bytes]) -> Iterator[bytes]:
    """The PDF's bytes outside streams, and the inflated contents of its object streams; an
    object stream that can't be inflated is added to `unreadable`."""
    offset = 0
    while (match := _PDF_STREAM.search(data, offset)) is not None:
        before = data[offset : match.start()]
        yield before
        end = data.find(b"endstream", match.end())
        if end == -1:
            raise corrupt(PDF)
        dictionary = before[before.rfind(b"obj") :]
        if b"/ObjStm" in dictionary:
            body = data[match.end() : end]
            inflated = _pdf_object_stream(dictionary, body)
            if inflated is None:
                unreadable.append(body)
            else:
                yield inflated
        offset = end + len(b"endstream")
    yield data[offset:]


def _pdf_object_stream(dictionary: bytes, body: bytes) -> bytes | None:
    """An object stream's contents, if it is stored plain or with Flate only (what every PDF
    writer produces); None for any other filter, or data that doesn't inflate."""
    if b"/Filter" not in dictionary:
        return body
    filters = set(_PDF_NAME.findall(dictionary[dictionary.find(b"/Filter") :]))
    if filters & _PDF_FILTERS != {b"FlateDecode"}:
        return None
    try:
        return zlib.decompressobj().decompress(body, _PDF_INFLATE_LIMIT)
    except zlib.error:
        return None
