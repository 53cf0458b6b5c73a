"""Background work on stored videos and recordings: posters and durations (posters.py), made
on the worker after an upload is stored, and a sweep for those still without them."""

from __future__ import annotations

import logging

from django_tasks import task
from django_tenants.utils import schema_context, tenant_context

from tenants.models import School

from .models import SchoolMedia
from .posters import media_describe, media_describe_missing

logger = logging.getLogger(__name__)


@task()
def media_describe_task(*, schema_name: str, media_id: int) -> dict:
    """Make the poster and read the duration of the school's media `media_id` (posters.py):
    the upload enqueues it once the file is stored (services.media_describe_enqueue). The
    school is named, not guessed: the worker runs the task there anyway, and this holds when
    anything else runs it. Gone (deleted meanwhile): nothing to do."""
    with schema_context(schema_name):
        media = SchoolMedia.objects.filter(pk=media_id).first()
        if media is None:
            return {"media": media_id, "found": False}
        media = media_describe(media=media)
        return {
            "media": media_id,
            "found": True,
            "poster": bool(media.thumbnail),
            "duration": media.duration,
        }


def media_describe_everywhere(*, slug: str | None = None) -> dict[str, int]:
    """posters.media_describe_missing in each active school (or the one of `slug`): how
    many media each looked at."""
    schools = School.objects.active().order_by("slug")
    if slug:
        schools = schools.filter(slug=slug)
    counts = {}
    for school in schools:
        with tenant_context(school):  # a sweep over the schools: each one's media
            counts[school.slug] = media_describe_missing()
        if counts[school.slug]:
            logger.info("Posters and durations in %s: %d media", school.slug, counts[school.slug])
    return counts


@task()
def media_describe_sweep_task() -> dict[str, int]:
    """Periodically: posters and durations for the media that lack them, in every school
    (those of an upload whose task failed for good, or from before posters were made)."""
    return media_describe_everywhere()
