"""The media library on Cloudinary, with the real SDK talking HTTP to the local fake API:
uploads land in the school's folder with the right resource type, deletion destroys the
stored file, and images render through Wagtail's tags as Cloudinary URLs with no download
and no Pillow decode."""

import re

import pytest
import willow
from django.template import Context, Template
from django_tenants.utils import schema_context
from PIL import Image

from accounts.models import User
from classrooms.models import Classroom
from media_library import services
from media_library.storage import CloudinaryStorage
from media_library.tests import av_samples, samples

pytestmark = pytest.mark.django_db

CLOUD = "https://res.cloudinary.com/mediahub-test"


@pytest.fixture
def on_cloudinary(fake_cloudinary, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "media_library.storage.CloudinaryStorage"},
    }
    return fake_cloudinary


@pytest.fixture
def art(greenwood):
    with schema_context(greenwood.schema_name):
        yield Classroom.objects.select_related("page", "collection").get(name="Art")


def _upload(art, data, name):
    return services.media_upload(
        classroom=art,
        uploaded_by=User.objects.get(username="amina"),
        file=samples.uploaded(data, name),
        title="Work",
    )


@pytest.mark.parametrize(
    ("data", "name", "resource_type"),
    [
        (samples.jpeg(exif_gps=True), "a.jpg", "image"),
        (av_samples.recording("mp4"), "a.mp4", "video"),
        (av_samples.recording("mp3"), "a.mp3", "video"),  # Cloudinary keeps audio as video
        (samples.pdf(), "a.pdf", "raw"),
    ],
)
def test_uploads_land_in_the_schools_folder(on_cloudinary, art, data, name, resource_type):
    page = _upload(art, data, name)
    asset = page.asset
    assert isinstance(asset.file.storage, CloudinaryStorage)
    assert asset.file.name.startswith(f"{resource_type}/greenwood/")
    stored = {key for key in on_cloudinary.stored if key[0] == resource_type}
    assert len(stored) == 1
    assert next(iter(stored))[1].startswith("greenwood/")


def test_stored_photos_have_no_location(on_cloudinary, art):
    import io

    _upload(art, samples.jpeg(exif_gps=True), "a.jpg")
    (asset,) = on_cloudinary.stored.values()
    with Image.open(io.BytesIO(asset.data)) as stored:
        assert not stored.getexif().get_ifd(0x8825)


def test_delete_destroys_the_stored_file(on_cloudinary, art, django_capture_on_commit_callbacks):
    page = _upload(art, samples.pdf(), "a.pdf")
    assert len(on_cloudinary.stored) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.media_delete(page=page)
    assert on_cloudinary.stored == {}


def test_a_failed_upload_leaves_nothing(on_cloudinary, art):
    from media_library.models import MediaPage, SchoolImage

    before = (MediaPage.objects.count(), SchoolImage.objects.count())
    on_cloudinary.fail_next_upload(status=500)
    with pytest.raises(OSError):
        _upload(art, samples.png(), "a.png")
    assert on_cloudinary.stored == {}
    assert (MediaPage.objects.count(), SchoolImage.objects.count()) == before


def test_image_tags_render_cloudinary_urls_without_download_or_decode(
    on_cloudinary, art, monkeypatch
):
    page = _upload(art, samples.png(width=1000, height=500), "wide.png")
    image = page.image
    # As a public work's page shows it (cards.for_cards): permanent links, transformed.
    # Other work's links expire (test_delivery.py).
    image.publicly_shown = True
    requests_before = on_cloudinary.request_count

    def forbidden(*args, **kwargs):
        raise AssertionError("the image was opened on the server")

    monkeypatch.setattr(Image, "open", forbidden)
    monkeypatch.setattr(willow.Image, "open", forbidden)
    monkeypatch.setattr(CloudinaryStorage, "_open", forbidden)

    html = Template(
        "{% load wagtailimages_tags %}"
        "{% image img fill-300x200 %}"
        "{% srcset_image img width-{200,400} sizes='100vw' %}"
        "{% picture img format-{avif,webp,jpeg} width-400 %}"
    ).render(Context({"img": image}))

    public_id = image.file.name.split("/", 1)[1].rsplit(".", 1)[0]
    signed = html
    html = re.sub(r"/authenticated/s--[A-Za-z0-9_-]{8}--/", "/authenticated/", html)
    assert html.count("/authenticated/") == signed.count("/authenticated/s--")  # all signed
    assert (
        f"{CLOUD}/image/authenticated/c_crop,h_500,w_750,x_125,y_0/c_scale,h_200,w_300/f_auto,q_auto/v1/{public_id}.png"
        in html
    )
    first_img = html.split(">", 1)[0]
    assert 'height="200"' in first_img and 'width="300"' in first_img
    assert f"/c_scale,h_100,w_200/f_auto,q_auto/v1/{public_id}.png 200w" in html
    assert f"/c_scale,h_200,w_400/f_auto,q_auto/v1/{public_id}.png 400w" in html
    assert f"/c_scale,h_200,w_400/f_avif,q_auto/v1/{public_id}.avif" in html
    assert 'type="image/webp"' in html and f"/f_webp,q_auto/v1/{public_id}.webp" in html
    assert on_cloudinary.request_count == requests_before  # nothing fetched
    assert not image.renditions.exists()  # nothing stored


def test_replacing_a_drafts_file_on_cloudinary(
    on_cloudinary, art, django_capture_on_commit_callbacks
):
    page = _upload(art, samples.png(), "a.png")
    (old_key,) = on_cloudinary.stored
    with django_capture_on_commit_callbacks(execute=True):
        page = services.media_update(
            page=page,
            user=User.objects.get(username="amina"),
            title="Work, again",
            description="",
            tags=[],
            visibility="class",
            file=samples.uploaded(samples.jpeg(exif_gps=True), "again.jpg"),
        )
    assert old_key not in on_cloudinary.stored  # destroyed once the change committed
    (new_key,) = on_cloudinary.stored
    assert new_key[1].startswith("greenwood/") and page.image.file.name.endswith(".jpg")
