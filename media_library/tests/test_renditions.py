"""Every Wagtail filter spec becomes the right Cloudinary transformation and output size,
computed from Wagtail's own geometry: no pixels involved."""

import pytest
from wagtail.images.models import Filter

from media_library.models import SchoolImage
from media_library.renditions import cloudinary_transformation

AUTO = {"fetch_format": "auto", "quality": "auto"}


def _image(width=1000, height=500, focal=None) -> SchoolImage:
    image = SchoolImage(title="t", width=width, height=height, collection_id=1)
    if focal:
        (
            image.focal_point_x,
            image.focal_point_y,
            image.focal_point_width,
            image.focal_point_height,
        ) = focal
    return image


def _t(spec, image=None):
    result = cloudinary_transformation(image or _image(), Filter(spec))
    return result.steps, (result.width, result.height)


@pytest.mark.parametrize(
    ("spec", "steps", "size"),
    [
        ("original", [AUTO], (1000, 500)),
        ("width-400", [{"crop": "scale", "width": 400, "height": 200}, AUTO], (400, 200)),
        ("height-100", [{"crop": "scale", "width": 200, "height": 100}, AUTO], (200, 100)),
        ("max-300x300", [{"crop": "scale", "width": 300, "height": 150}, AUTO], (300, 150)),
        ("min-300x300", [{"crop": "scale", "width": 600, "height": 300}, AUTO], (600, 300)),
        ("scale-50", [{"crop": "scale", "width": 500, "height": 250}, AUTO], (500, 250)),
        # Wagtail never upscales with width/max: the original comes back.
        ("width-2000", [AUTO], (1000, 500)),
        (
            "fill-200x200",
            [
                {"crop": "crop", "x": 250, "y": 0, "width": 500, "height": 500},
                {"crop": "scale", "width": 200, "height": 200},
                AUTO,
            ],
            (200, 200),
        ),
        (
            "fill-500x500",  # exactly the crop's size: no scaling step
            [{"crop": "crop", "x": 250, "y": 0, "width": 500, "height": 500}, AUTO],
            (500, 500),
        ),
    ],
)
def test_geometry(spec, steps, size):
    assert _t(spec) == (steps, size)


@pytest.mark.parametrize(("focal_x", "moves"), [(150, "left"), (900, "right")])
def test_fill_follows_the_focal_point(focal_x, moves):
    # Without a focal point the square crop is centred (x=250); a face near an edge pulls it
    # that way, and stays inside it.
    steps, _ = _t("fill-200x200", _image(focal=(focal_x, 250, 100, 100)))
    crop = steps[0]
    assert (crop["x"] < 250) if moves == "left" else (crop["x"] > 250)
    assert crop["x"] <= focal_x - 50 and focal_x + 50 <= crop["x"] + crop["width"]


def test_fill_closeness_crops_tighter_around_the_focal_point():
    loose, _ = _t("fill-200x200", _image(focal=(500, 250, 50, 50)))
    close, _ = _t("fill-200x200-c100", _image(focal=(500, 250, 50, 50)))
    assert close[0]["width"] < loose[0]["width"]


@pytest.mark.parametrize(
    ("spec", "last_step"),
    [
        ("width-400|format-webp", {"fetch_format": "webp", "quality": "auto"}),
        ("width-400|format-jpeg|jpegquality-60", {"fetch_format": "jpg", "quality": 60}),
        ("width-400|format-avif|avifquality-40", {"fetch_format": "avif", "quality": 40}),
        # A JPEG quality does not apply to a WebP output, as in Wagtail.
        ("width-400|format-webp|jpegquality-60", {"fetch_format": "webp", "quality": "auto"}),
        ("width-400|webpquality-70", {"fetch_format": "auto", "quality": 70}),
        (
            "format-png|bgcolor-ff0000",
            {"fetch_format": "png", "quality": "auto", "background": "rgb:ff0000"},
        ),
    ],
)
def test_format_quality_and_background(spec, last_step):
    steps, _ = _t(spec)
    assert steps[-1] == last_step
