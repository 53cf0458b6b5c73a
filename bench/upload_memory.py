"""P4: peak memory (RSS) of the app process while a 200 MB video is uploaded through it,
against the same process idle. Target: growth <= 64 MB.

And a photo of 49 megapixels in 160 KB (one colour, 7000 x 7000: 147 MB decoded): its check
and storing (services.media_upload: upload_inspect, photo_strip_location, the stored file and
page) in this process, against decoding it and writing it again as photo_strip_location did
before, in the same process (peak RSS growth of each, exact: the kernel's high-water mark,
reset before each). Target: growth <= 64 MB. Then the same photo through the real upload
view in the gunicorn worker, whose answer renders the work's card and so its 400x300
thumbnail (a rendition decodes the picture): no target, for what it shows.

The app is gunicorn with one sync worker (so "the app process" is one process) on the
production settings and the scratch database, local storage. The video is a real MOV made by
ffmpeg (uncompressed frames of its test picture, so its size is exact and making it costs no
encoding) written to a temporary file and sent streamed, as a browser sends it, to the real
upload view as the bench school's student. The upload's time includes ffmpeg's copy of it
without its tags (media_library/validation/av_metadata.py), in a process of its own: the
worker's memory shows the upload is never read whole to do it.
The worker's RSS is sampled every 5 ms from another thread (psutil).

Django and the project's modules are imported inside the functions that use them: models
and services need django.setup() (scratch_database) to have run first.

    .venv/bin/python bench/upload_memory.py --fresh [--mb 200]
"""

from __future__ import annotations

import argparse
import http.client
import io
import re
import secrets
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import psutil
import requests
from harness import (
    Row,
    collectstatic,
    free_port,
    gunicorn,
    production_environment,
    report,
    session_cookie,
)
from PIL import Image
from scratch import HOST, bench_school_ensure, scratch_database

MB = 1024 * 1024


FRAME_BYTES = 640 * 480 * 2  # an uncompressed 640x480 frame (uyvy422)


def video_file(path: Path, size_mb: int) -> None:
    """A MOV of about `size_mb` MB that ffmpeg can copy (every stored video is copied)."""
    frames = max(1, size_mb * MB // FRAME_BYTES)
    subprocess.run(  # noqa: S603, S607 (Debian's ffmpeg, our own arguments)
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi",
         "-i", "testsrc=size=640x480:rate=25", "-frames:v", str(frames),
         "-c:v", "rawvideo", "-pix_fmt", "uyvy422", "-f", "mov", str(path)],
        check=True,
    )  # fmt: skip


class RssSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)

        self.process = psutil.Process(pid)
        self.peak = 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.005)


def upload(
    port: int,
    cookies: str,
    csrf: str,
    fields: dict,
    path: Path,
    filename: str = "big.mov",
    content_type: str = "video/quicktime",
) -> tuple[int, bytes]:
    """A multipart POST whose file part is streamed from disk in 1 MB pieces."""
    boundary = secrets.token_hex(16)
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.putrequest("POST", "/upload/", skip_host=True)
    for header, value in {
        "Host": HOST,
        "Cookie": cookies,
        "X-CSRFToken": csrf,
        "Accept": "application/json",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(len(head) + path.stat().st_size + len(tail)),
    }.items():
        connection.putheader(header, value)
    connection.endheaders()
    connection.send(head)
    with path.open("rb") as data:
        while chunk := data.read(MB):
            connection.send(chunk)
    connection.send(tail)
    response = connection.getresponse()
    return response.status, response.read()


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {key} in /proc/self/status")


def peak_growth_mb(work) -> float:
    """How far this process's RSS rose above where it was while `work()` ran: the kernel's
    high-water mark (VmHWM), reset to the current RSS first (clear_refs, Linux 4.0 on)."""
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_mb("VmRSS:")
    work()
    return _status_mb("VmHWM:") - before


def flat_png_check_and_store(school, classroom, student) -> tuple[float, float, float]:
    """Growth checking and storing the 49 MP PNG, decoding and re-encoding it, and making
    the 400x300 thumbnail its card shows (Wagtail's rendition) from the stored photo."""
    from django_tenants.utils import schema_context

    from media_library import services
    from media_library.tests.samples import flat_png, png, uploaded

    data = flat_png(7000, 7000)

    def store(photo: bytes, title: str):
        return lambda: services.media_upload(
            classroom=classroom,
            uploaded_by=student,
            file=uploaded(photo, "flat.png", "image/png"),
            title=title,
        )

    def decode_and_encode():
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image.save(io.BytesIO(), "PNG")

    with schema_context(school.schema_name):
        store(png(), "Bench warm-up photo")()  # modules loaded, connections open
        pages = []
        stored = peak_growth_mb(lambda: pages.append(store(data, "Bench flat photo")()))
        image = pages[0].image
        thumbnail = peak_growth_mb(lambda: image.get_rendition("fill-400x300"))
    decoded = peak_growth_mb(decode_and_encode)
    return stored, decoded, thumbnail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--fresh", action="store_true", help="own scratch database (not run.py)")
    args = parser.parse_args()

    with scratch_database(fresh=args.fresh), tempfile.TemporaryDirectory() as tmp:
        from django_tenants.utils import schema_context

        from media_library.models import SchoolMedia
        from media_library.tests.samples import flat_png

        school, classroom, people, _page = bench_school_ensure()
        sessionid = session_cookie(school, people["student"])
        video = Path(tmp) / "big.mov"
        video_file(video, args.mb)
        port = free_port()
        env = production_environment(port)
        collectstatic(env)
        with gunicorn("mediahub.wsgi:application", env, workers=1, port=port) as (_, master):
            [worker] = psutil.Process(master.pid).children()
            page = requests.get(
                f"http://127.0.0.1:{port}/upload/",
                headers={"Host": HOST, "Cookie": f"sessionid={sessionid}"},
                timeout=60,
            )
            csrf = page.cookies.get("csrftoken") or re.search(
                r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text
            ).group(1)
            cookies = f"sessionid={sessionid}; csrftoken={csrf}"
            fields = {"title": "Bench video", "classroom": classroom.pk, "visibility": "class"}
            small = Path(tmp) / "small.mov"
            video_file(small, 1)
            status, body = upload(port, cookies, csrf, fields, small)  # warm: modules loaded
            if status != 201:
                raise SystemExit(f"P4: the warm-up upload answered {status}: {body[:300]!r}")
            time.sleep(0.5)
            idle = worker.memory_info().rss
            sampler = RssSampler(worker.pid)
            sampler.start()
            start = time.perf_counter()
            status, body = upload(port, cookies, csrf, {**fields, "title": "Big video"}, video)
            seconds = time.perf_counter() - start
            sampler.stop.set()
            sampler.join()
            if status != 201:
                raise SystemExit(f"P4: the upload answered {status}: {body[:300]!r}")
            flat = Path(tmp) / "flat.png"
            flat.write_bytes(flat_png(7000, 7000))
            time.sleep(0.5)
            photo_idle = worker.memory_info().rss
            photo_sampler = RssSampler(worker.pid)
            photo_sampler.start()
            status, body = upload(
                port,
                cookies,
                csrf,
                {**fields, "title": "Flat photo"},
                flat,
                "flat.png",
                "image/png",
            )
            photo_sampler.stop.set()
            photo_sampler.join()
            if status != 201:
                raise SystemExit(f"P4: the photo upload answered {status}: {body[:300]!r}")
        with schema_context(school.schema_name):
            stored = SchoolMedia.objects.get(title="Big video").file
            stored_size = stored.size
        photo_growth, decoded, thumbnail = flat_png_check_and_store(
            school, classroom, people["student"]
        )
    growth = (sampler.peak - idle) / MB
    photo_view_growth = (photo_sampler.peak - photo_idle) / MB
    report(
        [
            Row(
                "P4",
                "RSS growth checking and storing a 49-megapixel PNG of 160 KB (media_upload)",
                f"{photo_growth:.1f} MB ({photo_growth / decoded:.0%} of the baseline)",
                f"decoding and re-encoding it (as before): {decoded:.0f} MB",
                "growth <= 64 MB",
                photo_growth <= 64,
            ),
            Row(
                "P4",
                "worker RSS growth uploading that PNG through the upload view (1 gunicorn worker)",
                f"{photo_view_growth:.0f} MB: the answer renders the work's card, whose "
                f"fill-400x300 thumbnail alone takes {thumbnail:.0f} MB (in this process): "
                "Wagtail's rendition decodes the picture",
                f"idle worker: {photo_idle / MB:.0f} MB",
                "-",
                None,
            ),
            Row(
                "P4",
                f"app process RSS while a {args.mb} MB video is uploaded (1 gunicorn worker)",
                f"peak {sampler.peak / MB:.0f} MB, growth {growth:.1f} MB "
                f"(upload {seconds:.1f} s, stored {stored_size / MB:.0f} MB)",
                f"idle process: {idle / MB:.0f} MB",
                "growth <= 64 MB",
                growth <= 64,
            ),
        ]
    )


if __name__ == "__main__":
    main()
