"""Uploads straight to Cloudinary (media_library.direct_uploads), against the fake API with
the requests a browser sends: the signed chunks (X-Unique-Upload-Id, Content-Range), then
Cloudinary's final answer relayed to the completion. Forged, foreign, expired and oversized
completions are refused with nothing left; the sweep destroys what was never completed."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
import requests
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from classrooms.models import Classroom
from media_library import direct_uploads
from media_library.direct_upload_models import DirectUpload, DirectUploadStatus
from media_library.models import MediaPage
from media_library.tests import av_samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_cloudinary(fake_cloudinary, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "media_library.storage.CloudinaryStorage"},
    }
    settings.CLOUDINARY_DIRECT_UPLOADS = True
    return fake_cloudinary


@pytest.fixture
def art(greenwood):
    with schema_context(greenwood.schema_name):
        yield Classroom.objects.select_related("page", "collection").get(name="Art")


def person(username: str) -> User:
    return User.objects.get(username=username)


def sign(art, *, user="amina", data=None, name="clip.mp4", kind="video", title="My film"):
    data = av_samples.recording("mp4") if data is None else data
    return direct_uploads.direct_upload_sign(
        user=person(user),
        classroom=art,
        kind=kind,
        filename=name,
        size=len(data),
        title=title,
        tags=["film"],
        visibility="class",
    )


def send(signed: dict, data: bytes, *, name="clip.mp4", chunk: int | None = None) -> dict:
    """What static/js/upload.js does: each chunk POSTed with the signed parameters, the
    same upload id and its byte range; Cloudinary's answer to the last one."""
    chunk = chunk or max(1, len(data) // 3 + 1)
    upload_id = secrets.token_hex(8)
    answer = {}
    for start in range(0, len(data), chunk):
        part = data[start : start + chunk]
        answer = requests.post(
            signed["upload_url"],
            data={
                **signed["params"],
                "api_key": signed["api_key"],
                "signature": signed["signature"],
            },
            files={"file": (name, part)},
            headers={
                "X-Unique-Upload-Id": upload_id,
                "Content-Range": f"bytes {start}-{start + len(part) - 1}/{len(data)}",
            },
            timeout=30,
        ).json()
    return answer


def complete(signed, answer, *, user="amina"):
    return direct_uploads.direct_upload_complete(
        user=person(user), upload_id=signed["id"], response=answer
    )


def test_a_video_sent_in_chunks_becomes_work_awaiting_review(on_cloudinary, art):
    data = av_samples.recording("mp4")  # tagged with where it was recorded
    signed = sign(art, data=data)
    assert signed["public_id"].startswith("greenwood/media/direct_")
    assert signed["params"]["type"] == "authenticated"
    answer = send(signed, data)
    uploads = on_cloudinary.uploads()
    assert len(uploads) == 3 and all("x-unique-upload-id" in u.headers for u in uploads)

    page = complete(signed, answer)

    assert page.owner == person("amina") and not page.live
    assert page.current_workflow_state is not None  # awaiting the teacher's review
    assert page.media.file.name == f"video/{signed['public_id']}.mp4"
    assert page.media.duration and page.media.type == "video"
    assert [tag.name for tag in page.tags.all()] == ["film"]
    row = DirectUpload.objects.get(pk=signed["id"])
    assert row.status == DirectUploadStatus.COMPLETE and row.page_id == page.pk
    stored = on_cloudinary.asset("video", signed["public_id"]).data
    assert av_samples.COORDINATE not in stored  # the incoming transformation's copy
    with pytest.raises(DirectUpload.DoesNotExist):  # a second completion finds nothing
        complete(signed, answer)


def test_an_audio_recording(on_cloudinary, art):
    data = av_samples.recording("m4a")
    signed = sign(art, data=data, name="memo.m4a", kind="audio")
    page = complete(signed, send(signed, data, name="memo.m4a"))
    assert page.kind == "audio" and page.media.file.name.endswith(".m4a")


def refused(signed, answer, error, *, user="amina"):
    """The completion is refused with `error`, and nothing is left of the upload."""
    pages = MediaPage.objects.count()
    with pytest.raises(ValidationError) as raised:
        complete(signed, answer, user=user)
    assert error in raised.value.messages
    assert MediaPage.objects.count() == pages
    assert DirectUpload.objects.get(pk=signed["id"]).status == DirectUploadStatus.DESTROYED


def test_a_forged_signature_is_refused_and_the_asset_destroyed(on_cloudinary, art):
    signed = sign(art)
    answer = send(signed, av_samples.recording("mp4"))
    refused(signed, {**answer, "signature": "0" * 40}, str(direct_uploads.ERROR_NOT_CONFIRMED))
    assert ("video", signed["public_id"]) not in on_cloudinary.stored


def test_another_uploads_answer_is_refused(on_cloudinary, art):
    mine, other = sign(art), sign(art, title="Other")
    answer = send(other, av_samples.recording("mp4"))  # rightly signed, for another row
    refused(mine, answer, str(direct_uploads.ERROR_NOT_CONFIRMED))
    assert ("video", other["public_id"]) in on_cloudinary.stored  # not this row's to destroy


def test_someone_elses_upload_is_not_found_and_untouched(on_cloudinary, art):
    signed = sign(art)
    answer = send(signed, av_samples.recording("mp4"))
    with pytest.raises(DirectUpload.DoesNotExist):
        complete(signed, answer, user="brian")
    assert DirectUpload.objects.get(pk=signed["id"]).status == DirectUploadStatus.PENDING
    assert ("video", signed["public_id"]) in on_cloudinary.stored


def test_an_expired_upload_is_refused(on_cloudinary, art):
    signed = sign(art)
    answer = send(signed, av_samples.recording("mp4"))
    DirectUpload.objects.filter(pk=signed["id"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    refused(signed, answer, str(direct_uploads.ERROR_EXPIRED))
    assert ("video", signed["public_id"]) not in on_cloudinary.stored


def test_an_oversized_asset_is_refused(on_cloudinary, art):
    signed = sign(art)
    answer = send(signed, av_samples.recording("mp4"))
    DirectUpload.objects.filter(pk=signed["id"]).update(max_bytes=1000)
    with pytest.raises(ValidationError) as raised:
        complete(signed, answer)
    assert raised.value.code == "too_large"
    assert ("video", signed["public_id"]) not in on_cloudinary.stored
    assert DirectUpload.objects.get(pk=signed["id"]).status == DirectUploadStatus.DESTROYED


def test_audio_sent_as_a_video_is_refused(on_cloudinary, art):
    data = av_samples.recording("m4a")
    signed = sign(art, data=data, name="memo.mp4")  # says video, is a recording
    refused(signed, send(signed, data, name="memo.mp4"), str(direct_uploads.ERROR_NOT_MEDIA))


def test_signing_is_for_the_class_and_the_kinds_of_every_upload(on_cloudinary, art, settings):
    with pytest.raises(PermissionDenied):
        sign(art, user="david")  # not in Art
    with pytest.raises(ValidationError):
        sign(art, name="report.pdf", kind="document")
    with pytest.raises(ValidationError):
        sign(art, name="clip.exe")
    with pytest.raises(ValidationError):
        sign(art, data=b"x" * (settings.MEDIA_MAX_UPLOAD_MB["video"] * 1024 * 1024 + 1))
    settings.CLOUDINARY_DIRECT_UPLOADS = False
    with pytest.raises(PermissionDenied):
        sign(art)
    assert not DirectUpload.objects.exists()


def test_cloudinary_checks_the_signature_and_its_age(on_cloudinary, art):
    data = av_samples.recording("mp4")
    signed = sign(art, data=data)
    forged = {**signed, "params": {**signed["params"], "public_id": "riverside/media/x"}}
    assert "Invalid Signature" in send(forged, data)["error"]["message"]
    on_cloudinary.advance(3601)
    assert "Stale request" in send(signed, data)["error"]["message"]
    assert not on_cloudinary.stored


def test_a_failed_chunk_is_sent_again(on_cloudinary, art):
    data = av_samples.recording("mp4")
    signed = sign(art, data=data)
    on_cloudinary.fail_next_upload()
    headers = {"X-Unique-Upload-Id": "resume1", "Content-Range": f"bytes 0-9/{len(data)}"}
    fields = {**signed["params"], "api_key": signed["api_key"], "signature": signed["signature"]}
    url = signed["upload_url"]
    post = lambda part, range_: requests.post(  # noqa: E731
        url,
        data=fields,
        files={"file": ("clip.mp4", part)},
        headers={**headers, "Content-Range": range_},
        timeout=30,
    )
    assert post(data[:10], f"bytes 0-9/{len(data)}").status_code == 500
    assert post(data[10:], f"bytes 10-{len(data) - 1}/{len(data)}").json()["done"] is False
    answer = post(data[:10], f"bytes 0-9/{len(data)}").json()  # the failed one, again
    assert complete(signed, answer).media.type == "video"


def test_the_sweep_destroys_what_was_never_completed(on_cloudinary, art, settings):
    stale, fresh = sign(art), sign(art, title="Fresh")
    send(stale, av_samples.recording("mp4"))
    send(fresh, av_samples.recording("mp4"))
    DirectUpload.objects.filter(pk=stale["id"]).update(
        expires_at=timezone.now()
        - timedelta(seconds=settings.DIRECT_UPLOAD_SWEEP_GRACE_SECONDS + 5)
    )
    assert direct_uploads.direct_uploads_sweep() == 1
    assert ("video", stale["public_id"]) not in on_cloudinary.stored
    assert ("video", fresh["public_id"]) in on_cloudinary.stored
    assert DirectUpload.objects.get(pk=stale["id"]).status == DirectUploadStatus.DESTROYED
    assert direct_uploads.direct_uploads_sweep() == 0  # idempotent


def test_the_upload_origin_is_the_only_other_one_scripts_may_reach(on_cloudinary, settings):
    from mediahub.middleware import policy

    connect = next(d for d in policy(admin=False).split("; ") if d.startswith("connect-src"))
    assert connect == f"connect-src 'self' {on_cloudinary.upload_prefix}"
    settings.CLOUDINARY_URL = ""
    connect = next(d for d in policy(admin=False).split("; ") if d.startswith("connect-src"))
    assert connect == "connect-src 'self'"


def test_the_endpoints(on_cloudinary, art, greenwood):
    from conftest import client_as

    data = av_samples.recording("mp4")
    form = {"title": "Film", "classroom": art.pk, "visibility": "class", "kind": "video"}
    form.update(filename="clip.mp4", size=len(data))
    amina = client_as(greenwood, "amina")
    assert client_as(greenwood, "david").post("/upload/direct/", form).status_code == 400
    answer = amina.post("/upload/direct/", {**form, "kind": "document"})
    assert answer.status_code == 400
    signed = amina.post("/upload/direct/", form).json()
    assert signed["complete_url"] == f"/upload/direct/{signed['id']}/complete/"
    final = send(signed, data)
    brian = client_as(greenwood, "brian")
    body = {"response": final}
    url = signed["complete_url"]
    assert brian.post(url, body, content_type="application/json").status_code == 404
    forged = {"response": {**final, "signature": "f" * 40}}
    refusal = amina.post(url, forged, content_type="application/json")
    assert refusal.status_code == 400
    assert refusal.json()["errors"]["__all__"][0]["message"] == str(
        direct_uploads.ERROR_NOT_CONFIRMED
    )
    assert amina.post(url, body, content_type="application/json").status_code == 404  # done
    assert not on_cloudinary.stored


def test_the_upload_page_offers_direct_uploads_only_with_cloudinary(on_cloudinary, greenwood):
    from conftest import client_as

    page = client_as(greenwood, "amina").get("/upload/")
    assert b'data-direct-url="/upload/direct/"' in page.content
    assert on_cloudinary.upload_prefix in page["Content-Security-Policy"]


def test_the_periodic_sweep_goes_school_by_school(on_cloudinary, greenwood, settings):
    with schema_context(greenwood.schema_name):
        art = Classroom.objects.select_related("page", "collection").get(name="Art")
        stale = sign(art)
        send(stale, av_samples.recording("mp4"))
        DirectUpload.objects.filter(pk=stale["id"]).update(
            expires_at=timezone.now() - timedelta(days=1)
        )
    # As the scheduler does: enqueued from the platform (the tests run tasks at once).
    result = direct_uploads.direct_uploads_sweep_task.enqueue()
    assert result.return_value == {"greenwood": 1, "riverside": 0}
    assert not on_cloudinary.stored
    from django.conf import settings as django_settings

    assert "media_library.direct_uploads.direct_uploads_sweep_task" in (
        django_settings.PERIODIC_TASKS
    )


def test_an_account_signing_with_sha256(art, settings):
    """Signatures follow the account's algorithm (CLOUDINARY_URL's signature_algorithm):
    the upload's, which the fake checks, and Cloudinary's answer's, which the app checks."""
    from media_library.testing.fake_cloudinary import FakeCloudinary, sdk_configured_for

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "media_library.storage.CloudinaryStorage"},
    }
    with FakeCloudinary(signature_algorithm="sha256") as fake, sdk_configured_for(fake):
        settings.CLOUDINARY_URL = f"{fake.cloudinary_url}&signature_algorithm=sha256"
        data = av_samples.recording("mp4")
        signed = sign(art, data=data)
        assert len(signed["signature"]) == 64
        answer = send(signed, data)
        assert len(answer["signature"]) == 64
        assert complete(signed, answer).media.type == "video"
