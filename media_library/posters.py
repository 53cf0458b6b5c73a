"""Poster frames and durations of videos and recordings stored locally.

A video on local storage gets a poster (a still shown before it plays, on cards and in the
player) made by ffmpeg on the worker, never in the request: the upload is answered as soon
as the file is stored, and a poster that can't be made costs nothing but the poster. The
frame is taken a tenth of the way in (at most POSTER_LATEST_SECONDS), not the first: many
videos open on black or on a fade. ffmpeg seeks before it opens the input (`-ss` before
`-i`: it jumps to the nearest keyframe instead of decoding up to there), writes one frame,
scaled down to MEDIA_POSTER_MAX_WIDTH, as a JPEG with nothing but the picture (`bitexact`:
no encoder comment, no EXIF). The poster is wagtailmedia's own `thumbnail` field, stored in
the school's storage under `media_thumbnails/`, so it is served by the same view as the video
(views.stored_file: who may not see the work gets a 404 for its poster too), and an editor
may still replace it in the Wagtail admin.

The same pass reads the duration (ffprobe) where the upload did not (the Wagtail admin's
media form, rows from before it did). On Cloudinary there is nothing to make: Cloudinary
makes the poster itself (SchoolMedia.poster_url) and the duration was read at upload.
"""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q

from .models import SchoolMedia
from .storage import CloudinaryStorage
from .validation.av_metadata import _STDERR_KEPT, av_probe, ffmpeg_path

logger = logging.getLogger(__name__)

POSTER_AT = 0.1  # of the duration
POSTER_LATEST_SECONDS = 30.0


def poster_offset(duration: float) -> float:
    """Where the poster frame is taken, in seconds: a tenth of the way in, at most
    POSTER_LATEST_SECONDS (0 when the duration is not known)."""
    return round(min(max(duration, 0.0) * POSTER_AT, POSTER_LATEST_SECONDS), 3)


def poster_frame(path: str, *, at: float) -> bytes | None:
    """A JPEG of the frame of the video at `path` at `at` seconds (or of its first frame,
    if that is past its end), at most MEDIA_POSTER_MAX_WIDTH wide, without metadata. None
    (logged) when ffmpeg makes no picture of it. A TimeoutError when ffmpeg takes longer than
    MEDIA_FFMPEG_SECONDS: the worker tries again later."""
    binary = ffmpeg_path()
    if binary is None:
        logger.error("ffmpeg is not installed: no video posters (make ffmpeg)")
        return None
    for offset in dict.fromkeys((at, 0.0)):
        data = _frame(binary, path, offset)
        if data:
            return data
    return None


def _frame(binary: str, path: str, offset: float) -> bytes | None:
    width = settings.MEDIA_POSTER_MAX_WIDTH
    with tempfile.TemporaryDirectory(prefix="poster-") as work:
        target = os.path.join(work, "poster.jpg")
        command = [
            binary, "-nostdin", "-hide_banner", "-loglevel", "error",
            "-protocol_whitelist", "file", "-ss", f"{offset:.3f}", "-i", f"file:{path}",
            "-map", "0:V:0", "-frames:v", "1",
            # Never wider than `width`, never upscaled; an even height, as encoders like.
            "-vf", f"scale=w='min({width},iw)':h=-2",
            "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
            "-c:v", "mjpeg", "-q:v", "4", "-f", "image2", "-y", f"file:{target}",
        ]  # fmt: skip
        try:
            done = subprocess.run(  # noqa: S603 (Debian's ffmpeg, arguments of our own)
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=settings.MEDIA_FFMPEG_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise TimeoutError(f"ffmpeg took too long to make a poster of {path}") from None
        if done.returncode != 0 or not os.path.exists(target) or not os.path.getsize(target):
            said = done.stderr[-_STDERR_KEPT:].decode(errors="replace")
            logger.info("ffmpeg made no poster at %ss of %s: %s", offset, path, said)
            return None
        with open(target, "rb") as poster:
            return poster.read()


def media_describe(*, media: SchoolMedia) -> SchoolMedia:
    """Give a locally stored video its poster (`thumbnail`) and a video or recording its
    duration, where it has none yet; anything else is left as it is (idempotent: run again,
    it changes nothing). A file ffmpeg can't read stays without them (logged); it is never
    an error for the upload. Stores a JPEG in the school's storage."""
    if not media.file or isinstance(media.file.storage, CloudinaryStorage):
        return media
    wants_poster = media.type == "video" and not media.thumbnail
    if not wants_poster and media.duration:
        return media
    path = media.file.path
    probe = av_probe(path)
    if probe is None:
        return media
    changed = {}
    if not media.duration and probe.duration:
        changed["duration"] = media.duration = round(probe.duration, 3)
    if wants_poster and not probe.has_video:
        logger.info("Media %s is a video without a picture: no poster", media.pk)
    elif wants_poster:
        data = poster_frame(path, at=poster_offset(probe.duration))
        if data is not None:
            stem = os.path.splitext(os.path.basename(media.file.name))[0]
            media.thumbnail.save(f"{stem}.jpg", ContentFile(data), save=False)
            changed["thumbnail"] = media.thumbnail.name
    if changed:
        # Only these fields, and a poster only if none was set meanwhile (an editor's, or a
        # second run's): the one that lost the race removes its own file.
        updated = SchoolMedia.objects.filter(pk=media.pk)
        if "thumbnail" in changed:
            updated = updated.filter(thumbnail="")
        if not updated.update(**changed) and "thumbnail" in changed:
            media.thumbnail.storage.delete(changed["thumbnail"])
            media.refresh_from_db(fields=["thumbnail", "duration"])
    return media


def media_describe_missing() -> int:
    """media_describe for each of this school's videos without a poster and media without a
    duration, on local storage (a file ffmpeg can't read is tried again each time: it costs
    one ffprobe); how many were looked at."""
    count = 0
    for media in SchoolMedia.objects.filter(Q(type="video", thumbnail="") | Q(duration=0)):
        if isinstance(media.file.storage, CloudinaryStorage):
            return 0  # one storage for the whole school
        media_describe(media=media)
        count += 1
    return count
