"""Image files whose width and height come from the header, not from decoding the picture."""

from __future__ import annotations

from PIL import Image as PillowImage
from wagtail.images.models import WagtailImageFieldFile


class HeaderSizedImageFieldFile(WagtailImageFieldFile):
    """An image's width and height read from its header. Wagtail reads them each time a file
    is stored (Django's ImageField refreshes width and height) by decoding the whole picture
    (Willow opens it with Pillow and loads it): 150 MB for a 50-megapixel PNG of 100 KB that
    upload_inspect and photo_strip_location handled without decoding it at all."""

    def get_image_dimensions(self):
        close = self.closed
        try:
            self.open()
            with PillowImage.open(self) as image:  # the header only
                return image.size
        finally:
            if close:
                self.close()
            else:
                self.seek(0)
