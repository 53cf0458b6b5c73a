"""P4: peak memory (RSS) of the app process while a 200 MB video is uploaded through it,
against the same process idle. Target: growth <= 64 MB.

The app is gunicorn with one sync worker (so "the app process" is one process) on the
production settings and the scratch database, local storage. The video is a valid MP4
(ftyp, moov with a video track, then a 200 MB mdat) written to a temporary file and sent
streamed, as a browser sends it, to the real upload view as the bench school's student.
The worker's RSS is sampled every 5 ms from another thread (psutil).

Django and the project's modules are imported inside the functions that use them: models
and services need django.setup() (scratch_database) to have run first.

    .venv/bin/python bench/upload_memory.py --fresh [--mb 200]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import struct
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
from scratch import HOST, bench_school_ensure, scratch_database

MB = 1024 * 1024


def mp4_file(path: Path, size_mb: int) -> None:
    from media_library.tests.samples import mp4

    head = mp4(padding=0)[:-8]  # without its empty mdat box
    body = size_mb * MB
    chunk = os.urandom(MB)
    with path.open("wb") as out:
        out.write(head + struct.pack(">I", 8 + body) + b"mdat")
        for _ in range(size_mb):
            out.write(chunk)


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


def upload(port: int, cookies: str, csrf: str, fields: dict, path: Path) -> tuple[int, bytes]:
    """A multipart POST whose file part is streamed from disk in 1 MB pieces."""
    boundary = secrets.token_hex(16)
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\n'
        f"Content-Type: video/mp4\r\n\r\n"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--fresh", action="store_true", help="own scratch database (not run.py)")
    args = parser.parse_args()

    with scratch_database(fresh=args.fresh), tempfile.TemporaryDirectory() as tmp:
        from django_tenants.utils import schema_context

        from media_library.models import SchoolMedia

        school, classroom, people, _page = bench_school_ensure()
        sessionid = session_cookie(school, people["student"])
        video = Path(tmp) / "big.mp4"
        mp4_file(video, args.mb)
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
            small = Path(tmp) / "small.mp4"
            mp4_file(small, 1)
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
        with schema_context(school.schema_name):
            stored = SchoolMedia.objects.get(title="Big video").file
            stored_size = stored.size
    growth = (sampler.peak - idle) / MB
    report(
        [
            Row(
                "P4",
                f"app process RSS while a {args.mb} MB video is uploaded (1 gunicorn worker)",
                f"peak {sampler.peak / MB:.0f} MB, growth {growth:.1f} MB "
                f"(upload {seconds:.1f} s, stored {stored_size / MB:.0f} MB)",
                f"idle process: {idle / MB:.0f} MB",
                "growth <= 64 MB",
                growth <= 64,
            )
        ]
    )


if __name__ == "__main__":
    main()
