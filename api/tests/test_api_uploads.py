"""Uploading, editing, deleting and reviewing through the API: the site's forms and services,
so the same checks and the same constant messages. A file of the hostile corpus is refused
with the form's message and leaves nothing; a photo with a GPS position is stored without
it and awaits review; the upload's rate limit and the family's consent hold."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django_tenants.utils import schema_context
from PIL import Image

from api.tests.helpers import api_client, token_for
from classrooms.forms import ERROR_COMMENT_REQUIRED
from classrooms.models import Classroom
from core.ratelimit import MESSAGE_RATE_LIMITED
from media_library import forms, validation
from media_library.models import MediaPage, SchoolDocument, SchoolImage, SchoolMedia
from media_library.tests import samples
from media_library.views import MESSAGE_UPLOADED

pytestmark = pytest.mark.django_db


def _files() -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


def _rows(school) -> tuple[int, ...]:
    with schema_context(school.schema_name):
        models = (MediaPage, SchoolImage, SchoolDocument, SchoolMedia)
        return tuple(model.objects.count() for model in models)


def _class_id(school, name="Art") -> int:
    with schema_context(school.schema_name):
        return Classroom.objects.get(name=name).pk


def _upload(school, token, data, name, content_type, **fields):
    fields = {"title": "Hostile", "classroom": _class_id(school), **fields}
    upload = samples.uploaded(data, name, content_type)
    return api_client(school, token).post("/api/v1/me/works/", {"file": upload, **fields})


def test_a_hostile_file_is_refused_with_the_forms_message_and_leaves_nothing(greenwood):
    token = token_for(greenwood, "amina", "upload")
    rows, files = _rows(greenwood), _files()

    response = _upload(greenwood, token, samples.svg(), "cute.svg", "image/svg+xml")

    assert response.status_code == 400
    assert response.json() == {"errors": {"file": [validation.ERROR_SVG]}}
    assert _rows(greenwood) == rows
    assert _files() == files


def test_a_photo_is_stored_without_its_location_and_awaits_review(greenwood):
    token = token_for(greenwood, "amina", "upload")
    photo = samples.jpeg(exif_gps=True, xmp_gps=True)
    with Image.open(io.BytesIO(photo)) as sent:
        assert sent.getexif().get_ifd(samples.GPS_IFD)  # the sample carries a position

    response = _upload(
        greenwood, token, photo, "walk.jpg", "image/jpeg", title="Walk", tags="trees, Trees"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["message"] == MESSAGE_UPLOADED.format(title="Walk")
    work = body["work"]
    assert work["status"]["code"] == "awaiting_approval"
    assert work["title"] == "Walk" and work["kind"] == "image" and work["visibility"] == "class"
    with schema_context(greenwood.schema_name):
        page = MediaPage.objects.get(pk=work["id"])
        assert not page.live and page.owner.username == "amina"
        stored = (Path(settings.MEDIA_ROOT) / "greenwood" / page.image.file.name).read_bytes()
    assert b"GPSLatitude" not in stored and b"exif:GPS" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert samples.GPS_IFD not in image.getexif()
    # Its teacher finds it in the review queue, through the API too.
    queue = api_client(greenwood, token_for(greenwood, "grace", "review")).get("/api/v1/review/")
    assert work["id"] in [item["id"] for item in queue.json()]
    # The owner sees it in their own list with its status; a classmate does not see it yet.
    own = api_client(greenwood, token).get("/api/v1/me/works/").json()["results"]
    assert own[0]["id"] == work["id"] and own[0]["status"]["code"] == "awaiting_approval"
    detail = api_client(greenwood, token).get(f"/api/v1/works/{work['id']}/").json()
    assert detail["tags"] == ["trees"]  # the form's parsing: one tag, as typed first
    assert set(detail["files"]["renditions"]) == {
        "fill-400x300",
        "width-400",
        "width-800",
        "width-1200",
    }
    brian = api_client(greenwood, token_for(greenwood, "brian"))
    assert brian.get(f"/api/v1/works/{work['id']}/").status_code == 404


def test_the_upload_form_messages_come_back_as_data(greenwood):
    token = token_for(greenwood, "amina", "upload")
    response = api_client(greenwood, token).post("/api/v1/me/works/", {"title": " "})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["file"] == [forms.ERROR_FILE_REQUIRED]
    assert errors["classroom"] == [forms.ERROR_CLASS_REQUIRED]
    assert errors["title"] == [forms.ERROR_TITLE_REQUIRED]


def test_a_class_of_someone_else_is_refused_as_the_form_does(greenwood):
    token = token_for(greenwood, "amina", "upload")
    media_studies = _class_id(greenwood, "Media Studies")
    response = _upload(
        greenwood, token, samples.jpeg(), "a.jpg", "image/jpeg", classroom=media_studies
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"classroom": [forms.ERROR_CLASS_INVALID]}


def test_consent_holds_through_the_api(greenwood):
    """David's family has not consented to more than his class: public is not offered."""
    token = token_for(greenwood, "david", "upload")
    response = _upload(
        greenwood,
        token,
        samples.jpeg(),
        "a.jpg",
        "image/jpeg",
        classroom=_class_id(greenwood, "Media Studies"),
        visibility="public",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"visibility": [forms.ERROR_VISIBILITY_INVALID]}


def test_uploads_are_rate_limited_as_on_the_site(greenwood, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "media_upload": {"user": "1/3600", "address": "0/3600"},
    }
    token = token_for(greenwood, "amina", "upload")
    first = _upload(greenwood, token, samples.jpeg(), "a.jpg", "image/jpeg", title="One")
    rows = _rows(greenwood)

    second = _upload(greenwood, token, samples.jpeg(), "b.jpg", "image/jpeg", title="Two")

    assert first.status_code == 201
    assert second.status_code == 429
    assert 0 < int(second["Retry-After"]) <= 3600
    [message] = second.json()["errors"]["__all__"]
    assert message.startswith(MESSAGE_RATE_LIMITED.split("{")[0])
    assert _rows(greenwood) == rows


def test_edit_keeps_what_is_not_sent_and_delete_removes_the_work(greenwood):
    token = token_for(greenwood, "amina", "upload")
    client = api_client(greenwood, token)
    made = _upload(greenwood, token, samples.jpeg(), "a.jpg", "image/jpeg", title="First")
    pk = made.json()["work"]["id"]

    edited = client.post(f"/api/v1/me/works/{pk}/", {"title": "Second"})
    refused = client.post(f"/api/v1/me/works/{pk}/", {"title": " "})

    assert edited.status_code == 200, edited.content
    assert edited.json()["work"]["title"] == "Second"
    assert edited.json()["work"]["visibility"] == "class"
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"title": [forms.ERROR_TITLE_REQUIRED]}
    assert client.delete(f"/api/v1/me/works/{pk}/").status_code == 204
    with schema_context(greenwood.schema_name):
        assert not MediaPage.objects.filter(pk=pk).exists()


def test_a_teacher_requests_changes_with_a_comment_and_the_student_reads_it(greenwood):
    student = token_for(greenwood, "amina", "upload")
    pk = _upload(greenwood, student, samples.jpeg(), "a.jpg", "image/jpeg").json()["work"]["id"]
    teacher = api_client(greenwood, token_for(greenwood, "grace", "review"))

    missing = teacher.post(f"/api/v1/review/{pk}/request-changes/", {"comment": ""})
    sent = teacher.post(f"/api/v1/review/{pk}/request-changes/", {"comment": "Crop it."})

    assert missing.status_code == 400
    assert missing.json()["errors"] == {"comment": [ERROR_COMMENT_REQUIRED]}
    assert sent.status_code == 200, sent.content
    own = api_client(greenwood, student).get(f"/api/v1/works/{pk}/").json()
    assert own["status"] == {
        "code": "changes_requested",
        "label": "Changes requested",
        "comment": "Crop it.",
    }
    assert teacher.get(f"/api/v1/review/{pk}/").status_code == 404  # no longer awaiting


def test_a_teacher_approves_and_the_work_is_published(greenwood):
    student = token_for(greenwood, "amina", "upload")
    pk = _upload(greenwood, student, samples.jpeg(), "a.jpg", "image/jpeg").json()["work"]["id"]
    teacher = api_client(greenwood, token_for(greenwood, "grace", "review"))

    response = teacher.post(f"/api/v1/review/{pk}/approve/")

    assert response.status_code == 200
    with schema_context(greenwood.schema_name):
        assert MediaPage.objects.get(pk=pk).live
    brian = api_client(greenwood, token_for(greenwood, "brian"))
    assert brian.get(f"/api/v1/works/{pk}/").status_code == 200


def test_an_apps_token_opens_the_local_files_its_person_may_see(greenwood):
    """The API's links to local files work for the token's person, and only for them."""
    token = token_for(greenwood, "amina", "upload")
    work = _upload(greenwood, token, samples.jpeg(), "a.jpg", "image/jpeg").json()["work"]
    path = work["files"]["file"].split("greenwood.localhost")[1]
    assert path.startswith("/media/greenwood/")

    mine = api_client(greenwood, token).get(path)
    classmate = api_client(greenwood, token_for(greenwood, "brian")).get(path)
    nobody = api_client(greenwood, None).get(path)
    forged = api_client(greenwood, token + "x").get(path)

    assert mine.status_code == 200 and b"".join(mine.streaming_content)[:2] == b"\xff\xd8"
    assert classmate.status_code == 404  # awaiting review: not Brian's to see
    assert nobody.status_code == 404
    assert forged.status_code == 401 and forged["WWW-Authenticate"].startswith("Bearer")
    assert not mine.cookies
