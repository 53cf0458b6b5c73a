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
- For uploads straight from a browser (fake_cloudinary_direct.py): CORS headers and
  preflights, `allowed_formats`, an incoming `transformation` (a copy without tags), and the
  Admin API's `GET /v1_1/<cloud>/resources/<resource_type>/<type>/<public_id>` (bytes,
  format, duration, `media_metadata`, read by ffprobe).
- `GET /v1_1/<cloud>/<type>/download?...`: a private download URL, served while signed and
  unexpired (401 otherwise).
- `GET /<cloud>/<type>/<upload|authenticated>/.../<public_id>[.<format>]`: the stored bytes,
  standing in for the delivery CDN (tests rewrite `https://res.cloudinary.com` to this
  server); authenticated assets only with the URL's signature, or an unexpired
  `__cld_token__` (token-based authentication, with `server.auth_token_key`).

Links expire on the fake's own clock, which tests move forward with `server.advance(seconds)`.

Tests read `server.stored` (keyed by `(resource_type, public_id)`), `server.requests` and
`server.request_count`, and make the next upload fail with `server.fail_next_upload()` (an
error answer), `server.stall_next_upload(seconds)` (a time-out) or `server.drop_next_upload()`
(the connection closed without an answer).

The fake is in parts: this module is the server as tests hold it (started on a free port,
the SDK pointed at it, failures queued); fake_cloudinary_api.py what each API call does,
fake_cloudinary_http.py the HTTP handler, fake_cloudinary_assets.py what is stored and
answered, and fake_cloudinary_signing.py Cloudinary's signatures. Everything tests import
is importable from here.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from urllib.parse import urlsplit

from .fake_cloudinary_api import DROP, STALL, CloudinaryApi
from .fake_cloudinary_assets import (
    DELIVERY_HOST,
    PILLOW_FORMATS,
    RESOURCE_TYPES,
    CloudinaryApiError,
    RecordedRequest,
    StoredAsset,
)
from .fake_cloudinary_http import RequestHandler
from .fake_cloudinary_signing import (
    STALE_AFTER_SECONDS,
    UNSIGNED_FIELDS,
    string_to_sign,
    unsigned_url,
)

__all__ = [
    "DELIVERY_HOST",
    "DROP",
    "PILLOW_FORMATS",
    "RESOURCE_TYPES",
    "STALE_AFTER_SECONDS",
    "STALL",
    "UNSIGNED_FIELDS",
    "CloudinaryApiError",
    "FakeCloudinary",
    "RecordedRequest",
    "StoredAsset",
    "sdk_configured_for",
    "string_to_sign",
    "unsigned_url",
]


class FakeCloudinary(CloudinaryApi):
    """The fake API. `with FakeCloudinary() as server:` starts it on a free loopback port."""

    def __init__(
        self,
        *,
        cloud_name: str = "mediahub-test",
        api_key: str = "123456789012345",
        api_secret: str | None = None,
        signature_algorithm: str = "sha1",
        auth_token_key: str | None = None,
    ) -> None:
        super().__init__(
            cloud_name=cloud_name,
            api_key=api_key,
            # Random per server: a test that passes signs with what the fixture configured.
            api_secret=api_secret or secrets.token_urlsafe(20),
            signature_algorithm=signature_algorithm,
            auth_token_key=auth_token_key or secrets.token_hex(32),
        )
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- Lifecycle -----------------------------------------------------------------------------
    def start(self) -> FakeCloudinary:
        handler = type("Handler", (RequestHandler,), {"fake": self})
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
        """A delivery URL (https://res.cloudinary.com/..., its query kept) rewritten to this
        server; an API URL (a private download URL) already points here."""
        if url.startswith(f"{self.upload_prefix}/"):
            return url
        parts = urlsplit(url)
        if parts.hostname != DELIVERY_HOST:
            raise ValueError(f"Not a Cloudinary delivery URL: {url}")
        query = f"?{parts.query}" if parts.query else ""
        return f"{self.upload_prefix}{parts.path}{query}"

    # --- What tests use ------------------------------------------------------------------------
    def reset(self) -> None:
        with self._lock:
            self.stored.clear()
            self.requests.clear()
            self._partial.clear()
            self._failures.clear()
            self.clock_offset = 0.0

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


@contextmanager
def sdk_configured_for(server: FakeCloudinary) -> Iterator[FakeCloudinary]:
    """The `cloudinary` SDK's global configuration pointed at `server` for the block, then put
    back exactly as it was (the SDK keeps one module-level config object)."""
    # Imported here, not on top: importing the SDK builds its config from CLOUDINARY_URL and
    # Django's settings there and then, and bench/images.py imports this module before it
    # has set either up.
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
