from django.apps import AppConfig


class MediaLibraryConfig(AppConfig):
    name = "media_library"
    verbose_name = "Media library"

    def ready(self):
        from django.conf import settings
        from PIL import Image
        from pillow_heif import register_heif_opener

        # Phones take HEIC photos; and Pillow's decompression-bomb guard, which Wagtail's
        # local renditions rely on too, follows the school's pixel limit.
        register_heif_opener()
        Image.MAX_IMAGE_PIXELS = settings.MEDIA_MAX_IMAGE_PIXELS
