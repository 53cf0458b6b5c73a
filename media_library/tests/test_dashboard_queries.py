"""A signed-in student's dashboard (/dashboard/, never cached: bench P1b) takes the same few
queries whatever the number of works: the school's domain, the session, the person with their
groups, a page of works (with the list's count), their
renditions, the assets shown publicly, the authors' consent, the person's permissions (one
query for their own and their groups'), the menu's figures (the bell's count and "My consent"
together) and the classes of the filter (one plain query, no server-side cursor). The
school's media-sharing switch comes from the cache, as in production (media_library.sharing)."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from classrooms.models import Classroom
from conftest import client_as, user_named

pytestmark = pytest.mark.django_db

DASHBOARD_QUERIES = 11
VISIBILITIES = ("public", "school", "class", "private")
CARD_PICTURE = re.compile(rb'<img [^>]*class="card-img-top[^>]*?src="([^"]+)"')


@pytest.fixture(autouse=True)
def _sharing_cached(settings):
    """The media-sharing switch cached as in production, and dropped afterwards (the test's
    settings row is rolled back without a signal)."""
    from django.core.cache import cache
    from django_tenants.utils import schema_context
    from wagtail.models import Site

    from media_library import sharing

    settings.MEDIA_SHARING_CACHE_SECONDS = 3600
    yield
    with schema_context("greenwood"):
        for site in Site.objects.all():
            cache.delete(sharing._key(site.pk))


def _works(count: int) -> None:
    """`count` live works in Art (amina's class) by three of its students, of every
    visibility, and one in a class she is not in."""
    from media_library.models import MediaPage, SchoolImage

    art = Classroom.objects.get(name="Art")
    other = Classroom.objects.get(name="Media Studies")
    owners = [user_named(name) for name in ("amina", "brian", "cynthia")]
    for i in range(count):
        classroom = other if i == 0 else art
        owner = owners[i % len(owners)]
        buffer = io.BytesIO()
        Image.new("RGB", (8, 6), (i % 256, 80, 160)).save(buffer, "PNG")
        image = SchoolImage.objects.create(
            title=f"Work {i}",
            file=ContentFile(buffer.getvalue(), name=f"d{i}.png"),
            width=8,
            height=6,
            collection=classroom.collection,
            uploaded_by_user=owner,
        )
        classroom.page.add_child(
            instance=MediaPage(
                title=f"Dashboard work {i}",
                slug=f"dashboard-work-{i}",
                kind="image",
                image=image,
                visibility=VISIBILITIES[i % len(VISIBILITIES)],
                owner=owner,
                live=True,
            )
        )


def _statements(school) -> tuple[list[str], bytes]:
    client = client_as(school, "amina")
    assert client.get("/dashboard/").status_code == 200  # renditions, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    statements = [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SET search_path")
    ]
    return statements, response.content


@pytest.mark.parametrize("works", [5, 50])
def test_a_students_dashboard_takes_the_same_few_queries_at_any_size(school, works):
    _works(works)
    statements, content = _statements(school)
    assert len(statements) == DASHBOARD_QUERIES, "\n".join(s[:200] for s in statements)
    assert not any(s.startswith("DECLARE") for s in statements)  # no server-side cursor
    assert content.count(b'">Dashboard work ') == min(works, 24)


def test_the_dashboard_shows_a_student_what_she_may_see(school):
    """The visibility rules behind the folded queries: her class's class-only work, no one
    else's private work, nothing class-only of a class she is not in."""
    _works(8)
    _statements_found, content = _statements(school)
    shown = {i for i in range(8) if f"Dashboard work {i}<".encode() in content}
    # 0: Media Studies, public: shown. 1 brian school, 2 cynthia class (Art), 3 amina private
    # (her own), 4 brian public, 5 cynthia school, 6 amina class, 7 brian private: hidden.
    assert shown == {0, 1, 2, 3, 4, 5, 6}


def test_a_page_of_cards_writes_nothing_to_the_renditions_cache_once_made(school, monkeypatch):
    """The cards' renditions come prefetched with the works (selectors._for_listing): used as
    they are, not written to the renditions cache again on every view, as Wagtail's own
    get_rendition would (one cache SET per card). The first view makes and caches them."""
    from django.core.cache import caches

    _works(6)
    backend = caches["renditions"]
    writes = []
    for name in ("set", "set_many"):
        original = getattr(backend, name)

        def counted(*args, _original=original, _name=name, **kwargs):
            writes.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(backend, name, counted)
    client = client_as(school, "amina")
    first = client.get("/dashboard/")
    assert first.status_code == 200
    made = len(writes)
    assert made >= 6  # each new rendition is cached as Wagtail does
    again = client.get("/dashboard/")
    assert again.status_code == 200
    assert writes[made:] == []
    pictures = CARD_PICTURE.findall(again.content)
    # amina sees all six (and the school's earlier work): her class's, her own private one.
    assert len(pictures) >= 6
    assert all(b".fill-400x300." in picture for picture in pictures)
    assert pictures == CARD_PICTURE.findall(first.content)
