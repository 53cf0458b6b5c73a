"""Media files on Cloudinary, one folder per school, with no HTTP call except upload and delete.

Django asks a storage for a file's URL on every page that shows it, so `url()` must be free:
everything it needs is in the name the FileField keeps. Which link a file gets (permanent for
public work, expiring otherwise, and `url()` always expiring) is media_library.delivery's
business. The name is

    <resource_type>/<public_id>[.<format>]

- `resource_type` is Cloudinary's: `image`, `video` (audio too: Cloudinary keeps audio as
  video) or `raw` (documents and anything else), chosen from the file's extension;
- `public_id` starts with the school's schema name, then the name Django/Wagtail gives the
  file with a short random suffix on its stem, without the extension for images and video
  (Cloudinary keeps their format apart) and with it for raw files;
- `format` is the one Cloudinary reports for images and video (`cat.jpeg` is stored as `jpg`).

For example `original_images/cat.jpg` uploaded at Greenwood is stored as
`image/greenwood/original_images/cat_a1b2c3d.jpg` (public_id
`greenwood/original_images/cat_a1b2c3d`), `media/clip.mp4` as
`video/greenwood/media/clip_a1b2c3d.mp4`, and `documents/report.pdf` as
`raw/greenwood/documents/report_a1b2c3d.pdf` (public_id `greenwood/documents/report_a1b2c3d.pdf`).

Names are made unique locally (the random suffix) and uploads use `overwrite=False`, so
`exists()` is always False without asking Cloudinary; if Cloudinary ever reports the public_id
as taken, the upload fails instead of pointing the new row at someone else's file.

Configuration: `settings.CLOUDINARY_URL` (`cloudinary://KEY:SECRET@CLOUD`, optionally with
`?upload_prefix=...` and other SDK settings as query parameters). python-decouple reads it from
.env, so the SDK never sees it in `os.environ`: this module parses it and passes it to every
SDK call, and also configures the SDK's global config when nothing else has (so code building
transformation URLs with the SDK finds the cloud). With CLOUDINARY_URL empty, the SDK's
global configuration is used as it is (the tests' fake API sets it up).
"""

from __future__ import annotations

import posixpath
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import cloudinary
import cloudinary.uploader
import cloudinary.utils
import requests
from cloudinary.exceptions import Error as CloudinarySdkError
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.db import connection
from django.utils.crypto import get_random_string
from django.utils.deconstruct import deconstructible

from . import delivery
from .delivery import DELIVERY_TYPE

MB = 1024 * 1024
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "gif", "webp", "heic", "heif"})
# Cloudinary has no "audio" resource type: audio is uploaded and delivered as video.
VIDEO_EXTENSIONS = frozenset({"mp4", "webm", "mov", "m4v"})
AUDIO_EXTENSIONS = frozenset({"mp3", "m4a", "aac", "ogg", "oga", "wav", "flac"})
RESOURCE_TYPES = ("image", "video", "raw")
SUFFIX_LENGTH = 7  # as Django's own get_alternative_name
SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"
# Cloudinary may report a longer format than the extension given (e.g. `tif` → `tiff`).
FORMAT_SLACK = 2
SIZE_CACHE_ENTRIES = 1024

UPLOAD_FAILED = "The file could not be stored on Cloudinary."


class CloudinaryStorageError(OSError):
    """An upload or delete that Cloudinary refused or that never reached it. An OSError, as
    Django's own storages raise, so callers handle both storages alike."""


@dataclass(frozen=True)
class StoredName:
    """A stored name taken apart: what the SDK needs to build a URL or delete the asset."""

    resource_type: str
    public_id: str
    format: str | None

    @classmethod
    def parse(cls, name: str) -> StoredName:
        resource_type, _, rest = name.partition("/")
        if resource_type not in RESOURCE_TYPES or not rest:
            raise SuspiciousFileOperation(
                f"{name!r} is not a Cloudinary stored name (<resource_type>/<public_id>)."
            )
        if resource_type == "raw":
            return cls(resource_type, rest, None)
        public_id, extension = posixpath.splitext(rest)
        return cls(resource_type, public_id, extension.lstrip(".") or None)

    def __str__(self) -> str:
        suffix = f".{self.format}" if self.format else ""
        return f"{self.resource_type}/{self.public_id}{suffix}"


def resource_type_for(name: str) -> str:
    """Cloudinary's resource_type for a file name: image, video (video and audio) or raw."""
    extension = posixpath.splitext(name)[1].lstrip(".").lower()
    if extension in IMAGE_EXTENSIONS:
        return "image"
    if extension in VIDEO_EXTENSIONS or extension in AUDIO_EXTENSIONS:
        return "video"
    return "raw"


def sdk_options_from_url(url: str) -> dict[str, Any]:
    """The SDK's options from a CLOUDINARY_URL, as the SDK itself reads the variable from the
    environment: cloud, key and secret; a path is a private CDN's host; query parameters
    (`upload_prefix`, `signature_algorithm`, ...) are passed through."""
    parts = urlsplit(url)
    if parts.scheme != "cloudinary" or not parts.hostname:
        raise ImproperlyConfigured(
            "CLOUDINARY_URL must look like cloudinary://API_KEY:API_SECRET@CLOUD_NAME."
        )
    if not parts.username or not parts.password:
        raise ImproperlyConfigured("CLOUDINARY_URL lacks the API key or secret.")
    options: dict[str, Any] = {
        "cloud_name": parts.hostname,
        "api_key": unquote(parts.username),
        "api_secret": unquote(parts.password),
    }
    if parts.path.strip("/"):
        options.update(private_cdn=True, secure_distribution=parts.path.strip("/"))
    for key, values in parse_qs(parts.query).items():
        options[key] = values[0]
    return options


@deconstructible(path="media_library.storage.CloudinaryStorage")
class CloudinaryStorage(Storage):
    """Django storage on Cloudinary: uploads and deletes through the SDK, URLs built locally,
    every public_id under the current school's schema name (see the module docstring)."""

    def __init__(
        self,
        *,
        cloudinary_url: str | None = None,
        large_upload_bytes: int = 20 * MB,
        chunk_size: int = 20 * MB,
        timeout: float = 60.0,
    ) -> None:
        """`cloudinary_url` defaults to settings.CLOUDINARY_URL, read on each call (so
        override_settings works on a cached storage). Files larger than `large_upload_bytes`
        are sent in chunks of `chunk_size` (Cloudinary wants at least 5 MB per chunk)."""
        self._cloudinary_url = cloudinary_url
        self.large_upload_bytes = large_upload_bytes
        self.chunk_size = chunk_size
        self.timeout = timeout
        self._sizes: OrderedDict[str, int] = OrderedDict()
        self._sizes_lock = threading.Lock()

    # --- Configuration -------------------------------------------------------------------------
    def sdk_options(self) -> dict[str, Any]:
        """Options for every SDK call: from the CLOUDINARY_URL when there is one (which then
        wins over the SDK's global config), else none (the global config as it is)."""
        url = self._cloudinary_url
        if url is None:
            url = getattr(settings, "CLOUDINARY_URL", "")
        if not url:
            if not cloudinary.config().cloud_name:
                raise ImproperlyConfigured(
                    "CloudinaryStorage needs CLOUDINARY_URL (or a configured cloudinary SDK)."
                )
            return {}
        options = sdk_options_from_url(url)
        if not cloudinary.config().cloud_name:
            cloudinary.config(**options)
        return options

    # --- Names ---------------------------------------------------------------------------------
    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        """`name` with a random suffix on its stem, short enough that the stored name (with
        its resource type and school in front) fits `max_length`. No call to Cloudinary."""
        directory, filename = posixpath.split(name)
        stem, extension = posixpath.splitext(filename)
        suffix = "_" + get_random_string(SUFFIX_LENGTH, SUFFIX_CHARS)
        if max_length is not None:
            prefix = f"{resource_type_for(name)}/{connection.schema_name}/"
            fixed = len(prefix) + len(directory) + bool(directory) + len(suffix)
            room = max_length - fixed - len(extension) - FORMAT_SLACK
            if room < 1:
                raise SuspiciousFileOperation(
                    f"Storage cannot find a name for {name!r} within {max_length} characters."
                )
            stem = stem[:room]
        return posixpath.join(directory, f"{stem}{suffix}{extension}")

    def exists(self, name: str) -> bool:
        """Always False, without a request: names are unique by construction (random suffix,
        school prefix) and uploads never overwrite, so asking Cloudinary would only cost a
        rate-limited Admin API call per upload."""
        return False

    # --- Upload, delete ------------------------------------------------------------------------
    def _save(self, name: str, content: File) -> str:
        """Upload `content` as the school's public_id for `name`; the stored name back."""
        resource_type = resource_type_for(name)
        school = connection.schema_name
        stem, extension = posixpath.splitext(name)
        public_id = f"{school}/{name}" if resource_type == "raw" else f"{school}/{stem}"
        options = {
            **self.sdk_options(),
            "public_id": public_id,
            "resource_type": resource_type,
            "type": DELIVERY_TYPE,
            "overwrite": False,
            "unique_filename": False,
            "use_filename": False,
            "invalidate": True,
            "filename": posixpath.basename(name),
            "timeout": self.timeout,
        }
        size = content.size
        if hasattr(content, "seek"):
            content.seek(0)
        try:
            if size > self.large_upload_bytes:
                result = cloudinary.uploader.upload_large(
                    _Unclosable(content), chunk_size=self.chunk_size, **options
                )
            else:
                result = cloudinary.uploader.upload(content.read(), **options)
        except CloudinarySdkError as error:
            raise CloudinaryStorageError(f"{UPLOAD_FAILED} {error}") from error
        if result.get("existing"):
            # Not ours to delete: the public_id was taken before this upload.
            raise CloudinaryStorageError(f"{UPLOAD_FAILED} {public_id!r} already exists.")
        # The name reflects what Cloudinary reports (its public_id and format), as long as the
        # file is still in the school's folder; anything else is removed, never kept unnamed.
        reported = result.get("public_id") or ""
        if not reported.startswith(f"{school}/") or result.get("resource_type") != resource_type:
            if reported:
                self._destroy(reported, resource_type=result.get("resource_type", resource_type))
            raise CloudinaryStorageError(f"{UPLOAD_FAILED} Unexpected answer: {result!r}")
        format_ = None if resource_type == "raw" else (result.get("format") or extension[1:])
        stored = str(StoredName(resource_type, reported, format_.lower() if format_ else None))
        self._remember_size(stored, result.get("bytes", size))
        return stored

    def delete(self, name: str) -> None:
        """Destroy the asset (and invalidate CDN copies). Only the current school's files: a
        name under another school's folder is refused. A missing asset is not an error."""
        if not name:
            raise ValueError("The name must be given to delete().")
        stored = StoredName.parse(name)
        if not stored.public_id.startswith(f"{connection.schema_name}/"):
            raise SuspiciousFileOperation(
                f"{name!r} belongs to another school than {connection.schema_name!r}."
            )
        self._destroy(stored.public_id, resource_type=stored.resource_type)
        with self._sizes_lock:
            self._sizes.pop(name, None)

    def _destroy(self, public_id: str, *, resource_type: str) -> None:
        try:
            cloudinary.uploader.destroy(
                public_id,
                resource_type=resource_type,
                type=DELIVERY_TYPE,
                invalidate=True,
                timeout=self.timeout,
                **self.sdk_options(),
            )
        except CloudinarySdkError as error:
            raise CloudinaryStorageError(
                f"Cloudinary did not delete {public_id!r}: {error}"
            ) from error

    # --- Reading -------------------------------------------------------------------------------
    def url(self, name: str | None) -> str:
        """A link that expires (media_library.delivery): whatever asks the storage for a URL
        without knowing who may see the file (Wagtail's admin and document view, exports)
        gets one. A permanent link is only ever asked for explicitly (delivery_url)."""
        url = self.delivery_url(name)
        if url is None:  # only a transformation can lack an expiring link
            raise ValueError(f"No link for {name!r}.")
        return url

    def delivery_url(
        self, name: str | None, *, permanent: bool = False, **transformation: Any
    ) -> str | None:
        """The file's link, with SDK transformation options (`width=300, crop="fill"`, ...):
        permanent only when asked (files of public work), else expiring. None when an
        expiring link cannot carry the transformation (private download URLs deliver
        originals only: without CLOUDINARY_AUTH_TOKEN_KEY)."""
        if not name:
            raise ValueError("The name must be given to url().")
        stored = StoredName.parse(name)
        where = {
            # A video's poster is the video as an image: its resource type and format change.
            "resource_type": transformation.pop("resource_type", stored.resource_type),
            "format": transformation.pop("format", stored.format),
            "options": self.sdk_options(),
        }
        if permanent:
            return delivery.permanent_url(stored.public_id, **where, **transformation)
        expires_at = delivery.link_expiry()
        token_key = getattr(settings, "CLOUDINARY_AUTH_TOKEN_KEY", "")
        if token_key:
            return delivery.token_url(
                stored.public_id, **where, key=token_key, expires_at=expires_at, **transformation
            )
        if transformation or (where["resource_type"], where["format"]) != (
            stored.resource_type,
            stored.format,
        ):
            return None
        return delivery.private_download_url(stored.public_id, **where, expires_at=expires_at)

    def size(self, name: str) -> int:
        """The size Cloudinary reported when this process uploaded the file. Other files raise
        NotImplementedError rather than costing an Admin API call: Wagtail keeps each image's
        and document's `file_size` in its own row, set from the upload."""
        with self._sizes_lock:
            if name in self._sizes:
                return self._sizes[name]
        raise NotImplementedError(
            "CloudinaryStorage knows sizes only of files it just uploaded; "
            "read the model's file_size instead."
        )

    def _remember_size(self, name: str, size: int) -> None:
        with self._sizes_lock:
            self._sizes[name] = size
            while len(self._sizes) > SIZE_CACHE_ENTRIES:
                self._sizes.popitem(last=False)

    def _open(self, name: str, mode: str = "rb") -> File:
        """The file's bytes, from an expiring link: for exports and the like, never for
        pages (they link to the file). Read-only."""
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("CloudinaryStorage opens files for reading only.")
        try:
            response = requests.get(self.url(name), timeout=self.timeout)
            response.raise_for_status()
        except requests.RequestException as error:
            raise CloudinaryStorageError(f"Could not download {name!r}: {error}") from error
        return ContentFile(response.content, name=name)


class _Unclosable:
    """`content` for upload_large, which closes the file it reads (`with file_io:`); the
    caller of Storage.save owns the file and closes it itself."""

    def __init__(self, content: File) -> None:
        self._content = content
        self.name = posixpath.basename(content.name or "") or "stream"

    def read(self, size: int = -1) -> bytes:
        return self._content.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._content.seek(offset, whence)

    def tell(self) -> int:
        return self._content.tell()

    def __enter__(self) -> _Unclosable:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None
