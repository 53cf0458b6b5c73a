"""The real worker (`manage.py db_worker`, a process of its own on the test database) makes a
video's poster once its upload commits, in the school it was uploaded to, and reads the
duration. The upload is committed (run_committed) so that the worker sees it, and removed
afterwards, leaving the demo as seeded."""

import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import schema_context
from PIL import Image

from classrooms.models import Classroom
from conftest import run_committed, run_worker, user_named
from media_library import services
from media_library.models import MediaPage, SchoolMedia
from media_library.tests import av_samples, samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def title():
    title = f"Clip {uuid.uuid4().hex[:8]}"
    yield title

    def delete():
        with schema_context("greenwood"):
            for page in MediaPage.objects.filter(title=title):
                media = page.media
                page.delete()
                media.delete()
        DBTaskResult.objects.all().delete()

    run_committed(delete)


def test_the_worker_makes_the_poster_of_an_uploaded_video(task_queue, title):
    holder = {}

    def upload():
        with schema_context("greenwood"):
            holder["page"] = services.media_upload(
                classroom=Classroom.objects.get(name="Art"),
                uploaded_by=user_named("amina"),
                file=samples.uploaded(av_samples.recording("mp4"), "clip.mp4"),
                title=title,
            )

    run_committed(upload)
    media_id = holder["page"].media_id
    queued = DBTaskResult.objects.filter(task_path="media_library.tasks.media_describe_task")
    [row] = [r for r in queued if r.args_kwargs["kwargs"]["media_id"] == media_id]
    assert row.args_kwargs["kwargs"]["schema_name"] == "greenwood"
    with schema_context("greenwood"):
        assert not SchoolMedia.objects.get(pk=media_id).thumbnail  # not in the request

    started = time.monotonic()
    result = run_worker()
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL", result.stdout + result.stderr
    assert row.return_value["poster"] is True

    with schema_context("greenwood"):
        media = SchoolMedia.objects.get(pk=media_id)
    stored = Path(settings.MEDIA_ROOT) / "greenwood" / media.thumbnail.name
    with Image.open(stored) as poster:
        assert poster.format == "JPEG"
    assert media.duration == pytest.approx(1.0, abs=0.1)
    print(f"worker run with the poster task: {elapsed:.1f} s")  # noqa: T201
