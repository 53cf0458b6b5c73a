"""What a player needs of a video or recording beyond its file: the poster shown before it
plays, the sources a browser picks from, and the duration as people read it.

Local storage: the poster is the JPEG the worker made (posters.py), linked through the same
permission-checked view as the video itself; the video is one source, the stored file.

Cloudinary: the poster is a frame Cloudinary picks itself (`so_auto`), unless an editor
uploaded one. The video is delivered in the format and quality that suit the browser asking
(`f_auto`, `q_auto`) and never wider than CLOUDINARY_VIDEO_MAX_WIDTH (`c_limit`): a phone
on a school's slow link gets a 720p WebM or MP4, not a 4K original. With
CLOUDINARY_VIDEO_STREAMING_PROFILE, public work is offered as adaptive HLS too (`sp_<profile>`,
`.m3u8`), listed first: Safari and iOS play it natively, other browsers skip a type they can't
play and take the MP4 (no hls.js: nothing is loaded from a CDN). HLS is for permanent links
only: a manifest names its segments, other paths that an expiring token (signed for one
path) would not open. Where a link can't carry a transformation (private download URLs,
media_library.delivery), the original file and no Cloudinary poster.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import ngettext

from .storage import CloudinaryStorage

HLS_TYPE = "application/vnd.apple.mpegurl"


@dataclass(frozen=True)
class Source:
    url: str
    type: str = ""  # empty: the browser finds out (f_auto may answer WebM or MP4)


def _link(media, name: str, **transformation) -> str | None:
    storage = media.file.storage
    if not isinstance(storage, CloudinaryStorage):
        return storage.url(name)
    return storage.delivery_url(name, permanent=media.publicly_shown, **transformation)


def poster_url(media) -> str | None:
    """The still shown before `media` (a SchoolMedia) plays: its thumbnail (the worker's
    poster, or an editor's upload), else Cloudinary's own frame; None for audio, and for a
    video with neither yet (the templates show a neutral placeholder)."""
    if media.type != "video" or not media.file:
        return None
    if media.thumbnail:
        return _link(media, media.thumbnail.name)
    if not isinstance(media.file.storage, CloudinaryStorage):
        return None
    return _link(
        media,
        media.file.name,
        resource_type="video",
        format="jpg",
        transformation=[{"start_offset": "auto"}],
    )


def video_sources(media) -> list[Source]:
    """The <source>s of a video, in the order the browser tries them."""
    storage = media.file.storage
    if not isinstance(storage, CloudinaryStorage):
        return [Source(media.file.url)]
    limit = {"width": settings.CLOUDINARY_VIDEO_MAX_WIDTH, "crop": "limit"}
    sources = []
    profile = settings.CLOUDINARY_VIDEO_STREAMING_PROFILE
    if profile and media.publicly_shown:
        hls = _link(
            media, media.file.name, format="m3u8", transformation=[{"streaming_profile": profile}]
        )
        sources.append(Source(hls, HLS_TYPE))
    mp4 = _link(
        media,
        media.file.name,
        format="mp4",
        transformation=[{**limit, "quality": "auto", "fetch_format": "auto"}],
    )
    # A private download URL can't carry transformations: the original, as stored.
    sources.append(Source(mp4 or _link(media, media.file.name)))
    return sources


def duration_clock(seconds: float | None) -> str:
    """A duration as a clock: m:ss, or h:mm:ss from an hour; empty when not known."""
    if not seconds or seconds < 0:
        return ""
    total = int(seconds + 0.5)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def duration_words(seconds: float | None) -> str:
    """The same for a screen reader: "1 hour 2 minutes 5 seconds"."""
    if not seconds or seconds < 0:
        return ""
    total = int(seconds + 0.5)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    words = [
        ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours} if hours else "",
        ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes} if minutes else "",
        ngettext("%(n)d second", "%(n)d seconds", secs) % {"n": secs} if secs else "",
    ]
    return " ".join(word for word in words if word) or ngettext(
        "%(n)d second", "%(n)d seconds", 0
    ) % {"n": 0}
