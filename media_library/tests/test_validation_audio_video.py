"""Upload validation of video and audio (validation/audio_video.py): each container told
apart by its bytes (an MP4 or WebM holding only sound is audio), the ones browsers don't play
refused by name, and cut-off containers refused as damaged. No database needed."""

import pytest

from media_library.tests import samples
from media_library.tests.validation_helpers import (
    assert_accepted,
    assert_every_refusal_says_what_to_upload_instead,
    refusal,
)
from media_library.validation import ERROR_CORRUPT, ERROR_TYPE_REFUSED, ERROR_TYPE_UNKNOWN

ACCEPTED = [
    ("mp4", samples.mp4, "video", "video/mp4", "mp4"),
    ("mp4-no-tracks", lambda: samples.mp4(handler=None), "video", "video/mp4", "mp4"),
    ("mov", samples.mov, "video", "video/quicktime", "mov"),
    ("webm", samples.webm, "video", "video/webm", "webm"),
    ("m4a", samples.m4a, "audio", "audio/mp4", "m4a"),
    ("mp4-audio-only", lambda: samples.mp4(handler=b"soun"), "audio", "audio/mp4", "m4a"),
    ("webm-audio-only", lambda: samples.webm(audio_only=True), "audio", "audio/webm", "webm"),
    ("mp3-id3", samples.mp3, "audio", "audio/mpeg", "mp3"),
    ("mp3-bare", lambda: samples.mp3(id3=False), "audio", "audio/mpeg", "mp3"),
    ("ogg-vorbis", samples.ogg, "audio", "audio/ogg", "ogg"),
    ("ogg-opus", lambda: samples.ogg("opus"), "audio", "audio/ogg", "ogg"),
    ("wav", samples.wav, "audio", "audio/wav", "wav"),
]


@pytest.mark.parametrize(
    ("make", "kind", "mime_type", "extension"),
    [case[1:] for case in ACCEPTED],
    ids=[case[0] for case in ACCEPTED],
)
def test_accepted_types_by_their_bytes(make, kind, mime_type, extension):
    assert_accepted(make(), kind, mime_type, extension)


REFUSED = [
    ("mkv", samples.mkv, ERROR_TYPE_REFUSED.format(what="Matroska (MKV) videos")),
    ("ogg-theora", lambda: samples.ogg("theora+vorbis"), "Ogg videos (Theora) can't be uploaded"),
    # Starts like an MP3 frame, but no second frame follows where the first one ends.
    ("fake-mp3-sync", lambda: b"\xff\xfb\x90\x64" + b"\x01" * 2000, str(ERROR_TYPE_UNKNOWN)),
]


@pytest.mark.parametrize(
    ("make", "message"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED]
)
def test_refused_types_say_why(make, message):
    assert message in refusal(make())


def test_every_refusal_says_what_to_upload_instead():
    assert_every_refusal_says_what_to_upload_instead(REFUSED)


CORRUPT = [
    ("truncated-mp4", lambda: samples.mp4()[:-10], "MP4"),
    ("mp4-without-moov", lambda: samples.mp4()[:32], "MP4"),
    ("mp3-id3-without-frames", lambda: samples.mp3()[:40], "MP3"),
    ("wav-without-data", lambda: samples.wav()[:36], "WAV"),
]


@pytest.mark.parametrize(
    ("make", "what"), [case[1:] for case in CORRUPT], ids=[case[0] for case in CORRUPT]
)
def test_damaged_files_are_refused_as_corrupt(make, what):
    assert refusal(make()) == ERROR_CORRUPT.format(what=what)
