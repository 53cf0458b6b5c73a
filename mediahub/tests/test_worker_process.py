"""The real worker (`manage.py db_worker`, a process of its own on the test database) runs
every task in the school it was enqueued from: ours (a submission's email to the teacher)
and Wagtail's (deleting a file from storage, updating the search index). The work is done
on a connection of its own so that it is committed (the worker sees nothing else), and
removed afterwards, leaving the demo as seeded. The Daraja callback confirmed by the worker
is in donations/tests/test_worker_process.py (it needs the Daraja simulator)."""

import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import schema_context

from classrooms.models import Classroom
from conftest import run_committed, run_worker, user_named
from media_library import services
from media_library.models import MediaPage, SchoolImage
from media_library.tests import samples

pytestmark = pytest.mark.django_db
FILE_EMAIL = "django.core.mail.backends.filebased.EmailBackend"


def _worker(**env) -> None:
    result = run_worker(**env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists(), result.stdout


def _queued(schema_name: str) -> set[str]:
    """The paths of the tasks waiting in the queue, enqueued from `schema_name`."""
    return {
        row.task_path
        for row in DBTaskResult.objects.filter(status="READY")
        if row.args_kwargs.get("schema_name") == schema_name
    }


@pytest.fixture
def title():
    title = f"Lake {uuid.uuid4().hex[:8]}"
    yield title

    def delete():
        with schema_context("greenwood"):
            for page in MediaPage.objects.filter(title=title):
                page.delete()
            SchoolImage.objects.filter(title__startswith=title).delete()

    run_committed(delete)


def _image(title: str) -> SchoolImage:
    with schema_context("greenwood"):
        return SchoolImage.objects.create(
            title=title,
            file=ContentFile(samples.png(), name="lake.png"),
            collection=Classroom.objects.get(name="Art").collection,
        )


def test_a_submission_emails_the_teacher_from_the_worker(task_queue, title, tmp_path):
    def submit():
        with schema_context("greenwood"):
            services.media_upload(
                classroom=Classroom.objects.get(name="Art"),
                uploaded_by=user_named("amina"),
                file=samples.uploaded(samples.png(), "lake.png"),
                title=title,
            )

    run_committed(submit)
    assert "media_library.notifications.submission_notify" in _queued("greenwood")

    _worker(EMAIL_BACKEND=FILE_EMAIL, EMAIL_FILE_PATH=str(tmp_path))

    mail = "".join(path.read_text() for path in tmp_path.iterdir())
    assert "To: grace@greenwood.test" in mail  # Art's teacher, found in Greenwood's schema
    assert title in mail
    with schema_context("greenwood"):
        page = MediaPage.objects.get(title=title)
    assert f"greenwood.localhost:{settings.PLATFORM_PORT}/review/{page.pk}/" in mail


def test_a_deleted_image_leaves_its_schools_storage(task_queue, title):
    holder = {}
    run_committed(lambda: holder.update(image=_image(title)))
    # Not the tasks of its creation (indexing it, which would fail once it is deleted).
    run_committed(lambda: DBTaskResult.objects.all().delete())
    name = holder["image"].file.name
    stored = Path(settings.MEDIA_ROOT) / "greenwood" / name
    # The same name in the public schema's and another school's folders: a worker that ran
    # the task anywhere but Greenwood would delete one of these, or nothing.
    decoys = [Path(settings.MEDIA_ROOT) / schema / name for schema in ("public", "riverside")]
    for decoy in decoys:
        decoy.parent.mkdir(parents=True, exist_ok=True)
        decoy.write_bytes(b"not greenwood's")

    def delete():
        with schema_context("greenwood"):
            SchoolImage.objects.get(pk=holder["image"].pk).delete()

    run_committed(delete)
    assert stored.exists()  # Wagtail deletes the file in a task, which the worker runs
    assert "wagtail.tasks.delete_file_from_storage_task" in _queued("greenwood")

    _worker()

    assert not stored.exists()
    assert all(decoy.read_bytes() == b"not greenwood's" for decoy in decoys)


def test_the_search_index_is_updated_in_the_school(task_queue, title, riverside):
    word = f"heron{uuid.uuid4().hex[:8]}"
    run_committed(lambda: _image(f"{title} {word}"))

    def found(schema: str) -> list[str]:
        with schema_context(schema):
            return [image.title for image in SchoolImage.objects.search(word)]

    assert found("greenwood") == []  # Wagtail indexes in a task, which the worker runs
    assert "modelsearch.tasks.insert_or_update_object_task" in _queued("greenwood")

    _worker()

    assert found("greenwood") == [f"{title} {word}"]
    assert found(riverside.schema_name) == []
