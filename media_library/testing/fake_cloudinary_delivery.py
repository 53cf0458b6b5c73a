"""What the fake Cloudinary's CDN checks of a delivery URL's transformations, as Cloudinary
answers 400 to one it can't apply: each step is `key_value` pairs joined by commas, with keys
it knows and values of the right shape; a streaming profile (`sp_`) only for an HLS or DASH
manifest (`.m3u8`, `.mpd`) of a video, and such a manifest only with one; `f_auto` and a
poster's `so_` only for images and video. The transformations are checked, not applied: the
fake delivers the stored bytes (and, for a manifest, a minimal playlist naming them)."""

from __future__ import annotations

import re

from .fake_cloudinary_assets import CloudinaryApiError

_NUMBER = r"\d+(\.\d+)?"
_VALUES = {
    "c": r"limit|fill|fit|scale|crop|thumb|pad|lfill|lpad|mfit|mpad",
    "w": rf"{_NUMBER}|auto",
    "h": rf"{_NUMBER}|auto",
    "x": r"-?\d+",
    "y": r"-?\d+",
    "q": r"auto(:(best|good|eco|low))?|\d{1,3}",
    "f": r"auto|jpg|png|webp|avif|gif|mp4|webm",
    "g": r"[a-z_:]+",
    "so": rf"auto|{_NUMBER}p?",
    "sp": r"[a-z0-9_]+",
    "fl": r"[a-z_.:]+",
    "e": r"[a-z_:0-9-]+",
    "dpr": rf"{_NUMBER}|auto",
}
MANIFESTS = ("m3u8", "mpd")


def transformation_check(steps: list[str], *, resource_type: str, format: str | None) -> None:
    """Raise CloudinaryApiError (400) for a transformation Cloudinary would refuse."""
    keys = set()
    for step in steps:
        for pair in step.split(","):
            key, _, value = pair.partition("_")
            pattern = _VALUES.get(key)
            if pattern is None or not re.fullmatch(pattern, value):
                raise CloudinaryApiError(400, f"Invalid transformation component {pair!r}")
            keys.add(key)
    if resource_type == "raw" and keys:
        raise CloudinaryApiError(400, "Raw files take no transformations")
    manifest = format in MANIFESTS
    if manifest and (resource_type != "video" or "sp" not in keys):
        raise CloudinaryApiError(400, "A manifest needs a video and a streaming profile (sp_)")
    if "sp" in keys and not manifest:
        raise CloudinaryApiError(400, "A streaming profile needs an .m3u8 or .mpd manifest")


def manifest(source_url_name: str) -> bytes:
    """A minimal HLS playlist naming one segment (what a test reads back)."""
    return (
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n"
        f"#EXTINF:10.0,\n{source_url_name}\n#EXT-X-ENDLIST\n"
    ).encode()
