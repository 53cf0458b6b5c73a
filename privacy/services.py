"""Privacy operations a school admin runs for a student: export everything the school holds
about them, and erase them.

- `student_export`: a zip with every stored file of theirs (the original of each asset they
  uploaded or that one of their pages uses, read back from storage, local or Cloudinary) and
  `records.json` (account without password, enrolments, pages with their revisions,
  moderation decisions and comments, invitations, the consent ledger's records, their own
  log entries).
- `student_erase`: the account and everything that points at it: pages (with revisions,
  workflow states, comments), assets, renditions and their stored files, sessions, failed
  sign-in rows (django-axes), invitations, the avatar and temporary uploads. The consent
  ledger's records stay, as the school's proof, with no link to the person (their student
  field is emptied; `student_ref` is the former account id, which names no one).
- `retention_run`: the school's data retention, every day (privacy.tasks): the same erasure
  for each student who left the school long enough ago (privacy.selectors.retention_due).

Both leave an entry in Wagtail's audit log ("mediahub.export", "mediahub.erase") on the
User content type, by the school admin. Log entries have no foreign key to what they are
about, so the erase entry outlives the account; it is labelled "Student #<id>" (no name), so
that it keeps nothing of the person. What the log held about the erased student goes with
them: entries about their pages and assets (titles, teachers' comments) are deleted, entries
about their account are relabelled the same way, and entries they made keep no user.
"""

from __future__ import annotations

import json
import logging
import posixpath
import shutil
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from datetime import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import Comment, ModelLogEntry, Page, PageLogEntry, TaskState, UploadedFile

from accounts.roles import STUDENT
from accounts.services import user_role_get
from families.consent import consent_records_export
from invitations.models import Invitation
from media_library.models import MediaPage
from media_library.selectors import media_page_status
from media_library.services import media_delete

from .selectors import retention_due, retention_settings, student_assets, student_pages

ERROR_NOT_A_STUDENT = _("Only students' data is exported or erased here.")
ERROR_CONFIRMATION = _("Type the student's username or email exactly as shown to confirm.")
EXPORT_ACTION = "mediahub.export"
ERASE_ACTION = "mediahub.erase"
RETENTION_ACTION = "mediahub.retention"
SPOOL_BYTES = 8 * 1024 * 1024  # exports bigger than this go to a temporary file on disk

logger = logging.getLogger(__name__)


def student_label(student) -> str:
    """How the audit log names a student: no name or email, so the entry outlives erasure."""
    return f"Student #{student.pk}"


def _check_student(student) -> None:
    if user_role_get(student) != STUDENT:
        raise ValidationError(ERROR_NOT_A_STUDENT)


# --- Export ------------------------------------------------------------------------------------
def student_export(*, student, user):
    """The student's data as a zip (a file object at its start: in memory, or on disk when
    large), read from storage. Logs "mediahub.export" by `user`."""
    _check_student(student)
    pages = student_pages(student)
    assets, page_of = student_assets(student, pages)
    where = {}  # (model, pk) → the file's path in the zip
    # Handed to the caller open (a FileResponse closes it once sent).
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for asset in assets:
            page = page_of.get((type(asset), asset.pk))
            folder = f"{page.pk}-{page.slug}" if page else f"unattached-{slugify(asset.title)}"
            base = f"media/{folder}/"
            path = _zip_add(archive, asset.file, base)
            where[(type(asset), asset.pk)] = path
            thumbnail = getattr(asset, "thumbnail", None)
            if thumbnail:
                _zip_add(archive, thumbnail, base + "thumbnail-")
        avatar = _avatar(student)
        if avatar:
            _zip_add(archive, avatar, "account/")
        records = _records(student, pages, assets, where)
        archive.writestr("records.json", json.dumps(records, cls=DjangoJSONEncoder, indent=2))
    log(instance=student, action=EXPORT_ACTION, user=user, title=student_label(student))
    out.seek(0)
    return out


def _zip_add(archive: zipfile.ZipFile, field_file, prefix: str) -> str:
    name = prefix + posixpath.basename(field_file.name)
    with (
        field_file.storage.open(field_file.name, "rb") as source,
        archive.open(name, "w") as target,
    ):
        shutil.copyfileobj(source, target, length=1024 * 1024)
    return name


def _avatar(student):
    profile = getattr(student, "wagtail_userprofile", None)
    return profile.avatar if profile is not None and profile.avatar else None


def _records(student, pages, assets, where) -> dict:
    groups = list(student.groups.values_list("name", flat=True))
    account = {
        field: getattr(student, field)
        for field in (
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "display_name",
            "date_joined",
            "last_login",
            "is_active",
        )
    }
    account.update(role=user_role_get(student), groups=groups)
    return {
        "school": connection.schema_name,
        "exported_at": timezone.now(),
        "account": account,
        "enrolments": [
            {"class": str(e.classroom), "enrolled_at": e.enrolled_at}
            for e in student.enrolments.select_related("classroom").order_by("enrolled_at")
        ],
        "pages": [_page_record(page, where) for page in pages],
        "files": [
            {
                "path": where[(type(asset), asset.pk)],
                "title": asset.title,
                "type": type(asset)._meta.verbose_name,
                "uploaded_at": asset.created_at,
            }
            for asset in assets
        ],
        "invitations": [
            {"email": i.email, "created": i.created, "status": i.status}
            for i in _invitations(student)
        ],
        "consents": consent_records_export(student),
        "activity": [
            {"action": e.action, "about": e.label, "at": e.timestamp}
            for model in (PageLogEntry, ModelLogEntry)
            for e in model.objects.filter(user_id=student.pk).order_by("timestamp")
        ],
    }


def _page_record(page, where) -> dict:
    record = {
        "id": page.pk,
        "type": page.specific_class._meta.verbose_name,
        "title": page.title,
        "class": page.get_parent().title,
        "live": page.live,
        "first_published_at": page.first_published_at,
        "last_published_at": page.last_published_at,
        "updated_at": page.latest_revision_created_at,
    }
    if isinstance(page, MediaPage):
        status = media_page_status(page)
        record.update(
            description=page.description,
            tags=sorted(tag.name for tag in page.tags.all()),
            kind=page.kind,
            visibility=page.visibility,
            status=status.code,
            file=where.get((type(page.asset), page.asset.pk)) if page.asset else None,
        )
    record["revisions"] = [
        {
            "id": revision.pk,
            "created_at": revision.created_at,
            "by": _name(revision.user),
            "title": revision.content.get("title"),
            "description": revision.content.get("description"),
        }
        for revision in page.revisions.select_related("user").order_by("created_at")
    ]
    record["moderation"] = [
        {
            "task": state.task.name,
            "status": state.status,
            "started_at": state.started_at,
            "finished_at": state.finished_at,
            "by": _name(state.finished_by),
            "comment": state.comment,
            "revision": state.revision_id,
        }
        for state in TaskState.objects.filter(
            workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
            workflow_state__object_id=str(page.pk),
        )
        .select_related("task", "finished_by")
        .order_by("started_at")
    ]
    record["comments"] = [
        {"text": comment.text, "by": _name(comment.user), "at": comment.created_at}
        for comment in Comment.objects.filter(page=page).select_related("user")
    ]
    return record


def _name(user) -> str | None:
    return (user.get_full_name() or user.get_username()) if user else None


def _invitations(student):
    return Invitation.objects.filter(Q(user=student) | Q(email__iexact=student.email))


# --- Erase -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Erasure:
    label: str
    pages: int
    files: int


def erase_confirmation_matches(student, typed: str) -> bool:
    typed = typed.strip().lower()
    return bool(typed) and typed in {student.get_username().lower(), student.email.lower()}


@transaction.atomic
def student_erase(*, student, user, confirmation: str) -> Erasure:
    """Erase a student and everything of theirs (module docstring); stored files go once the
    erasure commits. `confirmation` is what the admin typed: the student's username or email.
    Logs "mediahub.erase" by `user`, labelled without the student's name."""
    _check_student(student)
    if not erase_confirmation_matches(student, confirmation):
        raise ValidationError({"confirmation": [ERROR_CONFIRMATION]})
    return _erase(student, user=user)


def _erase(student, *, user, **log_data) -> Erasure:
    _check_student(student)
    label = student_label(student)
    pages = student_pages(student)
    assets, _page_of = student_assets(student, pages)
    page_ids = [page.pk for page in pages]
    log(
        instance=student,
        action=ERASE_ACTION,
        user=user,
        title=label,
        data={"pages": len(pages), "files": len(assets), **log_data},
    )

    for page in pages:
        if isinstance(page, MediaPage):
            media_delete(page=page, user=user)
        else:
            page.delete(user=user, skip_permission_checks=True)
    for asset in assets:
        # Gone already if its page's deletion took it; otherwise now. Wagtail's and
        # wagtailmedia's handlers delete the stored files (and renditions') on commit.
        type(asset).objects.filter(pk=asset.pk).delete()
    for uploaded in UploadedFile.objects.filter(uploaded_by_user=student):
        _file_delete_on_commit(uploaded.file)
        uploaded.delete()
    avatar = _avatar(student)
    if avatar:
        _file_delete_on_commit(avatar)

    _log_entries_forget(student, page_ids=page_ids, assets=assets, label=label)
    _invitations(student).delete()
    logins = [student.get_username(), student.email]
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(_iexact_any("username", logins)).delete()
    Session.objects.filter(
        session_key__in=[s.session_key for s in Session.objects.all() if _session_of(s, student)]
    ).delete()
    student.delete()
    return Erasure(label=label, pages=len(pages), files=len(assets))


def _iexact_any(field: str, values) -> Q:
    q = Q(pk__in=[])
    for value in values:
        q |= Q(**{f"{field}__iexact": value})
    return q


def _session_of(session: Session, student) -> bool:
    return str(session.get_decoded().get("_auth_user_id")) == str(student.pk)


def _file_delete_on_commit(field_file) -> None:
    storage, name = field_file.storage, field_file.name
    transaction.on_commit(lambda: storage.delete(name))


def _log_entries_forget(student, *, page_ids, assets, label) -> None:
    """What the audit log held about the student (module docstring); the erase entry stays."""
    PageLogEntry.objects.filter(page_id__in=page_ids).delete()
    for asset in assets:
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(asset, for_concrete_model=False),
            object_id=str(asset.pk),
        ).delete()
    about_account = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(get_user_model()),
        object_id=str(student.pk),
    )
    about_account.exclude(action=ERASE_ACTION).update(label=label, data={})
    PageLogEntry.objects.filter(user_id=student.pk).update(user=None)
    ModelLogEntry.objects.filter(user_id=student.pk).update(user=None)


# --- Retention ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class RetentionReport:
    students: int = 0
    pages: int = 0
    files: int = 0
    failed: int = 0


def retention_run(*, now: datetime | None = None) -> RetentionReport:
    """The school's data retention, in the current school: erase each student that
    `retention_due` names (nobody while the setting is off), as `student_erase` does, each
    in a transaction of its own; one that fails is logged (ERROR) and the others go on.
    Logged in the audit log: each erasure ("mediahub.erase", by nobody, with the months),
    and the run, when it erased or failed anyone (RETENTION_ACTION, on the setting)."""
    now = now or timezone.now()
    school_settings = retention_settings()
    due = retention_due(school_settings=school_settings, now=now)
    erased, failed = [], 0
    for pk in list(due.values_list("pk", flat=True)):
        try:
            erasure = _erase_if_due(pk, school_settings=school_settings, now=now)
        except Exception:  # one student's failure must not keep the others' data forever
            logger.exception("Data retention: erasing student #%s failed.", pk)
            failed += 1
            continue
        if erasure is not None:
            erased.append(erasure)
    report = RetentionReport(
        students=len(erased),
        pages=sum(e.pages for e in erased),
        files=sum(e.files for e in erased),
        failed=failed,
    )
    if erased or failed:
        data = {**asdict(report), "months": school_settings.remove_after_months}
        log(instance=school_settings, action=RETENTION_ACTION, user=None, data=data)
    return report


@transaction.atomic
def _erase_if_due(pk: int, *, school_settings, now) -> Erasure | None:
    """Erase the student if they are still due once their row is locked (a school admin
    may have reactivated them since the run began)."""
    get_user_model().objects.select_for_update().filter(pk=pk).first()
    student = retention_due(school_settings=school_settings, now=now).filter(pk=pk).first()
    if student is None:
        return None
    return _erase(student, user=None, retention_months=school_settings.remove_after_months)
