"""The demo's files, made at seed time (nothing is downloaded, nothing large is kept in the
repository): a second of video and a few seconds of sound by ffmpeg (which `make run`
installs: every stored video and recording goes through it), and a one-page PDF."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

_PICTURE = ["-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=15"]
_TONE = ["-f", "lavfi", "-i", "sine=frequency=523:duration=2"]
# name -> (file name, MIME type, ffmpeg's arguments after its inputs)
_RECORDINGS = {
    "video": ("film.mp4", "video/mp4", [*_PICTURE, *_TONE, "-c:v", "libx264", "-preset",
              "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-f", "mp4"]),
    "audio": ("song.m4a", "audio/mp4", [*_TONE, "-c:a", "aac", "-f", "ipod"]),
}  # fmt: skip


def _ffmpeg(arguments: list[str]) -> bytes:
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "out"
        subprocess.run(  # noqa: S603 (fixed arguments, no input of anyone's)
            ["ffmpeg", "-nostdin", "-v", "error", *arguments, "-y", str(out)],  # noqa: S607
            check=True,
        )
        return out.read_bytes()


def _pdf(text: str) -> bytes:
    """A one-page PDF that says `text` (written out with a correct cross-reference table)."""
    content = b"BT /F1 28 Tf 72 700 Td (%s) Tj ET" % text.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def demo_file(kind: str, *, title: str) -> SimpleUploadedFile:
    """A small file of `kind` ("video", "audio" or "pdf"), as an upload."""
    if kind == "pdf":
        return SimpleUploadedFile("notes.pdf", _pdf(title), content_type="application/pdf")
    name, mime, arguments = _RECORDINGS[kind]
    return SimpleUploadedFile(name, _ffmpeg(arguments), content_type=mime)
