"""System checks (`manage.py check`, and at every start): what the media library needs from the
machine it runs on."""

from django.core import checks

from .validation.av_metadata import ffmpeg_path


@checks.register()
def ffmpeg_installed(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Without ffmpeg, no video or recording can be stored: each would keep where it was
    recorded, so each is refused instead (validation/av_metadata.py). Said at start, not at
    the first upload."""
    if ffmpeg_path() is not None:
        return []
    return [
        checks.Error(
            "ffmpeg is not installed: every video and audio upload will be refused.",
            hint="Install Debian's ffmpeg: `make ffmpeg` (apt-get install ffmpeg).",
            id="media_library.E001",
        )
    ]
