"""A fake Cloudinary API on loopback, for tests that drive the real `cloudinary` SDK.

Tests never reach the internet, but mocking `cloudinary.uploader` would test our guesses about
the SDK instead of the SDK. So the SDK is pointed (its `upload_prefix` setting) at this small
HTTP server, which speaks the parts of the Upload API the project uses, the way Cloudinary
does:

- `POST /v1_1/<cloud>/<image|video|raw>/upload`: a signed multipart form. The signature is
  checked with an implementation of our own (not the SDK's, so a bug there cannot hide), and a
  wrong one is a 401 with Cloudinary's `{"error": {"message": ...}}` body. Chunked uploads
  (`upload_large`: `Content-Range` and `X-Unique-Upload-Id` headers) are reassembled.
  Images are measured with Pillow; an unreadable image is refused like Cloudinary does.
  `overwrite=0` on an existing public_id answers the existing asset with `"existing": true`.
- `POST /v1_1/<cloud>/<type>/destroy`: `{"result": "ok"}` or `{"result": "not found"}`.
- `GET /<cloud>/<type>/upload/.../<public_id>[.<format>]`: the stored bytes, standing in for
  the delivery CDN (tests rewrite `https://res.cloudinary.com` to this server).

Tests read `server.stored` (keyed by `(resource_type, public_id)`), `server.requests` and
`server.request_count`, and make the next upload fail with `server.fail_next_upload()` (an
error answer), `server.stall_next_upload(seconds)` (a time-out) or `server.drop_next_upload()`
(the connection closed without an answer).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from PIL import Image, UnidentifiedImageError

_VERSION = re.compile(r"v\d+")
_SIGNED = re.compile(r"/authenticated/s--[A-Za-z0-9_-]{8}--/")


def unsigned_url(url: str) -> str:
    """For tests' exact URL checks: the URL must be an authenticated, signed one; the
    signature (which depends on the secret) is taken out."""
    if not _SIGNED.search(url):
        raise AssertionError(f"Not a signed authenticated delivery URL: {url}")
    return _SIGNED.sub("/authenticated/", url)


RESOURCE_TYPES = ("image", "video", "raw")
DELIVERY_HOST = "res.cloudinary.com"
# Fields the Upload API leaves out of the string to sign (Cloudinary's documented list).
UNSIGNED_FIELDS = frozenset({"file", "signature", "api_key", "resource_type", "cloud_name"})
STALE_AFTER_SECONDS = 3600  # Cloudinary refuses signed requests older than an hour
PILLOW_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "TIFF": "tiff", "HEIF": "heic"}


@dataclass
class StoredAsset:
    """One asset as the fake keeps it: its bytes, the params it came with, and the answer."""

    resource_type: str
    public_id: str
    data: bytes
    params: dict[str, str]
    response: dict[str, Any]
    type: str = "upload"  # or "authenticated": delivered only through signed URLs

    @property
    def format(self) -> str | None:
        return self.response.get("format")


@dataclass
class RecordedRequest:
    method: str
    path: str
    fields: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def action(self) -> str | None:
        """`upload` or `destroy` for API calls, None for delivery (GET) requests."""
        parts = self.path.strip("/").split("/")
        return parts[3] if len(parts) == 4 and parts[0] == "v1_1" else None


DROP, STALL = -1, -2  # failure modes of fail_next_upload's queue that are not an answer


class _DropConnection(Exception):
    """Close the connection without answering."""


class CloudinaryApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class _PartialUpload:
    total: int
    chunks: dict[int, bytes] = field(default_factory=dict)  # offset → bytes
    public_id: str | None = None

    def received(self) -> int:
        return sum(len(chunk) for chunk in self.chunks.values())

    def assemble(self) -> bytes:
        data = b"".join(self.chunks[offset] for offset in sorted(self.chunks))
        if len(data) != self.total:
            raise CloudinaryApiError(400, "Chunks do not add up to the declared size")
        return data


class FakeCloudinary:
    """The fake API. `with FakeCloudinary() as server:` starts it on a free loopback port."""

    def __init__(
        self,
        *,
        cloud_name: str = "mediahub-test",
        api_key: str = "123456789012345",
        api_secret: str | None = None,
        signature_algorithm: str = "sha1",
    ) -> None:
        self.cloud_name = cloud_name
        self.api_key = api_key
        # Random per server: a test that passes signs with what the fixture configured.
        self.api_secret = api_secret or secrets.token_urlsafe(20)
        self.signature_algorithm = signature_algorithm
        self.stored: dict[tuple[str, str], StoredAsset] = {}
        self.requests: list[RecordedRequest] = []
        self._partial: dict[str, _PartialUpload] = {}
        self._failures: list[tuple[int, str]] = []
        self._last_version = 0
        self._lock = threading.RLock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- Lifecycle -----------------------------------------------------------------------------
    def start(self) -> FakeCloudinary:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="fake-cloudinary", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeCloudinary:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("The fake Cloudinary server is not running.")
        return self._httpd.server_address[1]

    @property
    def upload_prefix(self) -> str:
        """The SDK's `upload_prefix`: where it sends API calls instead of api.cloudinary.com."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def cloudinary_url(self) -> str:
        """A `CLOUDINARY_URL` for this server, as the project's settings take it."""
        return (
            f"cloudinary://{self.api_key}:{self.api_secret}@{self.cloud_name}"
            f"?upload_prefix={self.upload_prefix}"
        )

    def delivery_url_to_local(self, url: str) -> str:
        """A delivery URL (https://res.cloudinary.com/...) rewritten to this server."""
        parts = urlsplit(url)
        if parts.hostname != DELIVERY_HOST:
            raise ValueError(f"Not a Cloudinary delivery URL: {url}")
        return f"{self.upload_prefix}{parts.path}"

    # --- What tests use ------------------------------------------------------------------------
    def reset(self) -> None:
        with self._lock:
            self.stored.clear()
            self.requests.clear()
            self._partial.clear()
            self._failures.clear()

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.requests)

    def uploads(self) -> list[RecordedRequest]:
        with self._lock:
            return [request for request in self.requests if request.action == "upload"]

    def fail_next_upload(
        self, *, status: int = 500, message: str = "General error (fake Cloudinary)"
    ) -> None:
        """The next upload request (a whole upload, or one chunk of a chunked one) answers
        `status` with Cloudinary's error body; call again to queue more failures."""
        with self._lock:
            self._failures.append((status, message))

    def drop_next_upload(self) -> None:
        """The next upload request gets no answer: the connection is closed (a network cut)."""
        with self._lock:
            self._failures.append((DROP, ""))

    def stall_next_upload(self, seconds: float) -> None:
        """The next upload request is answered (500) only after `seconds` (a time-out)."""
        with self._lock:
            self._failures.append((STALL, str(seconds)))

    def asset(self, resource_type: str, public_id: str) -> StoredAsset:
        return self.stored[(resource_type, public_id)]

    # --- The API -------------------------------------------------------------------------------
    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def handle_api(
        self,
        *,
        cloud: str,
        resource_type: str,
        action: str,
        fields: dict[str, str],
        file: tuple[str, bytes] | None,
        headers: dict[str, str],
    ) -> dict[str, Any]:
        if cloud != self.cloud_name:
            raise CloudinaryApiError(401, f"Invalid cloud_name {cloud}")
        if resource_type not in RESOURCE_TYPES:
            raise CloudinaryApiError(400, f"Invalid resource type {resource_type}")
        self.check_signature(fields)
        if action == "upload":
            return self.upload(
                resource_type=resource_type, fields=fields, file=file, headers=headers
            )
        if action == "destroy":
            return self.destroy(resource_type=resource_type, fields=fields)
        raise CloudinaryApiError(404, f"Unsupported action {action} (fake Cloudinary)")

    def check_signature(self, fields: dict[str, str]) -> None:
        if fields.get("api_key") != self.api_key:
            raise CloudinaryApiError(401, f"Unknown API key {fields.get('api_key', '')}")
        if not fields.get("timestamp"):
            raise CloudinaryApiError(400, "Missing required parameter - timestamp")
        if abs(time.time() - int(fields["timestamp"])) > STALE_AFTER_SECONDS:
            raise CloudinaryApiError(401, f"Stale request - reported time is {fields['timestamp']}")
        to_sign = string_to_sign(fields)
        expected = hashlib.new(
            self.signature_algorithm, (to_sign + self.api_secret).encode()
        ).hexdigest()
        if not secrets.compare_digest(expected, fields.get("signature", "")):
            signature = fields.get("signature", "")
            raise CloudinaryApiError(
                401, f"Invalid Signature {signature}. String to sign - '{to_sign}'."
            )

    def upload(
        self,
        *,
        resource_type: str,
        fields: dict[str, str],
        file: tuple[str, bytes] | None,
        headers: dict[str, str],
    ) -> dict[str, Any]:
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            status, message = failure
            if status == DROP:
                raise _DropConnection
            if status == STALL:
                time.sleep(float(message))
                status, message = 500, "Timed out (fake Cloudinary)"
            raise CloudinaryApiError(status, message)
        if file is None:
            raise CloudinaryApiError(400, "Missing required parameter - file")
        filename, data = file
        content_range = headers.get("content-range")
        if content_range:
            upload_id = headers.get("x-unique-upload-id")
            if not upload_id:
                raise CloudinaryApiError(400, "Missing X-Unique-Upload-Id for a chunked upload")
            assembled = self._add_chunk(upload_id, content_range, data, fields.get("public_id"))
            if assembled is None:
                partial = self._partial[upload_id]
                return {"done": False, "public_id": partial.public_id, "upload_id": upload_id}
            data = assembled
        return self._store(resource_type=resource_type, fields=fields, filename=filename, data=data)

    def _add_chunk(
        self, upload_id: str, content_range: str, data: bytes, public_id: str | None
    ) -> bytes | None:
        """Keep one chunk; the whole file once every byte has arrived, else None."""
        try:
            unit, _, spec = content_range.partition(" ")
            span, _, total = spec.partition("/")
            first, _, last = span.partition("-")
            first, last, total_size = int(first), int(last), int(total)
        except ValueError:
            raise CloudinaryApiError(400, f"Invalid Content-Range {content_range}") from None
        if unit != "bytes" or last - first + 1 != len(data) or last >= total_size:
            raise CloudinaryApiError(400, f"Content-Range {content_range} does not match the chunk")
        with self._lock:
            partial = self._partial.setdefault(upload_id, _PartialUpload(total=total_size))
            partial.public_id = partial.public_id or public_id or _random_public_id()
            partial.chunks[first] = data
            if partial.received() < partial.total:
                return None
            del self._partial[upload_id]
            return partial.assemble()

    def _store(
        self, *, resource_type: str, fields: dict[str, str], filename: str, data: bytes
    ) -> dict[str, Any]:
        extension = PurePosixPath(filename).suffix.lstrip(".").lower()
        public_id = fields.get("public_id") or _random_public_id()
        width = height = None
        if resource_type == "image":
            format_, width, height = _measure_image(data, extension)
        elif resource_type == "video":
            if not extension:
                raise CloudinaryApiError(400, "Unsupported video format or file")
            format_ = extension
        else:
            format_ = None  # raw: the extension stays in the public_id
            if not fields.get("public_id") and extension:
                public_id = f"{public_id}.{extension}"
        with self._lock:
            existing = self.stored.get((resource_type, public_id))
            if existing is not None and fields.get("overwrite") not in ("1", "true"):
                return {**existing.response, "existing": True}
            self._last_version = max(self._last_version + 1, int(time.time()))
            delivery_type = fields.get("type") or "upload"
            if delivery_type not in ("upload", "authenticated"):
                raise CloudinaryApiError(400, f"Invalid type: {delivery_type}")
            response = self._response(
                resource_type=resource_type,
                delivery_type=delivery_type,
                public_id=public_id,
                version=self._last_version,
                format_=format_,
                data=data,
                filename=filename,
                width=width,
                height=height,
            )
            self.stored[(resource_type, public_id)] = StoredAsset(
                resource_type=resource_type,
                public_id=public_id,
                data=data,
                params=dict(fields),
                response=response,
                type=delivery_type,
            )
            return dict(response)

    def _response(
        self,
        *,
        resource_type: str,
        delivery_type: str = "upload",
        public_id: str,
        version: int,
        format_: str | None,
        data: bytes,
        filename: str,
        width: int | None,
        height: int | None,
    ) -> dict[str, Any]:
        path = f"{resource_type}/{delivery_type}/v{version}/{public_id}" + (
            f".{format_}" if format_ else ""
        )
        response: dict[str, Any] = {
            "asset_id": secrets.token_hex(16),
            "public_id": public_id,
            "version": version,
            "version_id": secrets.token_hex(16),
            "signature": hashlib.sha1(  # noqa: S324 (Cloudinary's response signature is sha1)
                f"public_id={public_id}&version={version}{self.api_secret}".encode()
            ).hexdigest(),
            "resource_type": resource_type,
            "created_at": datetime.fromtimestamp(version, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tags": [],
            "bytes": len(data),
            "type": delivery_type,
            "etag": hashlib.md5(data).hexdigest(),  # noqa: S324 (an etag, not security)
            "placeholder": False,
            "url": f"http://{DELIVERY_HOST}/{self.cloud_name}/{path}",
            "secure_url": f"https://{DELIVERY_HOST}/{self.cloud_name}/{path}",
            "asset_folder": "",
            "original_filename": PurePosixPath(filename).stem,
        }
        if format_:
            response["format"] = format_
        if width is not None:
            response["width"], response["height"] = width, height
        return response

    def destroy(self, *, resource_type: str, fields: dict[str, str]) -> dict[str, Any]:
        public_id = fields.get("public_id")
        if not public_id:
            raise CloudinaryApiError(400, "Missing required parameter - public_id")
        delivery_type = fields.get("type") or "upload"
        with self._lock:
            found = self.stored.get((resource_type, public_id))
            if found is None or found.type != delivery_type:
                return {"result": "not found"}
            del self.stored[(resource_type, public_id)]
        return {"result": "ok"}

    def deliver(self, path: str) -> bytes | None:
        """The bytes for a delivery path `/<cloud>/<resource_type>/<type>/[s--SIG--/][...]/
        <public_id>[.<format>]`; transformations and the version are skipped, not applied.
        An "authenticated" asset is delivered only with the URL signature Cloudinary checks
        (sha1 of the transformation and source, with the API secret); None otherwise."""
        parts = unquote(path).strip("/").split("/")
        if len(parts) < 4 or parts[0] != self.cloud_name:
            return None
        resource_type, delivery_type, rest = parts[1], parts[2], parts[3:]
        if delivery_type not in ("upload", "authenticated"):
            return None
        signature = rest.pop(0) if rest and rest[0].startswith("s--") else None
        with self._lock:
            for start in range(len(rest)):
                source = "/".join(rest[start:])
                candidate = source
                if resource_type != "raw":
                    candidate = str(PurePosixPath(candidate).with_suffix(""))
                asset = self.stored.get((resource_type, candidate))
                if asset is None or asset.type != delivery_type:
                    continue
                if delivery_type == "authenticated":
                    steps = [p for p in rest[:start] if not _VERSION.fullmatch(p)]
                    if signature != self.url_signature("/".join([*steps, source])):
                        return None
                return asset.data
        return None

    def url_signature(self, to_sign: str) -> str:
        digest = hashlib.sha1((to_sign + self.api_secret).encode()).digest()  # noqa: S324
        return "s--" + base64.urlsafe_b64encode(digest)[:8].decode() + "--"


@contextmanager
def sdk_configured_for(server: FakeCloudinary) -> Iterator[FakeCloudinary]:
    """The `cloudinary` SDK's global configuration pointed at `server` for the block, then put
    back exactly as it was (the SDK keeps one module-level config object)."""
    import cloudinary

    saved = dict(cloudinary.config().__dict__)
    cloudinary.config(
        cloud_name=server.cloud_name,
        api_key=server.api_key,
        api_secret=server.api_secret,
        upload_prefix=server.upload_prefix,
        signature_algorithm=server.signature_algorithm,
        secure=True,
    )
    try:
        yield server
    finally:
        restored = cloudinary.config()
        restored.__dict__.clear()
        restored.__dict__.update(saved)


def string_to_sign(fields: dict[str, str]) -> str:
    """Cloudinary's string to sign (signature version 2): every signed, non-empty field as
    `key=value`, sorted, joined with `&`, with `&` inside values escaped; list fields (`key[]`)
    joined with commas."""
    values: dict[str, list[str]] = {}
    for key, value in fields.items():
        name = key.removesuffix("[]")
        if name in UNSIGNED_FIELDS or not value:
            continue
        values.setdefault(name, []).extend(value if isinstance(value, list) else [value])
    pairs = [f"{key}={','.join(value)}".replace("&", "%26") for key, value in values.items()]
    return "&".join(sorted(pairs))


def _measure_image(data: bytes, extension: str) -> tuple[str, int | None, int | None]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            pillow_format = image.format or ""
    except (UnidentifiedImageError, OSError):
        if extension in ("heic", "heif"):  # readable only with pillow-heif's opener registered
            return extension, None, None
        raise CloudinaryApiError(400, "Invalid image file") from None
    return PILLOW_FORMATS.get(pillow_format, pillow_format.lower()), width, height


def _random_public_id() -> str:
    return secrets.token_hex(10)


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, Any], tuple | None]:
    """Text fields (repeated `key[]` fields as lists) and the `file` part as (filename, bytes)."""
    message: Message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, Any] = {}
    file = None
    if not message.is_multipart():
        return fields, file
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if name == "file":
            file = (part.get_filename() or "file", payload)
        elif name and name.endswith("[]"):
            fields.setdefault(name, []).append(payload.decode())
        elif name:
            fields[name] = payload.decode()
    return fields, file


class _Handler(BaseHTTPRequestHandler):
    fake: FakeCloudinary
    protocol_version = "HTTP/1.1"  # keep-alive, as urllib3's pool expects

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # quiet test output

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {key.lower(): value for key, value in self.headers.items()}
        fields, file = _parse_multipart(self.headers.get("Content-Type", ""), body)
        self.fake.record(RecordedRequest("POST", self.path, fields=dict(fields), headers=headers))
        parts = urlsplit(self.path).path.strip("/").split("/")
        try:
            if len(parts) != 4 or parts[0] != "v1_1":
                raise CloudinaryApiError(404, f"Unknown path {self.path} (fake Cloudinary)")
            result = self.fake.handle_api(
                cloud=parts[1],
                resource_type=parts[2],
                action=parts[3],
                fields=fields,
                file=file,
                headers=headers,
            )
        except _DropConnection:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        except CloudinaryApiError as error:
            self._send_json(error.status, {"error": {"message": error.message}})
        else:
            self._send_json(HTTPStatus.OK, result)

    def do_GET(self) -> None:  # noqa: N802
        self.fake.record(RecordedRequest("GET", self.path))
        data = self.fake.deliver(urlsplit(self.path).path)
        if data is None:
            self._send(HTTPStatus.NOT_FOUND, b"Resource not found", "text/plain")
        else:
            self._send(HTTPStatus.OK, data, "application/octet-stream")

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-Id", secrets.token_hex(8))
        self.end_headers()
        self.wfile.write(body)
