"""Local renditions of big JPEGs decoded at the size needed (renditions.jpeg_draft_source):
the same picture, the same size, far fewer pixels decoded."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from wagtail.images.models import Filter

from media_library import renditions
from media_library.models import SchoolImage
from media_library.tests import samples

pytestmark = pytest.mark.django_db


def _image(data: bytes, **fields) -> SchoolImage:
    with Image.open(io.BytesIO(data)) as pil:
        width, height = pil.size
    return SchoolImage.objects.create(
        title="Big", file=ContentFile(data, name="big.jpg"), width=width, height=height, **fields
    )


def _pixel(rendition, x: int, y: int):
    with rendition.file.open("rb") as file, Image.open(file) as pil:
        return pil.convert("RGB").getpixel((x, y))


def test_a_small_rendition_of_a_big_jpeg_is_made_from_a_smaller_decode(school):
    image = _image(samples.jpeg(2400, 1600))  # red left half, blue right half

    source = renditions.jpeg_draft_source(image, Filter("fill-240x160"))
    with Image.open(source) as pil:
        assert (480, 320) <= pil.size < (2400, 1600)  # 1/4: still twice the rendition's size

    rendition = image.get_rendition("fill-240x160")
    assert (rendition.width, rendition.height) == (240, 160)
    red, blue = _pixel(rendition, 60, 120), _pixel(rendition, 200, 120)
    assert red[0] > 200 and red[2] < 60 and blue[2] > 200 and blue[0] < 60


@pytest.mark.parametrize(
    ("spec", "data", "fields"),
    [
        ("fill-1200x800", lambda: samples.jpeg(2400, 1600), {}),  # only half the size
        ("fill-240x160", lambda: samples.png(2400, 1600), {}),  # not a JPEG
        ("fill-240x160", lambda: samples.jpeg(2400, 1600, orientation=6), {}),
        (
            "fill-240x160",
            lambda: samples.jpeg(2400, 1600),
            {
                "focal_point_x": 300,
                "focal_point_y": 300,
                "focal_point_width": 100,
                "focal_point_height": 100,
            },
        ),
    ],
    ids=["not much smaller", "png", "exif orientation", "focal point"],
)
def test_otherwise_the_picture_is_decoded_whole_as_wagtail_does(school, spec, data, fields):
    image = _image(data(), **fields)
    if not image.file.name.endswith(".jpg"):
        pytest.fail("test set-up")
    assert renditions.jpeg_draft_source(image, Filter(spec)) is None
    rendition = image.get_rendition(spec)
    assert rendition.width == int(spec.split("-")[1].split("x")[0])
