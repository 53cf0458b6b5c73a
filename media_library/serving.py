"""Answering with a stored file once the view has checked who may have it.

Behind nginx (MEDIA_ACCEL_REDIRECT_PREFIX set, deploy/README.md): an empty response whose
X-Accel-Redirect names the file under nginx's `internal` location, so nginx sends the bytes,
Range requests and all, and no app server process is held while a video streams.

Without it (runserver, or a server with no nginx in front): the app sends the file itself,
answering a single Range with 206 and Content-Range (what browsers ask to seek in a video,
and what Safari insists on before it plays one), an unsatisfiable one with 416. Several ranges
at once, an If-Range (we send no validators) or a malformed Range get the whole file: a
server may always ignore Range (RFC 9110, 14.2).
"""

from __future__ import annotations

import mimetypes
import re
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, HttpResponse, StreamingHttpResponse

CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def file_response(request, *, storage, schema: str, name: str):
    """The response serving `name` of `storage` (in the school `schema`) to `request`."""
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    prefix = settings.MEDIA_ACCEL_REDIRECT_PREFIX
    if prefix and isinstance(storage, FileSystemStorage):
        return _accel_redirect(prefix, schema, name, content_type)
    return _ranged(request, storage.open(name), storage.size(name), content_type)


def _accel_redirect(prefix: str, schema: str, name: str, content_type: str) -> HttpResponse:
    # nginx expects the URI escaped (since 1.5.9), and a header must be ASCII.
    response = HttpResponse(content_type=content_type)
    response["X-Accel-Redirect"] = quote(f"{prefix.rstrip('/')}/{schema}/{name}")
    return response


def requested_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """The one byte range (first, last) that `header` asks of a file of `size` bytes; None
    to send the whole file (no Range, several, or malformed); False when unsatisfiable."""
    match = _RANGE.match(header.replace(" ", ""))
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last `last` bytes
        length = int(last)
        return (max(0, size - length), size - 1) if length and size else False
    first = int(first)
    if last and int(last) < first:
        return None  # bytes=9-5: malformed, so ignored
    if first >= size:
        return False
    return first, min(int(last), size - 1) if last else size - 1


def _ranged(request, file, size: int, content_type: str):
    wanted = None
    if "HTTP_IF_RANGE" not in request.META:
        wanted = requested_range(request.META.get("HTTP_RANGE", ""), size)
    if wanted is None:
        response = FileResponse(file, content_type=content_type)
    elif wanted is False:
        file.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        first, last = wanted
        response = StreamingHttpResponse(
            _read(file, first, last - first + 1), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    return response


def _read(file, start: int, length: int):
    try:
        file.seek(start)
        while length > 0:
            chunk = file.read(min(CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        file.close()
