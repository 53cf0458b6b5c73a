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
from django.core.files.base import ContentFile, File
from django.db import connection, transaction
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image
from wagtail.log_actions import LogContext
from wagtail.models import TaskState, WorkflowState

from classrooms.forms import ERROR_COMMENT_REQUIRED
from classrooms.permissions import can_manage_classroom
from core.pages import unique_child_slug
from core.tasks import enqueue_on_commit

from .consent_rules import MESSAGE_APPROVED_CAPPED, visibility_check
from .file_checks import media_file_check, media_file_strip  # noqa: F401 (callers import them here)
from .metadata import photo_strip_location
from .models import ASSET_FIELD, MediaPage, SchoolDocument, SchoolImage, SchoolMedia, Visibility
from .notifications import guardians_notify
from .permissions import can_upload_to, work_change_refusal
from .selectors import media_page_assets, media_page_classroom
from .storage import CloudinaryStorage
from .tasks import media_describe_task

logger = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024

ERROR_NOT_YOUR_CLASS = _("You can only upload to a class you are in.")
ERROR_TITLE_REQUIRED = _("Give your work a title.")


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
    """Check the file from its bytes, strip location data (media_file_check), store it in the
    class's collection and create the student's MediaPage under the class page, as a draft.
    Raises ValidationError (nothing stored) for a refused file, PermissionDenied for a class
    the person may not upload to."""
    title = _upload_allowed(
        uploaded_by=uploaded_by, classroom=classroom, title=title, visibility=visibility
    )
    try:
        info = media_file_check(file=file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    name = f"{slugify(title)[:40] or info.kind}.{info.extension}"
    asset = _asset_build(
        info=info, file=file, name=name, title=title, classroom=classroom, uploaded_by=uploaded_by
    )
    stored = None
    try:
        with transaction.atomic():
            asset.save()  # stores the file
            stored = (asset.file.storage, asset.file.name)
            media_describe_enqueue(asset=asset)
            page = _media_page_create(
                asset=asset,
                kind=info.kind,
                classroom=classroom,
                uploaded_by=uploaded_by,
                title=title,
                description=description,
                tags=tags,
                visibility=visibility,
            )
    except Exception:
        if stored:
            _stored_file_delete(*stored)
        raise
    return page


def media_describe_enqueue(*, asset) -> None:
    """For a stored video or recording, its poster and duration made on the worker once this
    transaction commits (tasks.media_describe_task), in this school. Other assets, and files
    on Cloudinary (which makes its own posters): nothing."""
    if isinstance(asset, SchoolMedia) and not isinstance(asset.file.storage, CloudinaryStorage):
        enqueue_on_commit(
            media_describe_task, schema_name=connection.schema_name, media_id=asset.pk
        )


@transaction.atomic
def media_upload_stored(
    *,
    classroom,
    uploaded_by,
    asset: SchoolMedia,
    kind: str,
    title: str,
    description: str = "",
    tags: list[str] | tuple[str, ...] = (),
    visibility: str = Visibility.CLASS,
) -> MediaPage:
    """The work for a file already stored and checked elsewhere (a browser's upload straight
    to Cloudinary: media_library.direct_uploads): the same checks of who and what as
    media_upload, the same page and the same moderation. `asset` is unsaved; its file is
    not ours to delete here: the caller destroys it when this raises."""
    title = _upload_allowed(
        uploaded_by=uploaded_by, classroom=classroom, title=title, visibility=visibility
    )
    asset.save()
    return _media_page_create(
        asset=asset,
        kind=kind,
        classroom=classroom,
        uploaded_by=uploaded_by,
        title=title,
        description=description,
        tags=tags,
        visibility=visibility,
    )


def _upload_allowed(*, uploaded_by, classroom, title: str, visibility: str) -> str:
    """Who may upload to the class, with what title and visibility: the same checks for every
    way a work is made (media_upload, media_upload_stored). Returns the title, stripped."""
    if not can_upload_to(uploaded_by, classroom):
        raise PermissionDenied(ERROR_NOT_YOUR_CLASS)
    title = title.strip()
    if not title:
        raise ValidationError({"title": [ERROR_TITLE_REQUIRED]})
    visibility_check(uploaded_by, visibility)
    return title


def _media_page_create(
    *, asset, kind, classroom, uploaded_by, title, description, tags, visibility
) -> MediaPage:
    """The student's draft MediaPage for a saved asset, under the class page, on its way
    through the class's moderation (media_submit)."""
    page = MediaPage(
        title=title,
        slug=unique_child_slug(classroom.page, title, fallback="media", max_length=50),
        kind=kind,
        description=description.strip(),
        visibility=visibility,
        owner=uploaded_by,
        live=False,
        **{ASSET_FIELD[kind]: asset},
    )
    page.tags.set(list(tags))  # in memory until the page is saved, with it
    _child_add(classroom.page, page)
    page.save_revision(user=uploaded_by)
    media_submit(page=page, classroom=classroom, user=uploaded_by)
    return page


ERROR_NOT_YOURS = _("You can only change your own work.")
ERROR_KIND_CHANGED = _("Replace a {old} with another {old}: upload new work for a different kind.")


def media_update(
    *,
    page: MediaPage,
    user,
    title: str,
    description: str,
    tags: list[str] | tuple[str, ...],
    visibility: str,
    file=None,
) -> MediaPage:
    """Change a submission's text, tags or visibility, or replace its file. The change is a
    new revision, and is not published: published work stays live as it was approved, and
    the change goes back for approval through the class's workflow (media_submit). Raises
    PermissionDenied, changing nothing, for someone else's work, and for work of a class its
    owner has left or that is archived (permissions.work_change_refusal)."""
    if page.owner_id != user.pk:
        raise PermissionDenied(ERROR_NOT_YOURS)
    classroom = media_page_classroom(page)
    refusal = work_change_refusal(user, classroom)
    if refusal is not None:
        raise PermissionDenied(refusal)
    title = title.strip()
    if not title:
        raise ValidationError({"title": [ERROR_TITLE_REQUIRED]})
    visibility_check(page.owner, visibility)
    new_asset = None
    if file is not None:
        try:
            info = media_file_check(file=file)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        if ASSET_FIELD[info.kind] != ASSET_FIELD[page.kind]:
            raise ValidationError(
                {"file": [ERROR_KIND_CHANGED.format(old=page.get_kind_display().lower())]}
            )
        new_asset = _asset_build(
            info=info,
            file=file,
            name=f"{slugify(title)[:40] or info.kind}.{info.extension}",
            title=title,
            classroom=classroom,
            uploaded_by=user,
        )
    stored = None
    try:
        with transaction.atomic():
            draft = page.get_latest_revision_as_object()
            replaced = draft.asset if new_asset is not None else None
            if new_asset is not None:
                new_asset.save()
                stored = (new_asset.file.storage, new_asset.file.name)
                media_describe_enqueue(asset=new_asset)
                setattr(draft, ASSET_FIELD[page.kind], new_asset)
                draft.kind = info.kind
            draft.title = title
            draft.description = description.strip()
            draft.visibility = visibility
            draft.tags.set(list(tags))
            if not page.live:
                draft.save()  # a draft's own row shows in My media
            draft.save_revision(user=user)
            media_submit(page=page, classroom=classroom, user=user)
            if replaced is not None and not page.live:
                # Nothing published uses the old file: its row goes, and Wagtail's handlers
                # remove the stored file once this commits.
                replaced.delete()
    except Exception:
        if stored:
            _stored_file_delete(*stored)
        raise
    return MediaPage.objects.get(pk=page.pk)


def media_submit(*, page: MediaPage, classroom, user) -> None:
    """Send the latest revision on its way: published at once in a trusted class, and when
    its own teachers (or a school admin) post it ("moderate students only"); otherwise to
    the class's teachers (a new submission starts the workflow, a revision after
    "request changes" resumes it, one already awaiting review simply replaces what they see)."""
    # Wagtail logs a workflow's resume and cancel with the active log context's user only
    # (the admin sets one, the front end does not): without this, the audit log would
    # not say who resubmitted.
    with LogContext(user=user):
        _media_submit(page=page, classroom=classroom, user=user)


def _media_submit(*, page: MediaPage, classroom, user) -> None:
    state = page.current_workflow_state
    if classroom.is_trusted or can_manage_classroom(user, classroom):
        if state is not None:
            state.cancel(user=user)
        # The class's trust (or the poster's role) is the permission: students have no
        # publish right of their own.
        page.get_latest_revision().publish(user=user, skip_permission_checks=True)
        page.refresh_from_db()  # the revision published its own copy of the page
        enqueue_on_commit(guardians_notify, page_id=page.pk)
    elif state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=user)
    elif state is None:
        workflow = page.get_workflow()
        if workflow is not None:
            workflow.start(page, user)


def _asset_build(*, info, file, name: str, title: str, classroom, uploaded_by):
    """The unsaved asset for an accepted upload. Photos (at most MEDIA_MAX_IMAGE_MB) are
    rewritten in memory without their location; every other file (videos and recordings
    already without theirs: media_file_check) is streamed to storage from where the upload
    already is (a temporary file, past FILE_UPLOAD_MAX_MEMORY_SIZE), never read whole: a
    500 MB video must not cost 500 MB of the app server's memory."""
    common = {"title": title, "collection": classroom.collection, "uploaded_by_user": uploaded_by}
    if info.kind == "image":
        data = photo_strip_location(file).read()
        with Image.open(io.BytesIO(data)) as img:  # header only: the stripped photo's size
            width, height = img.size
        return SchoolImage(
            **common,
            file=ContentFile(data, name=name),
            width=width,
            height=height,
            file_size=len(data),
            file_hash=hashlib.sha1(data).hexdigest(),  # noqa: S324 (Wagtail's duplicate check)
        )
    file.seek(0)
    # A File of our own around the upload: storage copies it in chunks under the new name.
    stream = File(file, name=name)
    if info.kind == "document":
        return SchoolDocument(
            **common,
            file=stream,
            file_size=info.size,
            file_hash=_sha1_of(file),
        )
    return SchoolMedia(**common, file=stream, type=info.kind, duration=info.duration or 0)


def _sha1_of(file) -> str:
    digest = hashlib.sha1()  # noqa: S324 (Wagtail's duplicate check, not security)
    file.seek(0)
    for chunk in iter(lambda: file.read(CHUNK_BYTES), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _child_add(parent, page: MediaPage) -> None:
    """Add the page under its class page. Two uploads with the same title at the same moment
    can pick the same free slug; the second then gets a random suffix instead of an error
    (found by the load test: bench/load.py)."""
    for attempt in range(SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                parent.add_child(instance=page)
            return
        except ValidationError as error:
            if "slug" not in getattr(error, "error_dict", {}) or attempt == SLUG_ATTEMPTS - 1:
                raise
            page.slug = f"{page.slug[:43]}-{get_random_string(6, SLUG_CHARS)}"


SLUG_ATTEMPTS = 3
SLUG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


def _stored_file_delete(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:  # the original error matters more; this one is logged for clean-up
        logger.exception("Could not delete the stored file %s after a failed upload", name)


@transaction.atomic
def media_delete(*, page: MediaPage, user=None) -> None:
    """Delete a submission: its page and its asset. The stored file (and any renditions)
    goes once the deletion commits: Wagtail's and wagtailmedia's post_delete handlers do it
    for every asset deleted anywhere, the Wagtail admin included. `user` is who deleted it,
    for the audit log ("wagtail.delete")."""
    assets = media_page_assets(page=page)
    # Who may delete was decided by the caller (the owner, or a school admin in the admin);
    # Wagtail's own page permissions would refuse students, who have none in the admin.
    page.delete(user=user, skip_permission_checks=True)
    for asset in assets:
        asset.delete()


ERROR_REVIEW_DONE = _("This work is no longer awaiting review: someone has already decided on it.")
REVIEW_DONE = "review_done"  # the error's code: callers branch on it, not on its text
ERROR_REVIEW_DECISION = _("Choose Approve or Request changes.")
APPROVE = "approve"
REQUEST_CHANGES = "reject"  # Wagtail's name for the action


def media_review(*, page: MediaPage, user, decision: str, comment: str = "") -> str | None:
    """A teacher's decision on a submission awaiting review: approve (publishes it) or
    request changes (the comment, required, is what the student sees). The student is
    emailed either way (media_library.notifications). Raises PermissionDenied for someone who may
    not review it, ValidationError when the decision cannot stand. Returns what the teacher
    should be told beyond the decision: approved work published narrower than asked for
    want of consent (media_library.consent), else None."""
    comment = comment.strip()
    if decision not in (APPROVE, REQUEST_CHANGES):
        raise ValidationError({"decision": [ERROR_REVIEW_DECISION]})
    if decision == REQUEST_CHANGES and not comment:
        raise ValidationError({"comment": [ERROR_COMMENT_REQUIRED]})
    with transaction.atomic():
        state = page.current_workflow_state
        task_state = state.current_task_state if state is not None else None
        # Two teachers deciding at once: the second waits here, then finds it decided.
        task_state = (
            TaskState.objects.select_for_update().filter(pk=task_state.pk).first()
            if task_state is not None
            else None
        )
        if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
            raise ValidationError(ERROR_REVIEW_DONE, code=REVIEW_DONE)
        task = task_state.task.specific
        if decision not in {name for name, _label, _modal in task.get_actions(page, user)}:
            raise PermissionDenied("You do not review this class's work.")
        asked = page.get_latest_revision_as_object().visibility
        task.on_action(task_state, user, decision, comment=comment)
    page.refresh_from_db()
    if decision == APPROVE and page.live and page.visibility != asked:
        return MESSAGE_APPROVED_CAPPED.format(audience=page.get_visibility_display().lower())
    return None
