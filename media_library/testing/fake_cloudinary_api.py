"""The Upload API calls of the fake Cloudinary, without HTTP: what each call does to the stored
assets and what it answers, as Cloudinary does. fake_cloudinary_http.py hands the requests
in, and FakeCloudinary (fake_cloudinary.py) adds the server and what tests use.

- upload: signed; chunked uploads (`Content-Range` and `X-Unique-Upload-Id`) reassembled;
  images measured with Pillow; `overwrite=0` on an existing public_id answers the existing
  asset with `"existing": true`; the next upload fails if a test queued a failure.
- destroy: `{"result": "ok"}` or `{"result": "not found"}`.
- download (a GET: the SDK's private download URL): the original's bytes, only with the
  URL's signature (as an API request's, with the API secret) and until its `expires_at`
  (an hour after its timestamp without one); 401 otherwise.
- deliver: the stored bytes for a delivery path, "authenticated" ones only with the URL's
  signature, or, when the account has a token key (token-based authentication), with an
  unexpired `__cld_token__` signed for the path (401 for a wrong or expired one); 400 for a
  transformation Cloudinary would refuse (fake_cloudinary_delivery.py).

Time is the fake's own clock (`now()`), which tests move forward (`advance`) to see links
expire without waiting.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

from .fake_cloudinary_assets import (
    RESOURCE_TYPES,
    CloudinaryApiError,
    DropConnection,
    PartialUpload,
    RecordedRequest,
    StoredAsset,
    measure_image,
    random_public_id,
    upload_answer,
)
from .fake_cloudinary_delivery import MANIFESTS, manifest, transformation_check
from .fake_cloudinary_direct import (
    basic_auth_check,
    incoming_transformation,
    resource_details,
)
from .fake_cloudinary_signing import (
    STALE_AFTER_SECONDS,
    TOKEN_NAME,
    auth_token_check,
    request_signature_check,
    url_signature,
)

_VERSION = re.compile(r"v\d+")
DROP, STALL = -1, -2  # failure modes of fail_next_upload's queue that are not an answer
DOWNLOAD_EXPIRES_AFTER_SECONDS = 3600  # a download URL without expires_at: an hour


class CloudinaryApi:
    """The fake's state (stored assets, recorded requests, queued failures) and the API calls
    on it. Every call may come from any of the server's threads: state changes under the lock."""

    def __init__(
        self,
        *,
        cloud_name: str,
        api_key: str,
        api_secret: str,
        signature_algorithm: str,
        auth_token_key: str | None = None,
    ) -> None:
        self.cloud_name = cloud_name
        self.api_key = api_key
        self.api_secret = api_secret
        self.signature_algorithm = signature_algorithm
        self.auth_token_key = auth_token_key  # hex; None: no token-based authentication
        self.clock_offset = 0.0
        self.stored: dict[tuple[str, str], StoredAsset] = {}
        self.requests: list[RecordedRequest] = []
        self._partial: dict[str, PartialUpload] = {}
        self._failures: list[tuple[int, str]] = []
        self._last_version = 0
        self._lock = threading.RLock()

    def now(self) -> float:
        """The fake's clock: the real one, moved forward by `advance`."""
        return time.time() + self.clock_offset

    def advance(self, seconds: float) -> None:
        """Move the fake's clock forward: links that expire within `seconds` stop working."""
        with self._lock:
            self.clock_offset += seconds

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

    def check_signature(
        self, fields: dict[str, str], *, stale_after: int | None = STALE_AFTER_SECONDS
    ) -> None:
        request_signature_check(
            fields,
            api_key=self.api_key,
            api_secret=self.api_secret,
            algorithm=self.signature_algorithm,
            now=self.now(),
            stale_after=stale_after,
        )

    def download(self, *, cloud: str, resource_type: str, fields: dict[str, str]) -> bytes:
        """The original's bytes for a private download URL's query `fields`: signed as an
        API request, and only until its `expires_at`."""
        if cloud != self.cloud_name:
            raise CloudinaryApiError(401, f"Invalid cloud_name {cloud}")
        if resource_type not in RESOURCE_TYPES:
            raise CloudinaryApiError(400, f"Invalid resource type {resource_type}")
        self.check_signature(fields, stale_after=None)
        expires_at = fields.get("expires_at") or (
            int(fields["timestamp"]) + DOWNLOAD_EXPIRES_AFTER_SECONDS
        )
        if self.now() >= int(expires_at):
            raise CloudinaryApiError(401, f"The download link expired at {expires_at}")
        with self._lock:
            asset = self.stored.get((resource_type, fields.get("public_id", "")))
        if asset is None or asset.type != (fields.get("type") or "upload"):
            raise CloudinaryApiError(404, f"Resource not found - {fields.get('public_id')}")
        wanted = fields.get("format")
        if resource_type != "raw" and wanted and wanted != asset.format:
            raise CloudinaryApiError(400, "The fake Cloudinary converts no formats")
        return asset.data

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
                raise DropConnection
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
            partial = self._partial.setdefault(upload_id, PartialUpload(total=total_size))
            partial.public_id = partial.public_id or public_id or random_public_id()
            partial.chunks[first] = data
            if partial.received() < partial.total:
                return None
            del self._partial[upload_id]
            return partial.assemble()

    def _store(
        self, *, resource_type: str, fields: dict[str, str], filename: str, data: bytes
    ) -> dict[str, Any]:
        extension = PurePosixPath(filename).suffix.lstrip(".").lower()
        public_id = fields.get("public_id") or random_public_id()
        width = height = None
        if resource_type == "image":
            format_, width, height = measure_image(data, extension)
        elif resource_type == "video":
            if not extension:
                raise CloudinaryApiError(400, "Unsupported video format or file")
            format_ = extension
        else:
            format_ = None  # raw: the extension stays in the public_id
            if not fields.get("public_id") and extension:
                public_id = f"{public_id}.{extension}"
        if resource_type == "video" and fields.get("transformation"):
            data = incoming_transformation(data, format_)
        allowed = fields.get("allowed_formats")
        if allowed and format_ and format_ not in allowed.split(","):
            raise CloudinaryApiError(400, f"File format {format_} not allowed")
        with self._lock:
            existing = self.stored.get((resource_type, public_id))
            if existing is not None and fields.get("overwrite") not in ("1", "true"):
                return {**existing.response, "existing": True}
            self._last_version = max(self._last_version + 1, int(time.time()))
            delivery_type = fields.get("type") or "upload"
            if delivery_type not in ("upload", "authenticated"):
                raise CloudinaryApiError(400, f"Invalid type: {delivery_type}")
            response = upload_answer(
                cloud_name=self.cloud_name,
                api_secret=self.api_secret,
                algorithm=self.signature_algorithm,
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

    def deliver(self, path: str, query: dict[str, str] | None = None) -> bytes | None:
        """The bytes for a delivery path `/<cloud>/<resource_type>/<type>/[s--SIG--/][...]/
        <public_id>[.<format>]`; transformations and the version are skipped, not applied.
        An "authenticated" asset is delivered only with the URL signature Cloudinary checks
        (sha1 of the transformation and source, with the API secret), or with a token
        (`__cld_token__` in `query`) when the account has token-based authentication; None
        otherwise, and a CloudinaryApiError (401) for a token that is wrong or expired."""
        token = (query or {}).get(TOKEN_NAME)
        if token is not None and self.auth_token_key:
            auth_token_check(token, path=path, key=self.auth_token_key, now=self.now())
        else:
            token = None
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
                steps = [p for p in rest[:start] if not _VERSION.fullmatch(p)]
                signed = signature == self.url_signature("/".join([*steps, source]))
                if delivery_type == "authenticated" and token is None and not signed:
                    return None
                extension = PurePosixPath(source).suffix.lstrip(".") or None
                transformation_check(steps, resource_type=resource_type, format=extension)
                if extension in MANIFESTS:
                    return manifest(PurePosixPath(candidate).name + ".ts")
                return asset.data
        return None

    def resource(
        self,
        *,
        cloud: str,
        resource_type: str,
        delivery_type: str,
        public_id: str,
        query: dict[str, str],
        authorization: str,
    ) -> dict[str, Any]:
        """The Admin API's details of one asset (fake_cloudinary_direct)."""
        if cloud != self.cloud_name:
            raise CloudinaryApiError(401, f"Invalid cloud_name {cloud}")
        basic_auth_check(authorization, api_key=self.api_key, api_secret=self.api_secret)
        with self._lock:
            asset = self.stored.get((resource_type, public_id))
        if asset is None or asset.type != delivery_type:
            raise CloudinaryApiError(404, f"Resource not found - {public_id}")
        wanted = query.get("media_metadata") in ("true", "1", "True")
        return resource_details(asset, media_metadata=wanted)

    def url_signature(self, to_sign: str) -> str:
        return url_signature(to_sign, self.api_secret)
