"""Large files straight to Cloudinary: the browser sends a video or recording to Cloudinary
in chunks, with a signature the server issued for that one upload, and the app server never
holds the file (docs/architecture.md, "Direct uploads").

1. direct_upload_sign: who may upload to the class (the same checks as any upload), then a
   DirectUpload row and the signed parameters: a public_id of the server's choosing under
   the school's folder, `type=authenticated`, the allowed formats, a timestamp that
   Cloudinary refuses an hour later (the row expires sooner: DIRECT_UPLOAD_TTL_SECONDS).
2. The browser posts the chunks to Cloudinary (static/js/upload.js), then Cloudinary's
   final answer to direct_upload_complete, which trusts nothing of it but what Cloudinary
   signed: the response signature over public_id and version must be right, the public_id
   the one signed for this person's row, and the asset itself is then read from the Admin
   API (type, format, duration, bytes against the limits of every upload). The work is
   made by the same service as any upload (services.media_upload_stored). Any refusal
   destroys the asset: nothing of a refused upload stays on Cloudinary or in the database.
3. direct_uploads_sweep: assets of uploads never completed, destroyed after expiry.

Cloudinary's Upload API has no size limit of its own that a signature could carry, so the
size is kept by the chunk plan in the browser and checked on the stored asset here.
"""

from __future__ import annotations

import logging
import secrets
import time
from datetime import timedelta

import cloudinary.api
import cloudinary.uploader
import cloudinary.utils
from cloudinary.exceptions import Error as CloudinarySdkError
from cloudinary.exceptions import NotFound
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from django_tenants.utils import tenant_context

from tenants.models import School

from . import services
from .consent_rules import visibility_check
from .delivery import DELIVERY_TYPE
from .direct_upload_models import DirectUpload, DirectUploadStatus
from .models import MediaPage, SchoolMedia
from .permissions import can_upload_to
from .storage import CloudinaryStorage, StoredName
from .validation import size_limit, too_large

logger = logging.getLogger(__name__)

RESOURCE_TYPE = "video"  # Cloudinary keeps audio as video too (storage.py)
FORMATS = {"video": ("mp4", "mov", "webm"), "audio": ("m4a", "mp3", "ogg", "wav", "webm")}
# Location and device tags a phone writes (ffprobe's names, lower case): an asset that still
# has one after Cloudinary's transcoding is refused (docs/architecture.md says why).
INCOMING_TRANSFORMATION = "q_auto"
LOCATION_TAGS = ("location", "com.apple.quicktime.location.iso6709", "location-eng")

ERROR_DIRECT_OFF = _("Direct uploads are off here: upload the file with the form.")
ERROR_KIND = _("Only videos and audio recordings go straight to the cloud: upload others here.")
ERROR_FORMAT = _("Upload a video as MP4, MOV or WebM, a recording as M4A, MP3, OGG, WAV or WebM.")
ERROR_NOT_CONFIRMED = _("The upload could not be confirmed, so nothing was kept. Upload it again.")
ERROR_EXPIRED = _(
    "This upload took too long and has expired, so nothing was kept. Upload it again."
)
ERROR_NOT_STORED = _("The file did not arrive at the cloud, so nothing was kept. Upload it again.")
ERROR_NOT_MEDIA = _("This is not a video or recording we can show, so nothing was kept.")
ERROR_METADATA = _("This file still carries where it was recorded, so nothing was kept.")


def direct_uploads_enabled() -> bool:
    return bool(settings.CLOUDINARY_DIRECT_UPLOADS) and isinstance(
        default_storage, CloudinaryStorage
    )


def chunk_bytes() -> int:
    return int(settings.CLOUDINARY_CHUNK_MB * 1024 * 1024)


def _storage() -> CloudinaryStorage:
    if not direct_uploads_enabled():
        raise PermissionDenied(ERROR_DIRECT_OFF)
    return default_storage


@transaction.atomic
def direct_upload_sign(
    *,
    user,
    classroom,
    kind: str,
    filename: str,
    size: int,
    title: str,
    description: str = "",
    tags: list[str] | tuple[str, ...] = (),
    visibility: str,
) -> dict:
    """What the browser needs to send `filename` (`size` bytes) straight to Cloudinary as
    this person's work in `classroom`, signed for this one upload; a DirectUpload row
    remembers it. Raises PermissionDenied (not theirs to upload to, or direct uploads off)
    or ValidationError (nothing signed) as media_upload would."""
    storage = _storage()
    if not can_upload_to(user, classroom):
        raise PermissionDenied(services.ERROR_NOT_YOUR_CLASS)
    if not title.strip():
        raise ValidationError({"title": [services.ERROR_TITLE_REQUIRED]})
    visibility_check(user, visibility)
    if kind not in FORMATS:
        raise ValidationError({"file": [ERROR_KIND]})
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    if extension not in FORMATS[kind]:
        raise ValidationError({"file": [ERROR_FORMAT]})
    if size <= 0 or size > size_limit(kind):
        raise ValidationError({"file": too_large(kind, size).messages})
    options = storage.sdk_options() or {}
    config = cloudinary.config()
    timestamp = int(time.time())
    school = connection.schema_name
    public_id = f"{school}/media/direct_{secrets.token_hex(12)}"
    upload = DirectUpload(
        user=user,
        classroom=classroom,
        public_id=public_id,
        resource_type=RESOURCE_TYPE,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        tags=list(tags),
        visibility=visibility,
        max_bytes=size_limit(kind),
        timestamp=timestamp,
        expires_at=timezone.now() + timedelta(seconds=settings.DIRECT_UPLOAD_TTL_SECONDS),
    )
    upload.full_clean()
    upload.save()
    params = {
        "allowed_formats": ",".join(FORMATS[kind]),
        "overwrite": "false",
        "public_id": public_id,
        "timestamp": str(timestamp),
        # An incoming transformation: Cloudinary stores its transcoded copy, not the file
        # with the phone's tags (docs/architecture.md, "What Cloudinary keeps").
        "transformation": INCOMING_TRANSFORMATION,
        "type": DELIVERY_TYPE,
        "unique_filename": "false",
    }
    secret = options.get("api_secret", config.api_secret)
    algorithm = options.get("signature_algorithm", config.signature_algorithm)
    prefix = options.get("upload_prefix") or config.upload_prefix or "https://api.cloudinary.com"
    cloud = options.get("cloud_name", config.cloud_name)
    return {
        "id": upload.pk,
        "upload_url": f"{prefix}/v1_1/{cloud}/{RESOURCE_TYPE}/upload",
        "api_key": options.get("api_key", config.api_key),
        "folder": school,
        "public_id": public_id,
        "resource_type": RESOURCE_TYPE,
        "allowed_formats": list(FORMATS[kind]),
        "max_bytes": upload.max_bytes,
        "chunk_bytes": chunk_bytes(),
        "expires_at": int(upload.expires_at.timestamp()),
        "params": params,
        "signature": cloudinary.utils.api_sign_request(params, secret, algorithm),
    }


def direct_upload_complete(*, user, upload_id: int, response: dict) -> MediaPage:
    """The work for a finished direct upload, from Cloudinary's final `response` as the
    browser relays it. Raises DirectUpload.DoesNotExist for an upload that is not this
    person's pending one (a 404: someone else's stays untouched), ValidationError or
    PermissionDenied for a refusal, after which the asset is destroyed and the row marked."""
    storage = _storage()
    upload = DirectUpload.objects.get(pk=upload_id, user=user, status=DirectUploadStatus.PENDING)
    try:
        resource = _verified_resource(storage, upload, response)
        stored = StoredName(RESOURCE_TYPE, upload.public_id, resource["format"].lower())
        asset = SchoolMedia(
            title=upload.title,
            collection=upload.classroom.collection,
            uploaded_by_user=user,
            type=upload.kind,
            file=str(stored),
            duration=resource.get("duration"),
            width=resource.get("width") if upload.kind == "video" else None,
            height=resource.get("height") if upload.kind == "video" else None,
        )
        with transaction.atomic():
            # Two completions at once: the second finds the row no longer pending (a 404).
            DirectUpload.objects.select_for_update().get(
                pk=upload.pk, status=DirectUploadStatus.PENDING
            )
            page = services.media_upload_stored(
                classroom=upload.classroom,
                uploaded_by=user,
                asset=asset,
                kind=upload.kind,
                title=upload.title,
                description=upload.description,
                tags=upload.tags,
                visibility=upload.visibility,
            )
            upload.status, upload.page = DirectUploadStatus.COMPLETE, page
            upload.save(update_fields=["status", "page"])
    except (ValidationError, PermissionDenied):
        _destroy(storage, upload)
        raise
    return page


def _verified_resource(storage: CloudinaryStorage, upload: DirectUpload, response: dict) -> dict:
    """The asset as Cloudinary's Admin API describes it, once the browser's `response` is
    shown to be Cloudinary's answer for this upload; else a ValidationError."""
    if timezone.now() > upload.expires_at:
        raise ValidationError(ERROR_EXPIRED, code="expired")
    options = storage.sdk_options() or {}
    public_id, version = str(response.get("public_id", "")), str(response.get("version", ""))
    # cloudinary.utils.verify_api_response_signature, with the secret of CLOUDINARY_URL
    # (which wins over the SDK's global config here: storage.sdk_options).
    expected = cloudinary.utils.api_sign_request(
        {"public_id": public_id, "version": version},
        options.get("api_secret", cloudinary.config().api_secret),
        options.get("signature_algorithm", cloudinary.config().signature_algorithm),
        signature_version=1,
    )
    if not secrets.compare_digest(expected, str(response.get("signature", ""))):
        raise ValidationError(ERROR_NOT_CONFIRMED, code="signature")
    if public_id != upload.public_id or response.get("resource_type") != upload.resource_type:
        raise ValidationError(ERROR_NOT_CONFIRMED, code="mismatch")
    try:
        resource = cloudinary.api.resource(
            upload.public_id,
            resource_type=upload.resource_type,
            type=DELIVERY_TYPE,
            media_metadata=True,
            **options,
        )
    except NotFound:
        raise ValidationError(ERROR_NOT_STORED, code="not_found") from None
    except CloudinarySdkError as error:
        raise OSError(f"Cloudinary did not describe {upload.public_id!r}: {error}") from error
    _resource_check(upload, resource)
    return resource


def _resource_check(upload: DirectUpload, resource: dict) -> None:
    """The limits of every upload, on the asset as Cloudinary stored it."""
    size = int(resource.get("bytes") or 0)
    if size > min(upload.max_bytes, size_limit(upload.kind)):
        raise ValidationError(too_large(upload.kind, size).message, code="too_large")
    if (resource.get("format") or "").lower() not in FORMATS[upload.kind]:
        raise ValidationError(ERROR_NOT_MEDIA, code="format")
    if not resource.get("duration") or bool(resource.get("is_audio")) != (upload.kind == "audio"):
        raise ValidationError(ERROR_NOT_MEDIA, code="not_media")
    tags = {key.lower() for key in _metadata_tags(resource.get("media_metadata") or {})}
    if tags & set(LOCATION_TAGS):
        raise ValidationError(ERROR_METADATA, code="metadata")


def _metadata_tags(metadata: dict) -> list[str]:
    """Every tag name in the Admin API's media_metadata (ffprobe's format and stream tags)."""
    found = list((metadata.get("format") or {}).get("tags") or {})
    for stream in metadata.get("streams") or []:
        found.extend(stream.get("tags") or {})
    return found


def _destroy(storage: CloudinaryStorage, upload: DirectUpload) -> bool:
    """Destroy the upload's asset (nothing there is fine) and mark its row, committed even
    when the caller's transaction rolls back. False if Cloudinary could not be reached: the
    row stays pending, for the sweep."""
    try:
        cloudinary.uploader.destroy(
            upload.public_id,
            resource_type=upload.resource_type,
            type=DELIVERY_TYPE,
            invalidate=True,
            **(storage.sdk_options() or {}),
        )
    except CloudinarySdkError:
        logger.exception("Could not destroy the direct upload %s", upload.public_id)
        return False
    DirectUpload.objects.filter(pk=upload.pk).update(status=DirectUploadStatus.DESTROYED)
    return True


def direct_uploads_sweep(*, now=None) -> int:
    """Destroy the assets of this school's uploads never completed, expired more than
    DIRECT_UPLOAD_SWEEP_GRACE_SECONDS ago; the rows are marked. Idempotent: a destroyed row
    is never looked at again, and a missing asset is no error. The number destroyed."""
    if not isinstance(default_storage, CloudinaryStorage):
        return 0
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.DIRECT_UPLOAD_SWEEP_GRACE_SECONDS)
    stale = DirectUpload.objects.filter(status=DirectUploadStatus.PENDING, expires_at__lt=cutoff)
    return sum(_destroy(default_storage, upload) for upload in stale.order_by("pk"))


@task()
def direct_uploads_sweep_task() -> dict[str, int]:
    """Periodic (PERIODIC_TASKS): each active school's sweep, in its own schema."""
    counts = {}
    for school in School.objects.active().order_by("slug"):
        with tenant_context(school):
            counts[school.slug] = direct_uploads_sweep()
    return counts
