"""Real videos and recordings made by ffmpeg (a second of test picture and tone), tagged the way
phones tag them: where they were recorded, the phone's make and model, when. And ffprobe, to
read back what a stored copy holds. (samples.py builds containers byte by byte, for the byte
checks; these are whole files, for what ffmpeg does with them.)"""

from __future__ import annotations

import functools
import json
import subprocess
import tempfile
from pathlib import Path

LOCATION = "+01.2921+036.8219/"  # Nairobi, as phones write it (ISO 6709)
COORDINATE = b"036.8219"  # in any tag or atom that still held the location
MAKE, MODEL = "Apple", "iPhone 15 Pro"
RECORDED = "2026-03-04T05:06:07.000000Z"
# What a tag's key or value gives away; none of these may be left in a stored copy.
TELLING = ("location", "gps", "xyz", "make", "model", "creation_time", "date", "iphone", "apple")

_PICTURE = ["-f", "lavfi", "-i", "testsrc=duration=1:size=64x48:rate=10"]
_TONE = ["-f", "lavfi", "-i", "sine=frequency=440:duration=1"]
_TAGS = [
    *("-metadata", f"location={LOCATION}"),
    *("-metadata", f"location-eng={LOCATION}"),
    *("-metadata", f"com.apple.quicktime.location.ISO6709={LOCATION}"),
    *("-metadata", f"make={MAKE}", "-metadata", f"model={MODEL}"),
    *("-metadata", f"com.apple.quicktime.make={MAKE}"),
    *("-metadata", f"com.apple.quicktime.model={MODEL}"),
    *("-metadata", f"creation_time={RECORDED}", "-metadata", "date=2026-03-04"),
    *("-metadata", f"comment=Recorded at {LOCATION} on {MODEL}"),
    *("-metadata:s:a", f"location={LOCATION}"),
]
_QUICKTIME = ["-movflags", "use_metadata_tags"]  # Apple's own keys, as an iPhone writes them
_VIDEO_HANDLER = ["-metadata:s:v", f"handler_name=Core Media Video {MODEL}"]
_H264_AAC = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"]

# name -> (file name, ffmpeg's arguments after the inputs' tags, kind, MIME type)
RECORDINGS = {
    "mp4": ("clip.mp4", [*_PICTURE, *_TONE, *_H264_AAC, *_VIDEO_HANDLER, *_QUICKTIME, "-f", "mp4"],
            "video", "video/mp4"),
    "mov": ("clip.mov", [*_PICTURE, *_TONE, *_H264_AAC, *_VIDEO_HANDLER, *_QUICKTIME, "-f", "mov"],
            "video", "video/quicktime"),
    "m4a": ("memo.m4a", [*_TONE, "-c:a", "aac", *_QUICKTIME, "-f", "ipod"], "audio", "audio/mp4"),
    "webm": ("clip.webm", [*_PICTURE, *_TONE, "-c:v", "libvpx", "-deadline", "realtime",
                           "-c:a", "libopus", "-f", "webm"], "video", "video/webm"),
    "mp3": ("song.mp3", [*_TONE, "-c:a", "libmp3lame", "-write_id3v1", "1", "-f", "mp3"],
            "audio", "audio/mpeg"),
    "ogg": ("song.ogg", [*_TONE, "-c:a", "libvorbis", "-f", "ogg"], "audio", "audio/ogg"),
    "wav": ("memo.wav", [*_TONE, "-c:a", "pcm_s16le", "-f", "wav"], "audio", "audio/wav"),
}  # fmt: skip


@functools.cache
def recording(name: str) -> bytes:
    """The tagged file of RECORDINGS[name], made once per test session."""
    _file_name, arguments, _kind, _mime = RECORDINGS[name]
    inputs_end = max(i for i, arg in enumerate(arguments) if arg == "-i") + 2
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "out"
        subprocess.run(  # noqa: S603 (the test's own arguments)
            ["ffmpeg", "-nostdin", "-v", "error", *arguments[:inputs_end], *_TAGS,
             *arguments[inputs_end:], "-shortest", "-y", str(path)],
            check=True,
        )  # fmt: skip
        return path.read_bytes()


def probe(path: Path | str) -> dict:
    """What ffprobe reads in a file: its format and streams, with their tags."""
    done = subprocess.run(  # noqa: S603
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        check=True,
        capture_output=True,
    )
    return json.loads(done.stdout)


def probe_bytes(data: bytes) -> dict:
    with tempfile.NamedTemporaryFile() as file:
        file.write(data)
        file.flush()
        return probe(file.name)


def telling_tags(probed: dict) -> list[str]:
    """Every tag of the format or a stream whose key or value gives away where, on what or
    when it was recorded."""
    found = []
    for where, tags in [("format", probed["format"].get("tags", {}))] + [
        (f"stream {stream['index']}", stream.get("tags", {})) for stream in probed["streams"]
    ]:
        for key, value in tags.items():
            text = f"{key}={value}".lower()
            if any(word in text for word in TELLING) or LOCATION in value:
                found.append(f"{where}: {key}={value}")
    return found


def streams(probed: dict) -> list[tuple[str, str]]:
    """The kind and codec of each stream, in order."""
    return [(stream["codec_type"], stream["codec_name"]) for stream in probed["streams"]]


def duration(probed: dict) -> float:
    return float(probed["format"]["duration"])
