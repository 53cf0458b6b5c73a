"""P5: image work on the server.

- On Cloudinary (the fake Cloudinary API of media_library/testing, through the real SDK):
  image decodes on the server (calls of PIL.Image.open) and downloads from Cloudinary while
  rendering a class gallery (the class page, 3 pages of cards) and a teacher's GalleryPage,
  each of 50 pictures. Target: 0 decodes.
- Locally: time and peak memory (RSS growth, sampled every 5 ms) of one 12-megapixel
  thumbnail rendition (fill-400x300 of a 4000x3000 JPEG). Target: <= 300 ms, <= 200 MB.
  Run in a process of its own (`--local`), so nothing else's memory counts.

Django and the project's modules are imported inside the functions that use them: models
and services need django.setup() (scratch_database) to have run first.

    .venv/bin/python bench/images.py --fresh
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time

import psutil
from harness import Row, report
from PIL import Image
from queries import gallery_page_add
from scratch import (
    HOST,
    ROOT,
    bench_school_ensure,
    database_drop,
    database_prepare,
    picture,
    scratch_database,
)

GALLERY_SIZE = 50
MB = 1024 * 1024


def cloudinary_gallery() -> Row:
    from media_library.testing.fake_cloudinary import FakeCloudinary, sdk_configured_for

    with FakeCloudinary() as server:
        os.environ["BENCH_CLOUDINARY_URL"] = server.cloudinary_url
        with scratch_database(fresh=False), sdk_configured_for(server):
            return _gallery_measure(server)


def _gallery_measure(server) -> Row:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django_tenants.utils import schema_context

    from classrooms.models import Classroom
    from classrooms.services import classroom_create, classroom_student_enrol, classroom_trust_set
    from media_library.models import MediaPage
    from media_library.services import media_upload

    school, _classroom, people, _page = bench_school_ensure()
    with schema_context(school.schema_name):
        classroom = Classroom.objects.filter(name="Cloudinary gallery").first()
        if classroom is None:
            classroom = classroom_create(name="Cloudinary gallery", teachers=[people["teacher"]])
            classroom_student_enrol(classroom=classroom, student=people["student"])
            classroom_trust_set(classroom=classroom, trusted=True)
        have = MediaPage.objects.child_of(classroom.page).count()
        for i in range(have, GALLERY_SIZE):
            media_upload(
                classroom=classroom,
                uploaded_by=people["student"],
                file=SimpleUploadedFile("p.jpg", picture(640, 480), content_type="image/jpeg"),
                title=f"Cloud picture {i}",
                visibility="public",
            )
        url = classroom.page.url

        works = MediaPage.objects.child_of(classroom.page).order_by("pk")
        gallery_url = gallery_page_add(classroom, title="Cloud best of", works=works).url

    decodes = []
    real_open = Image.open

    def counting_open(*args, **kwargs):
        decodes.append(args[0] if args else kwargs)
        return real_open(*args, **kwargs)

    client = Client(HTTP_HOST=HOST)
    requests_before = server.request_count
    Image.open = counting_open
    try:
        response = client.get(url, {"page": 1})
        second = client.get(url + "?page=2")
        third = client.get(url + "?page=3")
        class_decodes, class_requests = len(decodes), server.request_count - requests_before
        gallery = client.get(gallery_url)
    finally:
        Image.open = real_open
    shown = sum(r.content.count(b"res.cloudinary.com") for r in (response, second, third))
    if any(r.status_code != 200 for r in (response, second, third, gallery)):
        raise SystemExit(f"P5: the gallery answered {response.status_code}")
    gallery_decodes = len(decodes) - class_decodes
    gallery_requests = server.request_count - requests_before - class_requests
    gallery_row = Row(
        "P5",
        f"Cloudinary: image decodes rendering a GalleryPage of {GALLERY_SIZE} pictures",
        f"{gallery_decodes} decodes, {gallery_requests} requests to Cloudinary, "
        f"{gallery.content.count(b'res.cloudinary.com')} Cloudinary image URLs",
        "-",
        "0 decodes",
        not gallery_decodes,
    )
    decodes = decodes[:class_decodes]
    return gallery_row, Row(
        "P5",
        f"Cloudinary: image decodes rendering a class gallery of {GALLERY_SIZE} pictures",
        f"{len(decodes)} decodes, {class_requests} requests to "
        f"Cloudinary, {shown} Cloudinary image URLs in the 3 gallery pages",
        "-",
        "0 decodes",
        not decodes,
    )


def local_thumbnail() -> dict:
    """In this process: one rendition of a 12-megapixel JPEG, timed, with peak RSS."""
    with scratch_database(fresh=False):
        from django.core.files.base import ContentFile
        from django_tenants.utils import schema_context

        from media_library.models import SchoolImage

        school, classroom, people, _page = bench_school_ensure()
        with schema_context(school.schema_name):
            data = picture(4000, 3000, noise=True)
            image = SchoolImage.objects.create(
                title="12 megapixels",
                file=ContentFile(data, name="twelve.jpg"),
                width=4000,
                height=3000,
                collection=classroom.collection,
            )
            image = SchoolImage.objects.get(pk=image.pk)
            process = psutil.Process()
            peak = before = process.memory_info().rss
            stop = threading.Event()

            def sample():
                nonlocal peak
                while not stop.is_set():
                    peak = max(peak, process.memory_info().rss)
                    time.sleep(0.005)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            start = time.perf_counter()
            rendition = image.get_rendition("fill-400x300")
            seconds = time.perf_counter() - start
            stop.set()
            sampler.join()
            size = (rendition.width, rendition.height)
    return {
        "ms": seconds * 1000,
        "growth_mb": (peak - before) / MB,
        "size": size,
        "jpeg": len(data),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="own scratch database (not run.py)")
    parser.add_argument("--local", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.local:
        print(json.dumps(local_thumbnail()))
        return
    if args.fresh:
        database_prepare()
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--local"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            check=True,
            env={**os.environ, "BENCH_CLOUDINARY_URL": ""},
        )

        local = json.loads(done.stdout.strip().splitlines()[-1])
        gallery_page, gallery = cloudinary_gallery()
    finally:
        if args.fresh:
            from django.db import connections

            connections.close_all()
            database_drop()
    report(
        [
            gallery,
            gallery_page,
            Row(
                "P5",
                "local: one 12-megapixel thumbnail (fill-400x300 of a 4000x3000 JPEG)",
                f"{local['ms']:.0f} ms, {local['growth_mb']:.0f} MB RSS growth "
                f"(JPEG {local['jpeg'] / MB:.1f} MB, "
                f"rendition {local['size'][0]}x{local['size'][1]})",
                "-",
                "<= 300 ms, <= 200 MB",
                local["ms"] <= 300 and local["growth_mb"] <= 200,
            ),
        ]
    )


if __name__ == "__main__":
    main()
