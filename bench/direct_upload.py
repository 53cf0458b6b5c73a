"""P4b: the app server while a 200 MB video goes straight to Cloudinary (media_library.
direct_uploads): peak RSS of the one gunicorn worker, and the time, next to P4 (the same
video through the app). Target: growth <= 64 MB, as P4.

The bench plays the browser (static/js/upload.js): it asks the app to sign the upload,
POSTs the chunks (CLOUDINARY_CHUNK_MB, 20 MB) with X-Unique-Upload-Id and Content-Range
straight to the fake Cloudinary (media_library/testing/fake_cloudinary.py, in this process,
standing in for api.cloudinary.com), then posts Cloudinary's last answer to the app, which
checks its signature and asks the Admin API for the asset before making the work. The app
is gunicorn with one sync worker on the production settings and the scratch database,
CLOUDINARY_URL pointing at the fake. The worker's RSS is sampled every 5 ms (psutil) from
the first request to the last; the time is the whole upload's, and the app's share of it
(signing and completing).

    .venv/bin/python bench/direct_upload.py --fresh [--mb 200]
"""

from __future__ import annotations

import argparse
import re
import secrets
import tempfile
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
from upload_memory import MB, RssSampler, video_file


def browser_upload(port: int, cookies: dict, csrf: str, fields: dict, path: Path) -> tuple:
    """Sign, chunks to Cloudinary, complete: (status of the completion, its body, seconds
    spent in the app's two requests)."""
    app = f"http://127.0.0.1:{port}"
    headers = {"Host": HOST, "X-CSRFToken": csrf, "X-Requested-With": "XMLHttpRequest"}
    size = path.stat().st_size
    started = time.perf_counter()
    signing = requests.post(
        f"{app}/upload/direct/",
        data={**fields, "kind": "video", "filename": path.name, "size": size},
        headers=headers,
        cookies=cookies,
        timeout=60,
    )
    app_seconds = time.perf_counter() - started
    if signing.status_code != 201:
        raise SystemExit(f"P4b: signing answered {signing.status_code}: {signing.text[:300]}")
    signed = signing.json()
    upload_id, answer = secrets.token_hex(8), {}
    form = {**signed["params"], "api_key": signed["api_key"], "signature": signed["signature"]}
    with path.open("rb") as data:
        start = 0
        while chunk := data.read(signed["chunk_bytes"]):
            answer = requests.post(
                signed["upload_url"],
                data=form,
                files={"file": (path.name, chunk)},
                headers={
                    "X-Unique-Upload-Id": upload_id,
                    "Content-Range": f"bytes {start}-{start + len(chunk) - 1}/{size}",
                },
                timeout=600,
            ).json()
            start += len(chunk)
    started = time.perf_counter()
    done = requests.post(
        f"{app}{signed['complete_url']}",
        json={"response": answer},
        headers=headers,
        cookies=cookies,
        timeout=600,
    )
    return done.status_code, done.text, app_seconds + time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--fresh", action="store_true", help="own scratch database (not run.py)")
    args = parser.parse_args()

    from media_library.testing.fake_cloudinary import FakeCloudinary

    with (
        scratch_database(fresh=args.fresh),
        tempfile.TemporaryDirectory() as tmp,
        FakeCloudinary() as fake,
    ):
        school, classroom, people, _page = bench_school_ensure()
        sessionid = session_cookie(school, people["student"])
        video, small = Path(tmp) / "big.mov", Path(tmp) / "small.mov"
        video_file(video, args.mb)
        video_file(small, 1)
        port = free_port()
        env = production_environment(port)
        env.update(
            CLOUDINARY_URL=fake.cloudinary_url,
            CLOUDINARY_DIRECT_UPLOADS="True",
            CLOUDINARY_CHUNK_MB="20",
        )
        collectstatic(env)
        with gunicorn("mediahub.wsgi:application", env, workers=1, port=port) as (_, master):
            [worker] = psutil.Process(master.pid).children()
            page = requests.get(
                f"http://127.0.0.1:{port}/upload/",
                headers={"Host": HOST, "Cookie": f"sessionid={sessionid}"},
                timeout=60,
            )
            if "data-direct-url" not in page.text:
                raise SystemExit("P4b: the upload page offers no direct upload.")
            csrf = page.cookies.get("csrftoken") or re.search(
                r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text
            ).group(1)
            cookies = {"sessionid": sessionid, "csrftoken": csrf}
            fields = {"title": "Bench video", "classroom": classroom.pk, "visibility": "class"}
            status, body, _ = browser_upload(port, cookies, csrf, fields, small)  # warm-up
            if status != 201:
                raise SystemExit(f"P4b: the warm-up upload answered {status}: {body[:300]}")
            time.sleep(0.5)
            idle = worker.memory_info().rss
            sampler = RssSampler(worker.pid)
            sampler.start()
            start = time.perf_counter()
            fields["title"] = "Big video"
            status, body, app_seconds = browser_upload(port, cookies, csrf, fields, video)
            seconds = time.perf_counter() - start
            sampler.stop.set()
            sampler.join()
            if status != 201:
                raise SystemExit(f"P4b: the upload answered {status}: {body[:300]}")
        stored = max(len(asset.data) for asset in fake.stored.values())
    growth = (sampler.peak - idle) / MB
    report(
        [
            Row(
                "P4b",
                f"app process RSS while a {args.mb} MB video goes straight to Cloudinary "
                "(1 gunicorn worker; fake Cloudinary on loopback)",
                f"peak {sampler.peak / MB:.0f} MB, growth {growth:.1f} MB (upload "
                f"{seconds:.1f} s, of which the app {app_seconds:.2f} s; stored "
                f"{stored / MB:.0f} MB)",
                f"idle process: {idle / MB:.0f} MB; P4 (the same video through the app): "
                "see the P4 row",
                "growth <= 64 MB",
                growth <= 64,
            )
        ]
    )


if __name__ == "__main__":
    main()
