"""Image renditions on Cloudinary: a Wagtail filter spec becomes a Cloudinary delivery URL.

`wagtail-cloudinary-image` does not load on Wagtail 8 and ignored most filters, so this does
its job: for every spec (`fill`, `width`, `height`, `max`, `min`, `scale`, `original`, focal
points, `format-*`, the quality operations, `bgcolor`), Wagtail's own geometry
(`Filter.get_transform`: the crop rectangle in the original and the output size, focal point
included) is turned into a chain of Cloudinary transformations (crop, then scale, then
format and quality, `f_auto,q_auto` unless the spec says otherwise). The width and height
of the result are known without the image: nothing is downloaded or decoded, no rendition is
stored, and there is no database row to look up.

Locally, Wagtail's own Pillow renditions are made, with big JPEGs decoded at the size the
rendition needs (jpeg_draft_source).
"""

from __future__ import annotations

import io
import math
import posixpath
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.images.image_operations import (
    AvifQualityOperation,
    BackgroundColorOperation,
    FormatOperation,
    JPEGQualityOperation,
    WebPQualityOperation,
)
from wagtail.images.models import Filter

# Wagtail's format names → Cloudinary's.
CLOUDINARY_FORMATS = {
    "jpeg": "jpg",
    "png": "png",
    "gif": "gif",
    "webp": "webp",
    "avif": "avif",
    "ico": "ico",
    "heic": "heic",
}
QUALITY_OPERATIONS = {
    "jpeg": JPEGQualityOperation,
    "webp": WebPQualityOperation,
    "avif": AvifQualityOperation,
}


@dataclass(frozen=True)
class CloudinaryTransformation:
    steps: list[dict]
    width: int
    height: int
    format: str | None = None  # a format the spec asks for: also the URL's extension


def cloudinary_transformation(image, filter: Filter) -> CloudinaryTransformation:
    """The Cloudinary transformation that renders `filter` on `image`, and its output size."""
    transform = filter.get_transform(image)
    width, height = (int(round(v)) for v in transform.size)
    rect = transform.get_rect()
    crop = tuple(int(round(v)) for v in (rect.left, rect.top, rect.right, rect.bottom))
    steps: list[dict] = []
    if crop != (0, 0, image.width, image.height):
        left, top, right, bottom = crop
        steps.append(
            {"crop": "crop", "x": left, "y": top, "width": right - left, "height": bottom - top}
        )
        source_size = (right - left, bottom - top)
    else:
        source_size = (image.width, image.height)
    if (width, height) != source_size:
        steps.append({"crop": "scale", "width": width, "height": height})
    delivery = _delivery_step(filter)
    steps.append(delivery)
    output = delivery["fetch_format"] if delivery["fetch_format"] != "auto" else None
    return CloudinaryTransformation(steps=steps, width=width, height=height, format=output)


def _delivery_step(filter: Filter) -> dict:
    operations = filter.filter_operations
    formats = [op.format for op in operations if isinstance(op, FormatOperation)]
    output = formats[-1] if formats else None
    step: dict = {"fetch_format": CLOUDINARY_FORMATS[output] if output else "auto"}
    # Wagtail applies a quality to its own format only; with f_auto the format is
    # Cloudinary's choice, so any quality the spec gives applies.
    wanted = (
        [QUALITY_OPERATIONS[output]]
        if output in QUALITY_OPERATIONS
        else list(QUALITY_OPERATIONS.values())
    )
    qualities = [op.quality for op in operations if type(op) in wanted]
    step["quality"] = qualities[-1] if qualities else "auto"
    colors = [op.color for op in operations if isinstance(op, BackgroundColorOperation)]
    if colors:
        step["background"] = "rgb:{:02x}{:02x}{:02x}".format(*colors[-1][:3])
    return step


# --- Local renditions: decoding a big JPEG at the size needed ----------------------------------
ORIENTATION = 0x0112
DRAFT_QUALITY = 95  # the intermediate copy, at least twice the rendition's size: no visible loss


def jpeg_draft_source(image, filter: Filter) -> ContentFile | None:
    """For a local rendition of a big JPEG: the picture decoded at 1/2, 1/4 or 1/8 of its size
    (JPEG's DCT scaling: several times faster, and far less memory, than decoding every
    pixel), as the `source` Wagtail renders from. Its size stays at least twice what the
    rendition shows of it, so the result is as sharp. None (decode it whole, as Wagtail does)
    when the rendition is not that much smaller, for other formats, for images with a focal
    point (Wagtail's crop reads it in the original's pixels) or an EXIF orientation."""
    if image.has_focal_point() or not image.file.name.lower().endswith((".jpg", ".jpeg")):
        return None
    with image.open_file() as file, PILImage.open(file) as pil:
        if pil.format != "JPEG" or pil.getexif().get(ORIENTATION, 1) != 1:
            return None
        transform = filter.get_transform(image, pil.size)
        rect = transform.get_rect()
        scale = min(rect.width / transform.size[0], rect.height / transform.size[1])
        if scale < 4:  # the smallest step (1/2) would still leave more than twice the pixels
            return None
        width, height = pil.size
        pil.draft(pil.mode, (math.ceil(width * 2 / scale), math.ceil(height * 2 / scale)))
        pil.load()
        if pil.size == (width, height):
            return None
        out = io.BytesIO()
        options = {"quality": DRAFT_QUALITY, "subsampling": 0}
        if icc_profile := pil.info.get("icc_profile"):
            options["icc_profile"] = icc_profile
        pil.save(out, "JPEG", **options)
    return ContentFile(out.getvalue(), name=posixpath.basename(image.file.name))
