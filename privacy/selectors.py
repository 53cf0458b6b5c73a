"""Reads of the privacy pages: what the school holds of a student (pages and stored files,
what an export holds and an erasure removes), and the school's data retention: who is due
(`retention_due`), and the preview of the next run.

A student is due when the school's setting is on (N months), their account is inactive and
it was deactivated (`left_at`, accounts) N calendar months ago or more, counted in the
platform's time zone (TIME_ZONE): left on 15 January at 17:00, due from 15 July at 17:00
with 6 months. From the 31st, one month on is the first of the month after next (31
January: 1 March), never earlier. Anything else (active, no date, another role, the
setting off) is never due."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.models import Page, Site

from accounts.permissions import users_with_role
from accounts.roles import STUDENT
from media_library.models import MediaPage, asset_models
from media_library.selectors import media_page_assets

from .models import RetentionSettings

# The periodic job that runs retention (privacy.tasks; mediahub/settings/tasks.py schedules
# it). Named here, not imported: the task's module imports the services, which import this.
RETENTION_TASK = "privacy.tasks.retention_task"


def student_assets(student, pages) -> tuple[list, dict]:
    """Every asset the student uploaded, and every asset their pages use, once each; and the
    page each asset belongs to, keyed (model, pk)."""
    assets, page_of = {}, {}
    for model in asset_models().values():
        for asset in model.objects.filter(uploaded_by_user=student):
            assets[(model, asset.pk)] = asset
    for page in pages:
        if not isinstance(page, MediaPage):
            continue
        for asset in media_page_assets(page=page):
            assets.setdefault((type(asset), asset.pk), asset)
            page_of[(type(asset), asset.pk)] = page
    return list(assets.values()), page_of


def student_pages(student) -> list:
    return list(Page.objects.filter(owner=student).specific().order_by("pk"))


# --- Retention ---------------------------------------------------------------------------------
def retention_settings() -> RetentionSettings:
    """The current school's setting (each school's schema has its own Site); off without one."""
    site = Site.objects.filter(is_default_site=True).first()
    return RetentionSettings.for_site(site) if site else RetentionSettings()


def months_before(moment: datetime, months: int) -> datetime:
    """`moment` `months` calendar months earlier, on the wall clock of the time zone: the
    same day and time, or the month's last day when it is shorter (31 March → 28 February)."""
    local = timezone.localtime(moment)
    index = local.year * 12 + local.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def retention_due(*, school_settings: RetentionSettings, now: datetime) -> QuerySet:
    """The students the school's retention erases at `now` (module docstring); none while
    the setting is off."""
    if not school_settings.enabled:
        return get_user_model().objects.none()
    cutoff = months_before(now, school_settings.remove_after_months)
    return users_with_role(STUDENT).filter(
        is_active=False, left_at__isnull=False, left_at__lte=cutoff
    )


@dataclass(frozen=True)
class NextRun:
    at: datetime | None  # None: not known (the job has not run since results were kept)
    waiting: bool = False  # enqueued: it runs as soon as a worker takes it
    scheduled: bool = True  # False: the platform does not schedule the job


def retention_next_run(*, now: datetime) -> NextRun:
    """When the daily job next runs, from its last run in the queue (the public schema's):
    the scheduler enqueues it when it starts, then every PERIODIC_TASKS interval."""
    every = settings.PERIODIC_TASKS.get(RETENTION_TASK)
    if not every:
        return NextRun(at=None, scheduled=False)
    with schema_context(get_public_schema_name()):
        last = (
            DBTaskResult.objects.filter(task_path=RETENTION_TASK).order_by("-enqueued_at").first()
        )
    if last is None:
        return NextRun(at=None)
    if last.status == TaskResultStatus.READY:
        return NextRun(at=now, waiting=True)
    return NextRun(at=max(now, last.enqueued_at + timedelta(seconds=every)))


@dataclass(frozen=True)
class DueStudent:
    student: object
    pages: int
    files: int


@dataclass(frozen=True)
class RetentionPreview:
    school_settings: RetentionSettings
    next_run: NextRun
    at: datetime  # the moment the preview is of: the next run's, or now when not known
    students: list[DueStudent]
    undated: int  # inactive students without a leaving date: never removed

    @property
    def pages(self) -> int:
        return sum(due.pages for due in self.students)

    @property
    def files(self) -> int:
        return sum(due.files for due in self.students)


def retention_preview(*, now: datetime) -> RetentionPreview:
    """Who the next run erases, with how many pages and files each (what the erasure counts),
    as things stand: someone reactivated or deactivated meanwhile changes it."""
    school_settings = retention_settings()
    next_run = retention_next_run(now=now)
    at = next_run.at or now
    due = retention_due(school_settings=school_settings, now=at).order_by("left_at", "pk")
    students = []
    for student in due:
        pages = student_pages(student)
        assets, _page_of = student_assets(student, pages)
        students.append(DueStudent(student=student, pages=len(pages), files=len(assets)))
    undated = users_with_role(STUDENT).filter(is_active=False, left_at__isnull=True).count()
    return RetentionPreview(
        school_settings=school_settings,
        next_run=next_run,
        at=at,
        students=students,
        undated=undated,
    )
