"""P2: SQL queries per page, at a small and a large size: a media page with 1 and with 100
StreamField blocks, a class's gallery (its class page) and a teacher's GalleryPage with 5 and
with 500 works. Target:
<= 10, and the same count at both sizes. Counted on the second request (the first makes
renditions), for an anonymous visitor, everything in the request included (tenant lookup,
session, site). django-tenants' `SET search_path` statements (one per connection and schema
with TENANT_LIMIT_SET_CALLS) are counted apart.

Each case is a (name, small, large) entry of CASES: a function that builds the content at a
size and returns the URL to fetch: the media page, the class page that lists a class's
works, and a teacher's GalleryPage (galleries/) holding the works.

Django and the project's modules are imported inside the functions that use them: models
and services need django.setup() (scratch_database) to have run first.

    .venv/bin/python bench/queries.py --fresh
"""

from __future__ import annotations

import argparse
import io
import os

from harness import Row, report
from PIL import Image
from scratch import HOST, bench_school_ensure, media_page_add, scratch_database


def media_page_case(size: int) -> str:
    _school, classroom, people, _page = bench_school_ensure()
    page = media_page_add(
        classroom, people["student"], title=f"Blocks {size}", blocks=size, visibility="public"
    )
    return f"/work/{page.pk}/"


def class_gallery_case(size: int) -> str:
    """A class of its own with `size` published public pictures, each with its own image
    (made directly: 500 uploads through the whole service would take minutes)."""
    from django.core.files.base import ContentFile

    from classrooms.models import Classroom
    from classrooms.services import classroom_create
    from media_library.models import MediaPage, SchoolImage

    _school, _classroom, people, _page = bench_school_ensure()
    name = f"Gallery {size}"
    classroom = Classroom.objects.filter(name=name).first() or classroom_create(
        name=name, teachers=[people["teacher"]]
    )
    parent = classroom.page
    have = MediaPage.objects.child_of(parent).count()
    for i in range(have, size):
        buffer = io.BytesIO()
        Image.new("RGB", (64, 48), (i % 256, 80, 160)).save(buffer, "PNG")
        image = SchoolImage.objects.create(
            title=f"{name} {i}",
            file=ContentFile(buffer.getvalue(), name=f"g{i}.png"),
            width=64,
            height=48,
            collection=classroom.collection,
            uploaded_by_user=people["student"],
        )
        parent.add_child(
            instance=MediaPage(
                title=f"{name} work {i}",
                slug=f"work-{i}",
                kind="image",
                image=image,
                visibility="public",
                owner=people["student"],
                live=True,
            )
        )
    return parent.specific.url


def gallery_page_add(classroom, *, title: str, works) -> object:
    """A teacher's published GalleryPage (galleries/) under `classroom`'s page: a text
    block, the first work on its own with a caption, and a grid of all the others."""
    from galleries.models import GalleryPage

    page = GalleryPage.objects.child_of(classroom.page).filter(title=title).first()
    if page is None:
        page = GalleryPage(title=title, intro="<p>The best of term.</p>")
        classroom.page.add_child(instance=page)
    first, *rest = list(works)
    body = [
        ("text", "<p>Chosen by the class's teacher.</p>"),
        ("media", {"item": first, "caption": "First of the term"}),
    ]
    if rest:
        body.append(("grid", {"heading": "All the others", "columns": "4", "items": rest}))
    page.body = body
    page.save_revision().publish()
    return GalleryPage.objects.get(pk=page.pk)


def gallery_page_case(size: int) -> str:
    """A GalleryPage of `size` works (those of class_gallery_case's class of that size)."""
    from classrooms.models import Classroom
    from media_library.models import MediaPage

    class_gallery_case(size)
    classroom = Classroom.objects.get(name=f"Gallery {size}")
    works = MediaPage.objects.child_of(classroom.page).order_by("pk")
    return gallery_page_add(classroom, title=f"Best of {size}", works=works).url


CASES = [
    ("media page, StreamField blocks", (1, 100), media_page_case),
    ("class gallery (class page), works", (5, 500), class_gallery_case),
    ("gallery page (GalleryPage), works", (5, 500), gallery_page_case),
]


def count_queries(path: str) -> tuple[int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST=HOST)
    with override_settings(PAGE_CACHE_ENABLED=False):
        client.get(path)  # renditions, caches (Wagtail's Site: tenants/site_cache.py)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
    statements = [query["sql"] for query in captured.captured_queries]
    search_path = sum(sql.startswith("SET search_path") for sql in statements)
    return response.status_code, len(statements) - search_path, search_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="own scratch database (not run.py)")
    args = parser.parse_args()
    # The uncached render is what is counted: no page cache (a setting of its own).
    os.environ["PAGE_CACHE_ENABLED"] = "False"
    rows = []
    with scratch_database(fresh=args.fresh):
        from django_tenants.utils import schema_context

        school, *_ = bench_school_ensure()
        for what, (small, large), build in CASES:
            counts, set_calls = {}, {}
            for size in (small, large):
                with schema_context(school.schema_name):
                    path = build(size)
                status, count, search_path = count_queries(path)
                if status != 200:
                    raise SystemExit(f"P2: {what} {size} answered {status} at {path}")
                counts[size] = count
                set_calls[size] = search_path
            rows.append(
                Row(
                    "P2",
                    f"SQL queries: {what} {small} / {large}",
                    f"{counts[small]} / {counts[large]} queries (and django-tenants' "
                    f"SET search_path: {set_calls[small]} / {set_calls[large]})",
                    "-",
                    "<= 10 and the same at both sizes",
                    max(counts.values()) <= 10 and counts[small] == counts[large],
                )
            )
    report(rows)


if __name__ == "__main__":
    main()
