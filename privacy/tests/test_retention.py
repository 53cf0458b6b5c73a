"""Data retention: a school that turns it on has the students who left N calendar months ago
or more (their account deactivated then) erased by a daily job, with the existing erasure;
the boundary is counted on the school's clock; nobody else is ever touched (active, no
leaving date, not a student, left too recently, the setting off, another school); the
preview names exactly whom the next run erases."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry, Page, Site

from accounts.models import User
from accounts.permissions import users_with_role
from accounts.roles import SCHOOL_ADMIN
from accounts.services import users_active_set
from conftest import client_as, user_named
from core.scheduler import jobs_from
from media_library.models import SchoolImage
from privacy import services as privacy_services
from privacy.models import RetentionMonths, RetentionSettings
from privacy.selectors import (
    RETENTION_TASK,
    months_before,
    retention_due,
    retention_next_run,
    retention_preview,
)
from privacy.services import ERASE_ACTION, RETENTION_ACTION, retention_run
from privacy.tasks import retention_task
from tenants.models import School

pytestmark = pytest.mark.django_db

NAIROBI = ZoneInfo("Africa/Nairobi")  # the platform's TIME_ZONE: UTC+3, no summer time
LONDON = ZoneInfo("Europe/London")


def _setting(months: int) -> RetentionSettings:
    """The current school's retention, set to `months` (0: off)."""
    school_settings = RetentionSettings.for_site(Site.objects.get(is_default_site=True))
    school_settings.remove_after_months = months
    school_settings.save()
    return school_settings


def _left(username: str, when: datetime) -> User:
    """The person, deactivated by the school admin at `when` (in the current school)."""
    person = user_named(username)
    users_active_set(users=[person], active=False, by=_admin(), now=when)
    return User.objects.get(pk=person.pk)


def _admin() -> User:
    return users_with_role(SCHOOL_ADMIN).get()


def _due_names(school_settings, now) -> set[str]:
    return set(
        retention_due(school_settings=school_settings, now=now).values_list("username", flat=True)
    )


# --- Who is due --------------------------------------------------------------------------------
def test_months_before_counts_calendar_months_on_the_schools_clock():
    assert months_before(datetime(2026, 7, 15, 17, tzinfo=NAIROBI), 6) == datetime(
        2026, 1, 15, 17, tzinfo=NAIROBI
    )
    # A shorter month: its last day. Across a year.
    assert months_before(datetime(2026, 3, 31, 8, tzinfo=NAIROBI), 1) == datetime(
        2026, 2, 28, 8, tzinfo=NAIROBI
    )
    assert months_before(datetime(2026, 2, 10, tzinfo=NAIROBI), 24) == datetime(
        2024, 2, 10, tzinfo=NAIROBI
    )
    # 21:00 UTC on 28 February is already 1 March in Nairobi.
    assert months_before(datetime(2026, 2, 28, 21, tzinfo=UTC), 6) == datetime(
        2025, 9, 1, tzinfo=NAIROBI
    )


def test_due_from_exactly_n_months_after_leaving(school):
    six = _setting(RetentionMonths.SIX)
    left = datetime(2026, 1, 15, 17, tzinfo=NAIROBI)
    _left("amina", left)
    _left("brian", left + timedelta(microseconds=1))
    now = datetime(2026, 7, 15, 17, tzinfo=NAIROBI)
    assert _due_names(six, now) == {"amina"}
    assert _due_names(six, now - timedelta(microseconds=1)) == set()
    assert _due_names(six, now + timedelta(microseconds=1)) == {"amina", "brian"}


def test_due_on_the_schools_calendar_not_utcs(school):
    """Left on 31 August (Nairobi), 6 months: due once 1 March has begun in Nairobi, which is
    21:00 UTC on 28 February; counted in UTC it would wait until 1 March, 07:00 UTC."""
    six = _setting(RetentionMonths.SIX)
    _left("amina", datetime(2025, 8, 31, 10, tzinfo=NAIROBI))
    assert _due_names(six, datetime(2026, 2, 28, 20, 59, 59, tzinfo=UTC)) == set()
    assert _due_names(six, datetime(2026, 2, 28, 21, tzinfo=UTC)) == {"amina"}


def test_due_across_summer_time(school, settings):
    """In a time zone with summer time, N months on is the same wall-clock time: left at
    noon in January (12:00 UTC), due at noon in July (11:00 UTC)."""
    settings.TIME_ZONE = "Europe/London"
    six = _setting(RetentionMonths.SIX)
    _left("amina", datetime(2026, 1, 15, 12, tzinfo=LONDON))
    assert _due_names(six, datetime(2026, 7, 15, 10, 59, 59, tzinfo=UTC)) == set()
    assert _due_names(six, datetime(2026, 7, 15, 11, tzinfo=UTC)) == {"amina"}


def test_nobody_else_is_ever_due(school):
    twelve = _setting(RetentionMonths.TWELVE)
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    _left("amina", long_ago)
    # Active, with a date left over (never through the services, but a row may say so).
    User.objects.filter(username="brian").update(left_at=long_ago)
    # Inactive without a date (deactivated before dates were kept).
    User.objects.filter(username="cynthia").update(is_active=False)
    # A teacher who left.
    _left("grace", long_ago)
    # Left, then came back.
    _left("david", long_ago)
    users_active_set(users=[user_named("david")], active=True, by=_admin())
    assert _due_names(twelve, now) == {"amina"}
    assert _due_names(_setting(RetentionMonths.OFF), now) == set()
    assert _due_names(RetentionSettings(), now) == set()  # the default: off


# --- The run, the job and the preview ----------------------------------------------------------
def _ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


def _usernames(school) -> set[str]:
    with schema_context(school.schema_name):
        return set(User.objects.values_list("username", flat=True))


def test_the_job_erases_only_the_due_students_of_the_schools_that_turned_it_on(
    greenwood, riverside
):
    with schema_context(greenwood.schema_name):
        _setting(RetentionMonths.TWELVE)
        _left("david", _ago(400))  # due
        _left("amina", _ago(300))  # left, not long enough ago
        david_pages = list(
            Page.objects.filter(owner__username="david").values_list("pk", flat=True)
        )
        david_images = list(
            SchoolImage.objects.filter(uploaded_by_user__username="david").values_list(
                "pk", flat=True
            )
        )
        assert david_pages and david_images
    with schema_context(riverside.schema_name):
        _left("hassan", _ago(4000))  # would be due, but Riverside keeps its setting off
    greenwood_people, riverside_people = _usernames(greenwood), _usernames(riverside)

    # As the scheduler does: enqueued from the platform (the tests run tasks at once).
    result = retention_task.enqueue()

    assert result.return_value["greenwood"] == {
        "students": 1,
        "pages": len(david_pages),
        "files": len(david_images),
        "failed": 0,
    }
    assert result.return_value["riverside"]["students"] == 0
    assert _usernames(greenwood) == greenwood_people - {"david"}
    assert _usernames(riverside) == riverside_people
    with schema_context(greenwood.schema_name):
        assert not Page.objects.filter(pk__in=david_pages).exists()
        assert not SchoolImage.objects.filter(pk__in=david_images).exists()
        erased = ModelLogEntry.objects.get(action=ERASE_ACTION)
        assert erased.user is None and erased.data["retention_months"] == 12
        assert "david" not in erased.label.lower()
        run = ModelLogEntry.objects.get(action=RETENTION_ACTION)
        assert run.data == {**result.return_value["greenwood"], "months": 12}
    with schema_context(riverside.schema_name):
        assert not ModelLogEntry.objects.filter(action__in=[ERASE_ACTION, RETENTION_ACTION])


def test_an_inactive_school_is_left_as_it_is(greenwood):
    with schema_context(greenwood.schema_name):
        _setting(RetentionMonths.SIX)
        _left("david", _ago(400))
    School.objects.filter(pk=greenwood.pk).update(is_active=False)
    result = retention_task.enqueue()
    assert "greenwood" not in result.return_value
    assert "david" in _usernames(greenwood)


def test_the_setting_off_removes_nothing(school):
    _left("david", _ago(4000))
    assert RetentionSettings.for_site(Site.objects.get(is_default_site=True)).enabled is False
    people = _usernames(school)
    report = retention_run()
    assert (report.students, report.pages, report.files) == (0, 0, 0)
    assert _usernames(school) == people
    assert not ModelLogEntry.objects.filter(action__in=[ERASE_ACTION, RETENTION_ACTION])


def test_the_preview_names_exactly_whom_the_run_erases(school):
    _setting(RetentionMonths.TWELVE)
    now = timezone.now()
    _left("david", now - timedelta(days=800))
    _left("cynthia", now - timedelta(days=380))
    _left("amina", now - timedelta(days=330))
    User.objects.filter(username="brian").update(is_active=False)  # no date: never

    preview = retention_preview(now=now)
    assert preview.next_run.at is None  # the job has never run here: as of now
    assert [due.student.username for due in preview.students] == ["david", "cynthia"]
    assert preview.undated == 1
    david = preview.students[0]
    assert david.pages == Page.objects.filter(owner__username="david").count() == 1
    assert david.files == SchoolImage.objects.filter(uploaded_by_user__username="david").count()

    people = _usernames(school)
    report = retention_run(now=now)
    assert (report.students, report.pages, report.files) == (2, preview.pages, preview.files)
    assert _usernames(school) == people - {"david", "cynthia"}


def test_the_preview_page_is_for_school_admins(greenwood):
    with schema_context(greenwood.schema_name):
        _setting(RetentionMonths.TWENTY_FOUR)
        _left("david", _ago(800))
        _left("amina", _ago(30))
    url = "/admin/privacy/retention/"
    page = client_as(greenwood, "admin@greenwood.test").get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "erased 24 months after they left" in text
    assert "The next run erases 1 student: 1 page of work" in text
    assert "David Mwangi" in text and "Amina" not in text
    assert client_as(greenwood, "grace").get(url).status_code == 302  # no permission
    assert client_as(greenwood, "amina").get(url).status_code == 302


def test_school_admins_change_the_setting(greenwood):
    client = client_as(greenwood, "admin@greenwood.test")
    edit = client.get("/admin/settings/privacy/retentionsettings/", follow=True)
    assert edit.status_code == 200
    response = client.post(edit.redirect_chain[-1][0], {"remove_after_months": "36"})
    assert response.status_code == 302
    with schema_context(greenwood.schema_name):
        assert retention_preview(now=timezone.now()).school_settings.remove_after_months == 36
    assert "Off:" not in client.get("/admin/privacy/retention/").content.decode()
    teacher = client_as(greenwood, "grace").get("/admin/settings/privacy/retentionsettings/")
    assert teacher.status_code == 302


def test_the_job_is_scheduled_daily_and_the_next_run_follows_the_last(
    greenwood, settings, task_queue
):
    assert retention_task.module_path == RETENTION_TASK
    assert settings.PERIODIC_TASKS[RETENTION_TASK] == 86400
    assert any(job.task is retention_task for job in jobs_from(settings.PERIODIC_TASKS))

    now = timezone.now()
    retention_task.enqueue()  # from the platform, as the scheduler does: waiting in the queue
    assert retention_next_run(now=now).waiting
    ran = now - timedelta(hours=5)
    DBTaskResult.objects.filter(task_path=RETENTION_TASK).update(
        status=TaskResultStatus.SUCCESSFUL, enqueued_at=ran
    )
    with schema_context(greenwood.schema_name):  # read from a school, as the preview does
        next_run = retention_next_run(now=now)
    assert next_run.at == ran + timedelta(days=1) and not next_run.waiting
    settings.PERIODIC_TASKS = {}
    assert not retention_next_run(now=now).scheduled


def test_one_students_failure_does_not_stop_the_others(school, monkeypatch):
    _setting(RetentionMonths.TWELVE)
    _left("david", _ago(800))
    _left("cynthia", _ago(800))
    forget = privacy_services._log_entries_forget

    def failing_for_cynthia(student, **kwargs):
        if student.username == "cynthia":
            raise RuntimeError("storage unreachable")
        return forget(student, **kwargs)

    monkeypatch.setattr(privacy_services, "_log_entries_forget", failing_for_cynthia)
    report = retention_run()
    assert (report.students, report.failed) == (1, 1)
    names = _usernames(school)
    assert "david" not in names and "cynthia" in names  # her erasure rolled back whole
    assert ModelLogEntry.objects.get(action=RETENTION_ACTION).data["failed"] == 1
    assert ModelLogEntry.objects.filter(action=ERASE_ACTION).count() == 1
