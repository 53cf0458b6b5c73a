"""Video posters and durations (media_library.posters, av_links): real ffmpeg-made samples; the
poster made once the upload commits (the tests' immediate backend runs the task then; the real
worker is in mediahub/tests/test_worker_process.py), shown by cards and the player, and served
only to those who may see the work."""

import io
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django_tenants.utils import schema_context
from PIL import Image

from classrooms.models import Classroom
from conftest import client_as, client_for, user_named
from media_library import services
from media_library.av_links import duration_clock, duration_words
from media_library.models import MediaPage, SchoolMedia
from media_library.posters import media_describe, poster_frame, poster_offset
from media_library.tasks import media_describe_task
from media_library.tests import av_samples, samples

pytestmark = pytest.mark.django_db


def _long_video(tmp_path, *, seconds=20, size="1920x1080", black_first=2) -> bytes:
    """An H.264 video that opens on `black_first` seconds of black, then a test picture."""
    path = tmp_path / "long.mp4"
    subprocess.run(  # noqa: S603
        ["ffmpeg", "-nostdin", "-v", "error",
         "-f", "lavfi", "-i", f"color=black:size={size}:duration={black_first}:rate=10",
         "-f", "lavfi", "-i", f"testsrc=size={size}:duration={seconds - black_first}:rate=10",
         "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "10",
         "-metadata", "location=+01.2921+036.8219/", "-y", str(path)],
        check=True,
    )  # fmt: skip
    return path.read_bytes()


def _upload(data: bytes, name: str, *, visibility="private", owner="amina", capture=None):
    with schema_context("greenwood"):
        with capture(execute=True):
            page = services.media_upload(
                classroom=Classroom.objects.get(name="Art"),
                uploaded_by=user_named(owner),
                file=samples.uploaded(data, name),
                title=f"A {visibility} recording",
                visibility=visibility,
            )
        page.get_latest_revision().publish()
        return MediaPage.objects.select_related("media").get(pk=page.pk)


@pytest.mark.parametrize(
    ("seconds", "clock", "words"),
    [
        (0, "", ""),
        (0.6, "0:01", "1 second"),
        (65.2, "1:05", "1 minute 5 seconds"),
        (600, "10:00", "10 minutes"),
        (3725, "1:02:05", "1 hour 2 minutes 5 seconds"),
    ],
)
def test_durations_read_as_a_clock_and_as_words(seconds, clock, words):
    assert duration_clock(seconds) == clock
    assert duration_words(seconds) == words


def test_the_poster_is_taken_a_tenth_in_at_most_thirty_seconds():
    assert poster_offset(0) == 0
    assert poster_offset(20) == 2
    assert poster_offset(3600) == 30


def test_a_poster_is_a_scaled_frame_past_the_black_opening_without_metadata(tmp_path, settings):
    settings.MEDIA_POSTER_MAX_WIDTH = 640
    path = tmp_path / "clip.mp4"
    path.write_bytes(_long_video(tmp_path))
    data = poster_frame(str(path), at=poster_offset(20))
    with Image.open(io.BytesIO(data)) as poster:
        assert poster.format == "JPEG" and poster.size == (640, 360)
        assert not poster.getexif() and "comment" not in poster.info
        # The test picture, not the black opening: far from uniformly dark.
        assert max(poster.convert("L").getextrema()) > 100
    assert b"Lavc" not in data and b"Exif" not in data  # no encoder name, no EXIF block
    # A frame past the end: the first frame instead, never nothing.
    assert poster_frame(str(path), at=999) is not None


def test_an_upload_gets_its_duration_and_after_commit_its_poster(
    greenwood, django_capture_on_commit_callbacks
):
    item = _upload(
        av_samples.recording("mp4"), "clip.mp4", capture=django_capture_on_commit_callbacks
    )
    with schema_context("greenwood"):
        media = SchoolMedia.objects.get(pk=item.media_id)
        assert media.duration == pytest.approx(1.0, abs=0.1)
        assert media.thumbnail.name.startswith("media_thumbnails/")
        with media.thumbnail.open("rb") as poster, Image.open(poster) as picture:
            assert picture.format == "JPEG" and picture.size == (64, 48)  # never upscaled
        thumbnail = media.thumbnail.name
        media_describe(media=media)  # again: nothing changes
        assert SchoolMedia.objects.get(pk=media.pk).thumbnail.name == thumbnail


def test_audio_gets_a_duration_and_no_poster(greenwood, django_capture_on_commit_callbacks):
    item = _upload(
        av_samples.recording("mp3"), "song.mp3", capture=django_capture_on_commit_callbacks
    )
    with schema_context("greenwood"):
        media = SchoolMedia.objects.get(pk=item.media_id)
    assert media.duration == pytest.approx(1.0, abs=0.1)
    assert not media.thumbnail and media.poster_url is None


def test_a_video_ffmpeg_cannot_read_stays_without_poster_and_the_task_succeeds(greenwood, caplog):
    with schema_context("greenwood"):
        media = SchoolMedia.objects.create(
            title="Broken",
            type="video",
            file=ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500, name="broken.mp4"),
            collection=Classroom.objects.get(name="Art").collection,
        )
    result = media_describe_task.call(schema_name="greenwood", media_id=media.pk)
    assert result == {"media": media.pk, "found": True, "poster": False, "duration": 0}
    assert "ffprobe could not read" in caplog.text
    with schema_context("greenwood"):
        assert not SchoolMedia.objects.get(pk=media.pk).thumbnail
    # A media deleted before the task ran: nothing to do.
    assert media_describe_task.call(schema_name="greenwood", media_id=10**9)["found"] is False


def test_cards_and_the_player_show_the_poster_and_the_duration(
    greenwood, django_capture_on_commit_callbacks
):
    video = _upload(
        av_samples.recording("mp4"), "clip.mp4", visibility="public",
        capture=django_capture_on_commit_callbacks,
    )  # fmt: skip
    audio = _upload(
        av_samples.recording("m4a"), "memo.m4a", visibility="public",
        capture=django_capture_on_commit_callbacks,
    )  # fmt: skip
    with schema_context("greenwood"):
        poster = SchoolMedia.objects.get(pk=video.media_id).thumbnail.url
    client = client_for(greenwood)
    player = client.get(f"/work/{video.pk}/").content.decode()
    assert f'poster="{poster}"' in player
    assert "<source src=" in player
    assert '<span aria-hidden="true">0:01</span>' in player
    assert "Video length 1 second" in player
    recording = client.get(f"/work/{audio.pk}/").content.decode()
    assert "Recording length 1 second" in recording
    listing = client_as(greenwood, "amina").get("/my-media/").content.decode()
    assert f'src="{poster}"' in listing
    assert listing.count('class="media-duration badge') >= 2


def test_a_video_without_poster_yet_shows_a_placeholder(greenwood, settings):
    # Enqueued, not run: the poster is not made yet.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with schema_context("greenwood"):
        page = services.media_upload(
            classroom=Classroom.objects.get(name="Art"),
            uploaded_by=user_named("amina"),
            file=samples.uploaded(av_samples.recording("mp4"), "clip.mp4"),
            title="No poster yet",
        )
    listing = client_as(greenwood, "amina").get("/my-media/").content.decode()
    card = listing[listing.index(f'data-media-id="{page.pk}"') :]
    card = card[: card.index("</article>")]
    assert "media-placeholder" in card and "<img" not in card
    player = client_as(greenwood, "amina").get(f"/work/{page.pk}/").content.decode()
    assert "poster=" not in player


def test_the_poster_is_not_served_to_who_may_not_see_the_work(
    greenwood, django_capture_on_commit_callbacks
):
    item = _upload(
        av_samples.recording("mp4"), "clip.mp4", capture=django_capture_on_commit_callbacks
    )
    with schema_context("greenwood"):
        poster = SchoolMedia.objects.get(pk=item.media_id).thumbnail.url
    assert client_as(greenwood, "amina").get(poster).status_code == 200
    assert client_as(greenwood, "brian").get(poster).status_code == 404
    assert client_for(greenwood).get(poster).status_code == 404


def test_the_command_backfills_posters_and_durations_once(greenwood, capsys):
    with schema_context("greenwood"):
        media = SchoolMedia.objects.create(
            title="Old video",
            type="video",
            file=ContentFile(av_samples.recording("webm"), name="old.webm"),
            collection=Classroom.objects.get(name="Art").collection,
        )
    call_command("media_posters", school="greenwood")
    assert "greenwood: 1 video(s)" in capsys.readouterr().out
    with schema_context("greenwood"):
        media.refresh_from_db()
        assert media.thumbnail and media.duration == pytest.approx(1.0, abs=0.1)
    call_command("media_posters", school="greenwood")
    assert "greenwood: 0 video(s)" in capsys.readouterr().out


def test_a_video_uploaded_in_the_wagtail_admin_gets_its_poster(
    greenwood, django_capture_on_commit_callbacks
):
    with schema_context("greenwood"):
        collection = Classroom.objects.get(name="Art").collection_id
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(greenwood, "grace").post(
            "/admin/media/video/add/",
            {
                "title": "Admin clip",
                "collection": collection,
                "duration": 0,
                "file": samples.uploaded(av_samples.recording("mp4"), "clip.mp4", "video/mp4"),
            },
        )
    assert response.status_code == 302
    with schema_context("greenwood"):
        media = SchoolMedia.objects.get(title="Admin clip")
    assert media.thumbnail.name.startswith("media_thumbnails/")
    assert media.duration == pytest.approx(1.0, abs=0.1)


def test_all_media_in_the_admin_shows_the_poster(greenwood, django_capture_on_commit_callbacks):
    item = _upload(
        av_samples.recording("mp4"), "clip.mp4", capture=django_capture_on_commit_callbacks
    )
    with schema_context("greenwood"):
        poster = SchoolMedia.objects.get(pk=item.media_id).thumbnail.url
    listing = client_as(greenwood, "admin@greenwood.test").get("/admin/all-media/")
    assert f'<img src="{poster}"' in listing.content.decode()
