"""The class page's SQL queries do not grow with its works (bench P2: <= 10), for an anonymous
visitor, uncached: the school's domain, its routing (the page with its parent; the class page
with its classroom), the view restrictions, the media settings, the works (a page of them with
the list's count, renditions, assets shown publicly, the authors' consent) and the galleries.
Wagtail's Site comes from the cache (tenants/site_cache.py)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from PIL import Image

from classrooms.services import classroom_create
from conftest import client_for, user_named

pytestmark = pytest.mark.django_db

CLASS_PAGE_QUERIES = 10
WORKS_SHOWN = 24  # media_library.cards.PER_PAGE


def _class_with_works(count: int):
    from media_library.models import MediaPage, SchoolImage

    classroom = classroom_create(name=f"Gallery {count}", teachers=[user_named("grace")])
    student = user_named("amina")
    for i in range(count):
        buffer = io.BytesIO()
        Image.new("RGB", (8, 6), (i % 256, 80, 160)).save(buffer, "PNG")
        image = SchoolImage.objects.create(
            title=f"Work {i}",
            file=ContentFile(buffer.getvalue(), name=f"g{i}.png"),
            width=8,
            height=6,
            collection=classroom.collection,
            uploaded_by_user=student,
        )
        classroom.page.add_child(
            instance=MediaPage(
                title=f"Work {i}",
                slug=f"work-{i}",
                kind="image",
                image=image,
                visibility="public",
                owner=student,
                live=True,
            )
        )
    return classroom


def _queries(greenwood, path):
    client = client_for(greenwood)
    assert client.get(path).status_code == 200  # renditions, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SET search_path")
    ]


@pytest.mark.parametrize("works", [5, 30])
def test_the_class_page_takes_the_same_few_queries_at_any_size(greenwood, settings, works):
    settings.PAGE_CACHE_ENABLED = False
    with schema_context(greenwood.schema_name):
        classroom = _class_with_works(works)
        path = classroom.page.specific.url
    statements = _queries(greenwood, path)
    assert len(statements) == CLASS_PAGE_QUERIES, "\n".join(s[:200] for s in statements)


def test_the_class_page_still_pages_its_works(greenwood, settings):
    settings.PAGE_CACHE_ENABLED = False
    with schema_context(greenwood.schema_name):
        path = _class_with_works(WORKS_SHOWN + 2).page.specific.url
    client = client_for(greenwood)
    first, second = client.get(path), client.get(path + "?page=2")
    past_the_end, not_a_number = client.get(path + "?page=9"), client.get(path + "?page=x")

    assert first.context["page_obj"].paginator.count == WORKS_SHOWN + 2
    assert len(first.context["page_obj"].object_list) == WORKS_SHOWN
    assert [p.title for p in second.context["page_obj"].object_list] == ["Work 1", "Work 0"]
    assert past_the_end.context["page_obj"].number == 2
    assert not_a_number.context["page_obj"].number == 1
    assert client.get(path + "?page=0").context["page_obj"].number == 2  # as Django's
    # A page number whose offset would overflow PostgreSQL's bigint: the last page, no error.
    huge = client.get(path + "?page=" + "9" * 20)
    assert huge.status_code == 200
    assert huge.context["page_obj"].number == 2
