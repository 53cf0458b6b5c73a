"""What the fake Cloudinary adds for uploads straight from a browser (media_library.
direct_uploads): CORS, so a page of the school's origin may POST chunks to the fake on its
own port, as it may to api.cloudinary.com; and the Admin API's details of one asset
(`GET /v1_1/<cloud>/resources/<resource_type>/<type>/<public_id>`, Basic auth with the API
key and secret), with what Cloudinary reports of a video or recording: bytes, format,
duration, width and height, `is_audio`, and `media_metadata` (ffprobe's format and stream
tags) when asked, all read from the stored bytes with ffprobe.
"""

from __future__ import annotations

import base64
import json
import secrets
import shutil
import subprocess
import tempfile
from typing import Any

from .fake_cloudinary_assets import CloudinaryApiError, StoredAsset

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, GET, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Range, X-Unique-Upload-Id, Content-Type, "
    "X-Requested-With",
    "Access-Control-Max-Age": "600",
}


def basic_auth_check(header: str, *, api_key: str, api_secret: str) -> None:
    """A 401 unless `header` is `Basic base64(key:secret)` of this account."""
    scheme, _, value = header.partition(" ")
    try:
        given = base64.b64decode(value).decode()
    except ValueError:
        given = ""
    if scheme.lower() != "basic" or not secrets.compare_digest(given, f"{api_key}:{api_secret}"):
        raise CloudinaryApiError(401, "Invalid credentials")


def probe(data: bytes) -> dict[str, Any]:
    """ffprobe's JSON for `data` ({} without ffprobe, or for bytes it cannot read)."""
    if shutil.which("ffprobe") is None:
        return {}
    with tempfile.NamedTemporaryFile() as file:
        file.write(data)
        file.flush()
        done = subprocess.run(  # noqa: S603 (Debian's ffprobe, our own arguments)
            ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", file.name],  # noqa: S607
            capture_output=True,
            timeout=60,
        )
    if done.returncode != 0:
        return {}
    return json.loads(done.stdout or b"{}")


def resource_details(asset: StoredAsset, *, media_metadata: bool) -> dict[str, Any]:
    """The Admin API's answer for one asset."""
    details = {
        key: asset.response[key]
        for key in ("asset_id", "public_id", "format", "version", "resource_type", "type")
        if key in asset.response
    }
    details.update(bytes=len(asset.data), created_at=asset.response.get("created_at"))
    if asset.resource_type == "video":
        info = probe(asset.data)
        streams = info.get("streams") or []
        video = next((s for s in streams if s.get("codec_type") == "video"), None)
        duration = (info.get("format") or {}).get("duration")
        details["duration"] = float(duration) if duration else None
        details["is_audio"] = video is None and bool(streams)
        if video is not None:
            details["width"], details["height"] = video.get("width"), video.get("height")
        if media_metadata:
            details["media_metadata"] = {
                "format": {"tags": (info.get("format") or {}).get("tags") or {}},
                "streams": [{"tags": s.get("tags") or {}} for s in streams],
            }
    return details


def incoming_transformation(data: bytes, extension: str) -> bytes:
    """A video or recording after an incoming transformation (a signed `transformation`
    upload parameter): Cloudinary stores its transcoded copy instead of the original, in a
    container of its own making; the fake stands in with ffmpeg's copy of the streams without
    any tags (the original's bytes as they were without ffmpeg, or if it cannot read them)."""
    if shutil.which("ffmpeg") is None:
        return data
    with tempfile.TemporaryDirectory() as work:
        source, target = f"{work}/in.{extension}", f"{work}/out.{extension}"
        with open(source, "wb") as file:
            file.write(data)
        done = subprocess.run(  # noqa: S603 (Debian's ffmpeg, our own arguments)
            ["ffmpeg", "-nostdin", "-v", "error", "-i", source, "-map", "0",  # noqa: S607
             "-map_metadata", "-1", "-map_metadata:s", "-1", "-map_chapters", "-1",
             "-fflags", "+bitexact", "-c", "copy", "-y", target],
            capture_output=True,
            timeout=300,
        )  # fmt: skip
        if done.returncode != 0:
            return data
        with open(target, "rb") as file:
            return file.read()
