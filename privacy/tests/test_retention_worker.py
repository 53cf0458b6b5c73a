"""The retention job run by the real worker (`manage.py db_worker`, a process of its own):
enqueued from the platform, as the scheduler does, it enters the school and erases the
student who left long enough ago. What it needs is committed (the worker sees nothing else),
then removed, leaving the demo as seeded."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry, Site

from accounts.models import User
from accounts.roles import STUDENT
from accounts.services import user_build, user_save
from accounts.tests.factories import PASSWORD
from conftest import run_committed, run_worker
from privacy.models import RetentionMonths, RetentionSettings
from privacy.services import ERASE_ACTION
from privacy.tasks import retention_task

pytestmark = pytest.mark.django_db
EMAIL = "leaver@greenwood.test"


@pytest.fixture
def leaver(task_queue, greenwood):
    """A student of Greenwood who left 13 months ago, the school's retention at 12 months,
    and the job enqueued from the platform: all committed; then undone, with the audit log's
    entries about them."""
    made = {}

    def make():
        with schema_context(greenwood.schema_name):
            student = user_save(
                user=user_build(email=EMAIL, first_name="Lee", last_name="Ver"),
                password=PASSWORD,
                role=STUDENT,
            )
            made["pk"] = student.pk
            User.objects.filter(pk=student.pk).update(
                is_active=False, left_at=timezone.now() - timedelta(days=400)
            )
            school_settings = RetentionSettings.for_site(Site.objects.get(is_default_site=True))
            school_settings.remove_after_months = RetentionMonths.TWELVE
            school_settings.save()
        retention_task.enqueue()

    run_committed(make)
    yield

    def undo():
        with schema_context(greenwood.schema_name):
            User.objects.filter(email=EMAIL).delete()
            RetentionSettings.objects.all().delete()
            ModelLogEntry.objects.filter(
                Q(content_type=ContentType.objects.get_for_model(User), object_id=str(made["pk"]))
                | Q(content_type=ContentType.objects.get_for_model(RetentionSettings))
            ).delete()

    run_committed(undo)


def test_the_worker_runs_the_job_in_every_school(leaver, greenwood):
    result = run_worker()

    assert result.returncode == 0, result.stdout + result.stderr
    [row] = DBTaskResult.objects.filter(task_path=retention_task.module_path)
    assert row.status == "SUCCESSFUL", row.traceback
    assert row.return_value["greenwood"]["students"] == 1
    assert row.return_value["riverside"]["students"] == 0
    with schema_context(greenwood.schema_name):
        assert not User.objects.filter(email=EMAIL).exists()
        assert ModelLogEntry.objects.filter(action=ERASE_ACTION).count() == 1
