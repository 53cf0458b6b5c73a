"""What the fake Cloudinary (fake_cloudinary.py) keeps and answers: a stored asset, a recorded
request, a chunked upload being put together, an API error, and the upload answer, built
field by field the way Cloudinary's looks, so code written against the fake reads the real
one the same way. An image's format is the one Pillow reads, not the file name's, as on
Cloudinary.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from PIL import Image, UnidentifiedImageError

RESOURCE_TYPES = ("image", "video", "raw")
DELIVERY_HOST = "res.cloudinary.com"
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


class DropConnection(Exception):
    """Close the connection without answering."""


class CloudinaryApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class PartialUpload:
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


def upload_answer(
    *,
    cloud_name: str,
    api_secret: str,
    algorithm: str = "sha1",
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
        # Signed with the account's algorithm (what verify_api_response_signature expects).
        "signature": hashlib.new(
            algorithm, f"public_id={public_id}&version={version}{api_secret}".encode()
        ).hexdigest(),
        "resource_type": resource_type,
        "created_at": datetime.fromtimestamp(version, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tags": [],
        "bytes": len(data),
        "type": delivery_type,
        "etag": hashlib.md5(data).hexdigest(),  # noqa: S324 (an etag, not security)
        "placeholder": False,
        "url": f"http://{DELIVERY_HOST}/{cloud_name}/{path}",
        "secure_url": f"https://{DELIVERY_HOST}/{cloud_name}/{path}",
        "asset_folder": "",
        "original_filename": PurePosixPath(filename).stem,
    }
    if format_:
        response["format"] = format_
    if width is not None:
        response["width"], response["height"] = width, height
    return response


def measure_image(data: bytes, extension: str) -> tuple[str, int | None, int | None]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            pillow_format = image.format or ""
    except (UnidentifiedImageError, OSError):
        if extension in ("heic", "heif"):  # readable only with pillow-heif's opener registered
            return extension, None, None
        raise CloudinaryApiError(400, "Invalid image file") from None
    return PILLOW_FORMATS.get(pillow_format, pillow_format.lower()), width, height


def random_public_id() -> str:
    return secrets.token_hex(10)
