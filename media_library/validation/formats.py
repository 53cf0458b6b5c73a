"""The formats an upload may be, and nothing else: each one's kind, MIME type, canonical
extension and the name messages call it by. The checks return one of these; anything they
can't match to one is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("image", "video", "audio", "document")


@dataclass(frozen=True)
class FileType:
    kind: str
    mime_type: str
    extension: str
    name: str  # for messages: "PNG"
    pillow_format: str | None = None


JPEG = FileType("image", "image/jpeg", "jpg", "JPEG", "JPEG")
PNG = FileType("image", "image/png", "png", "PNG", "PNG")
WEBP = FileType("image", "image/webp", "webp", "WebP", "WEBP")
GIF = FileType("image", "image/gif", "gif", "GIF", "GIF")
HEIC = FileType("image", "image/heic", "heic", "HEIC", "HEIF")
MP4 = FileType("video", "video/mp4", "mp4", "MP4")
MOV = FileType("video", "video/quicktime", "mov", "MOV")
WEBM = FileType("video", "video/webm", "webm", "WebM")
WEBM_AUDIO = FileType("audio", "audio/webm", "webm", "WebM")
M4A = FileType("audio", "audio/mp4", "m4a", "M4A")
MP3 = FileType("audio", "audio/mpeg", "mp3", "MP3")
OGG = FileType("audio", "audio/ogg", "ogg", "OGG")
WAV = FileType("audio", "audio/wav", "wav", "WAV")
PDF = FileType("document", "application/pdf", "pdf", "PDF")
