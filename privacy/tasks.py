"""The daily data retention job (PERIODIC_TASKS in mediahub/settings/tasks.py). The
scheduler enqueues it from the platform (the public schema): it enters every active school
itself, and runs that school's retention there (privacy.services.retention_run)."""

import logging
from dataclasses import asdict
from datetime import datetime

from django_tasks import task
from django_tenants.utils import tenant_context

from tenants.models import School

from .services import RetentionReport, retention_run

logger = logging.getLogger(__name__)


def retention_run_everywhere(*, now: datetime | None = None) -> dict[str, RetentionReport]:
    """Each active school's retention (an inactive school's data is left as it is)."""
    reports = {}
    for school in School.objects.active().order_by("slug"):
        # A sweep over all schools: each school's students live in its own schema.
        with tenant_context(school):
            report = retention_run(now=now)
        reports[school.slug] = report
        logger.info(
            "Data retention in %s: %d student(s) erased (%d page(s), %d file(s)), %d failed.",
            school.slug,
            report.students,
            report.pages,
            report.files,
            report.failed,
        )
    return reports


@task()
def retention_task() -> dict[str, dict]:
    """Every day: erase the students who left their school long enough ago, in every school
    whose setting is on. The counts per school (no names) are the task's result."""
    return {slug: asdict(report) for slug, report in retention_run_everywhere().items()}
