"""Removing location and device from videos and recordings before they are stored.

A phone records where a video was filmed, and often where a voice memo was recorded, in the
file's tags: `location` (the "©xyz" atom of MP4 and MOV), Apple's
`com.apple.quicktime.location.ISO6709` and its accuracy, the phone's make and model, the
moment of recording, the software that wrote it; MP3 has ID3 tags, WAV its LIST/INFO chunk,
Ogg and WebM their comments and tags. Some phones and action cameras also record a track of
positions alongside the picture (Apple's timed metadata, GoPro's GPMF). A student's video of
their street would say where they live, as a photo would (metadata.py).

Every video and recording is therefore remuxed by ffmpeg (Debian's, installed by `make
ffmpeg`) before it is stored: the audio and video streams are copied as they are (`-c copy`,
no re-encoding, so nothing is lost and it costs little more than a copy of the file), and
nothing else is: no global or per-stream tags (`-map_metadata -1`), no chapters, no data or
subtitle tracks, no cover pictures (`0:V` is video that is not an attached picture; a cover
is a JPEG with its own EXIF), and no date, encoder or vendor written anew (`bitexact`). The
streams' own side data, such as a phone video's display rotation, are not tags and stay.

ffmpeg reads the upload where it already is, a temporary file (upload_handlers.py), and writes
a new temporary file next to it, which then replaces the upload's content: the file is never
read into the app's memory. It runs in a process of its own with a time limit, reading only
the container the byte checks identified (its demuxer is named, never guessed) from a local
file (`-protocol_whitelist file`). A file it cannot remux, though it passed the byte checks,
is refused as damaged, and nothing of it is stored.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import subprocess
import tempfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .formats import M4A, MOV, MP3, MP4, OGG, WAV, WEBM, WEBM_AUDIO, FileType
from .messages import corrupt

logger = logging.getLogger(__name__)

FFMPEG = "ffmpeg"
FFPROBE = "ffprobe"
ERROR_AV_UNAVAILABLE = _(
    "Videos and audio can't be uploaded right now. Try again later, or tell your teacher."
)
CHUNK_BYTES = 1024 * 1024
_STDERR_KEPT = 2000  # of ffmpeg's messages, in the log of a refused file

# Per format: ffmpeg's demuxer for the upload, its muxer for the copy, and the muxer's options.
_FASTSTART = ("-movflags", "+faststart")  # the index first: playback starts while it loads
_FORMATS: dict[FileType, tuple[str, str, tuple[str, ...]]] = {
    MP4: ("mov", "mp4", _FASTSTART),
    MOV: ("mov", "mov", _FASTSTART),
    M4A: ("mov", "ipod", _FASTSTART),  # ffmpeg's name for M4A
    WEBM: ("matroska", "webm", ()),
    WEBM_AUDIO: ("matroska", "webm", ()),
    MP3: ("mp3", "mp3", ("-id3v2_version", "0", "-write_id3v1", "0")),  # no ID3 tags at all
    OGG: ("ogg", "ogg", ()),
    WAV: ("wav", "wav", ("-write_bext", "0")),
}
_BY_MIME_TYPE = {file_type.mime_type: file_type for file_type in _FORMATS}


def av_strip_metadata(file, mime_type: str) -> int:
    """Replace the content of `file` (a Django File or UploadedFile holding a video or
    recording of `mime_type`, already accepted by validation.upload_inspect) by a copy with
    the same streams and no tags, chapters or other tracks (a named temporary file: its
    `file.file.name` is its path); return its new size. A file ffmpeg
    cannot remux raises ValidationError (corrupt), and a server without ffmpeg one saying
    uploads of this kind are unavailable; `file` is unchanged then."""
    file_type = _BY_MIME_TYPE[mime_type]
    demuxer, muxer, options = _FORMATS[file_type]
    directory = _temporary_directory(file)
    with tempfile.TemporaryDirectory(dir=directory, prefix="remux-") as work:
        source = _on_disk(file, work)
        output = tempfile.NamedTemporaryFile(dir=directory, suffix=".upload")  # noqa: SIM115
        try:
            _remux(source, output.name, demuxer=demuxer, muxer=muxer, options=options)
        except ValidationError as error:
            output.close()  # deletes it
            if error.code == "corrupt":
                raise corrupt(file_type) from None
            raise
        except BaseException:
            output.close()
            raise
    old = file.file
    file.file = output  # deleted when the upload is closed, as the original would have been
    old.close()  # a temporary upload deletes itself
    size = os.fstat(output.fileno()).st_size
    file.size = size
    file.seek(0)
    return size


def ffmpeg_path() -> str | None:
    """Where ffmpeg is, or None if it is not installed (checks.py reports that)."""
    return shutil.which(FFMPEG)


def _temporary_directory(file) -> str:
    if hasattr(file, "temporary_file_path"):
        return os.path.dirname(file.temporary_file_path())
    return settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir()


def _on_disk(file, work: str) -> str:
    """The path of the upload's bytes: its own temporary file, or (an upload held in memory,
    or any other File) a copy written in chunks to `work`."""
    if hasattr(file, "temporary_file_path"):
        file.file.flush()
        return file.temporary_file_path()
    path = os.path.join(work, "source")
    file.seek(0)
    with open(path, "wb") as copy:
        for chunk in iter(lambda: file.read(CHUNK_BYTES), b""):
            copy.write(chunk)
    file.seek(0)
    return path


def _remux(source: str, target: str, *, demuxer: str, muxer: str, options) -> None:
    binary = ffmpeg_path()
    if binary is None:
        logger.error("ffmpeg is not installed: videos and audio can't be stored (make ffmpeg)")
        raise ValidationError(ERROR_AV_UNAVAILABLE, code="unavailable")
    # A "file:" path is never read as another protocol, whatever its name.
    command = [
        binary, "-nostdin", "-hide_banner", "-loglevel", "error",
        "-protocol_whitelist", "file", "-f", demuxer, "-i", f"file:{source}",
        "-map", "0:V?", "-map", "0:a?", "-map_metadata", "-1", "-map_chapters", "-1",
        "-c", "copy",
        "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
        *options, "-f", muxer, "-y", f"file:{target}",
    ]  # fmt: skip
    seconds = settings.MEDIA_FFMPEG_SECONDS
    with tempfile.TemporaryFile() as messages:  # on disk: a broken file can make ffmpeg talk
        try:
            done = subprocess.run(  # noqa: S603 (Debian's ffmpeg, arguments of our own, no shell)
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=messages,
                timeout=seconds,
                check=False,
            )
        except subprocess.TimeoutExpired:  # run() has killed it
            logger.warning("ffmpeg took over %s s to remux an upload: refused", seconds)
            raise ValidationError("timeout", code="corrupt") from None
        if done.returncode != 0 or os.path.getsize(target) == 0:
            messages.seek(max(messages.seek(0, os.SEEK_END) - _STDERR_KEPT, 0))
            said = messages.read().decode(errors="replace")
            logger.info("ffmpeg could not remux an upload (%s): %s", done.returncode, said)
            raise ValidationError("remux failed", code="corrupt")


@dataclasses.dataclass(frozen=True)
class AvProbe:
    """What ffprobe reads of a stored video or recording."""

    duration: float  # seconds; 0 when the container does not say
    has_video: bool  # a picture stream that is not a cover (attached picture)


def av_probe(path: str) -> AvProbe | None:
    """The duration and streams of the local file at `path` (ffprobe, in a process of its own
    with MEDIA_FFMPEG_SECONDS, reading the file only); None when ffprobe is missing or cannot
    read it (logged: the caller goes on without)."""
    binary = shutil.which(FFPROBE)
    if binary is None:
        logger.error("ffprobe is not installed: no durations or posters (make ffmpeg)")
        return None
    command = [
        binary, "-v", "error", "-protocol_whitelist", "file",
        "-show_entries", "format=duration:stream=codec_type:stream_disposition=attached_pic",
        "-of", "json", f"file:{path}",
    ]  # fmt: skip
    try:
        done = subprocess.run(  # noqa: S603 (Debian's ffprobe, arguments of our own, no shell)
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=settings.MEDIA_FFMPEG_SECONDS,
            check=False,
        )
        answer = json.loads(done.stdout or b"{}")
    except (subprocess.TimeoutExpired, ValueError) as error:
        logger.warning("ffprobe could not read %s: %s", path, error)
        return None
    if done.returncode != 0:
        logger.warning("ffprobe could not read %s: %s", path, done.stderr[-_STDERR_KEPT:])
        return None
    try:
        duration = max(float(answer.get("format", {}).get("duration", 0)), 0.0)
    except (TypeError, ValueError):
        duration = 0.0
    has_video = any(
        stream.get("codec_type") == "video"
        and not stream.get("disposition", {}).get("attached_pic")
        for stream in answer.get("streams", [])
    )
    return AvProbe(duration=duration, has_video=has_video)
