"""Writes to the media library: uploading a submission and deleting it.

A refused or failed upload leaves nothing behind: the file is checked before anything is
stored, and if anything fails after the file is stored, the stored file is deleted again
while the database rolls back.
"""

from __future__ import annotations

import hashlib
import io
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from PIL import Image

from .metadata import photo_strip_location
from .models import MediaPage, SchoolDocument, SchoolImage, SchoolMedia, Visibility
from .permissions import can_upload_to
from .validation import upload_inspect

logger = logging.getLogger(__name__)

ERROR_NOT_YOUR_CLASS = "You can only upload to a class you are in."
ERROR_TITLE_REQUIRED = "Give your work a title."


def media_upload(
    *,
    classroom,
    uploaded_by,
    file,
    title: str,
    description: str = "",
    tags: list[str] | tuple[str, ...] = (),
    visibility: str = Visibility.CLASS,
) -> MediaPage:
    """Check the file from its bytes, strip location data from photos, store it in the
    class's collection and create the student's MediaPage under the class page, as a draft.
    Raises ValidationError (nothing stored) for a refused file, PermissionDenied for a class
    the person may not upload to."""
    if not can_upload_to(uploaded_by, classroom):
        raise PermissionDenied(ERROR_NOT_YOUR_CLASS)
    title = title.strip()
    if not title:
        raise ValidationError({"title": [ERROR_TITLE_REQUIRED]})
    try:
        info = upload_inspect(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    file.seek(0)
    content = photo_strip_location(file) if info.kind == "image" else ContentFile(file.read())
    data = content.read() if hasattr(content, "read") else bytes(content)
    name = f"{slugify(title)[:40] or info.kind}.{info.extension}"

    asset = _asset_build(
        info=info, data=data, name=name, title=title, classroom=classroom, uploaded_by=uploaded_by
    )
    stored = None
    try:
        with transaction.atomic():
            asset.save()  # stores the file
            stored = (asset.file.storage, asset.file.name)
            page = MediaPage(
                title=title,
                slug=_unique_slug(classroom.page, title),
                kind=info.kind,
                description=description.strip(),
                visibility=visibility,
                owner=uploaded_by,
                live=False,
                **{_asset_field(info.kind): asset},
            )
            page.tags.set(list(tags))  # in memory until the page is saved, with it
            classroom.page.add_child(instance=page)
            page.save_revision(user=uploaded_by)
    except Exception:
        if stored:
            _stored_file_delete(*stored)
        raise
    return page


def _asset_field(kind: str) -> str:
    return {"image": "image", "document": "document"}.get(kind, "media")


def _asset_build(*, info, data: bytes, name: str, title: str, classroom, uploaded_by):
    common = {
        "title": title,
        "file": ContentFile(data, name=name),
        "collection": classroom.collection,
        "uploaded_by_user": uploaded_by,
    }
    if info.kind == "image":
        with Image.open(io.BytesIO(data)) as img:  # header only: the stripped photo's size
            width, height = img.size
        return SchoolImage(
            **common,
            width=width,
            height=height,
            file_size=len(data),
            file_hash=hashlib.sha1(data).hexdigest(),  # noqa: S324 (Wagtail's duplicate check)
        )
    if info.kind == "document":
        return SchoolDocument(
            **common,
            file_size=len(data),
            file_hash=hashlib.sha1(data).hexdigest(),  # noqa: S324
        )
    return SchoolMedia(**common, type=info.kind)


def _unique_slug(parent, title: str) -> str:
    base = slugify(title)[:50] or "media"
    slug, n = base, 2
    while parent.get_children().filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _stored_file_delete(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:  # the original error matters more; this one is logged for clean-up
        logger.exception("Could not delete the stored file %s after a failed upload", name)


@transaction.atomic
def media_delete(*, page: MediaPage) -> None:
    """Delete a submission: its page, its asset and, once the deletion is committed, the
    stored file (and any local renditions)."""
    asset = page.asset
    page.delete()
    if asset is not None:
        asset_stored_files_delete_on_commit(asset)
        asset.delete()


def asset_stored_files_delete_on_commit(asset) -> None:
    """After the transaction commits (never before: a rollback must not lose the file)."""
    names = [(asset.file.storage, asset.file.name)] if asset.file else []
    for rendition in (
        getattr(asset, "renditions", None).all() if hasattr(asset, "renditions") else []
    ):
        if rendition.file:
            names.append((rendition.file.storage, rendition.file.name))
    thumbnail = getattr(asset, "thumbnail", None)
    if thumbnail:
        names.append((thumbnail.storage, thumbnail.name))
    for storage, name in names:
        transaction.on_commit(lambda s=storage, n=name: _stored_file_delete(s, n))
