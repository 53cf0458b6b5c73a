"""The school's home page shows the school (home.selectors): to a visitor its welcome, its
latest public work, its galleries and the classes that share work, and a sign-in box; to a
person signed in, what their classes published lately and what waits for them. It reads with
the media library's own visibility rules, in a fixed number of queries, and a visitor's copy
stays in the page cache until something changes (a published work shows at once)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from classrooms.models import Classroom
from conftest import client_as, client_for, user_named
from core import pagecache
from families.services import guardianship_ensure
from media_library import services
from media_library.models import MediaPage
from media_library.tests import samples

pytestmark = pytest.mark.django_db


def _work(title, visibility="public", *, owner="amina", classroom="Art", publish=True):
    """A work, published unless `publish` is off (then it awaits review)."""
    with schema_context("greenwood"):
        page = services.media_upload(
            classroom=Classroom.objects.get(name=classroom),
            uploaded_by=user_named(owner),
            file=samples.uploaded(samples.png(), "x.png", "image/png"),
            title=title,
            visibility=visibility,
        )
        if publish:
            page.get_latest_revision().publish()
        return MediaPage.objects.get(pk=page.pk)


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


# --- A visitor -------------------------------------------------------------------------------
def test_a_visitor_sees_the_school_its_public_work_galleries_and_classes(greenwood):
    html = _home(client_for(greenwood))
    assert "Greenwood Academy" in html
    assert "Sunset over the lake" in html  # public
    assert "Still life with mangoes" not in html  # whole school only
    assert "Our school garden" not in html  # class only
    assert "Art: best of term" in html  # the Art gallery
    assert 'href="/art-form-2/"' in html  # Art shares public work
    assert "/media-studies-form-3/" not in html  # Media Studies: nothing public
    assert 'class="btn btn-primary" href="/accounts/login/">Sign in</a>' in html


def test_the_welcome_is_the_home_pages_own_fields(greenwood):
    with schema_context("greenwood"):
        from home.models import HomePage

        home = HomePage.objects.get()
        home.intro = "<p>Karibu to our makers' corner.</p>"
        home.save_revision().publish()
    html = _home(client_for(greenwood))
    assert "Karibu to our makers" in html


def test_a_visitor_never_sees_class_or_school_work(greenwood):
    _work("Class secret", "class")
    _work("School only piece", "school")
    _work("Waiting public piece", "public", publish=False)
    html = _home(client_for(greenwood))
    for title in ("Class secret", "School only piece", "Waiting public piece"):
        assert title not in html


def test_public_sharing_switched_off_shows_no_work(greenwood):
    with schema_context("greenwood"):
        from wagtail.models import Site

        from media_library.models import SchoolMediaSettings

        settings = SchoolMediaSettings.for_site(Site.objects.get(is_default_site=True))
        settings.allow_public = False
        settings.save()
    html = _home(client_for(greenwood))
    assert "Sunset over the lake" not in html
    assert 'href="/art-form-2/"' not in html


# --- People signed in ------------------------------------------------------------------------
def test_a_student_sees_her_classes_work_and_her_own_with_its_status(greenwood):
    _work("Amina waits", "class", publish=False)
    _work("Brian in class", "class", owner="brian")
    html = _home(client_as(greenwood, "amina"))
    assert "Recently published in class" in html
    assert "Brian in class" in html
    assert "Still life with mangoes" in html  # school-wide, in her class
    assert "Your latest work" in html
    assert "Amina waits" in html and "status-awaiting_approval" in html


def test_a_student_of_another_class_does_not_see_this_class_only_work(greenwood):
    _work("Art class only", "class", owner="brian")
    html = _home(client_as(greenwood, "david"))  # Media Studies, not Art
    assert "Art class only" not in html
    assert "Our school garden" in html  # his own class's work


def test_a_teacher_sees_how_many_works_await_her_review(greenwood):
    _work("For Grace one", "class", publish=False)
    _work("For Grace two", "class", owner="brian", publish=False)
    html = _home(client_as(greenwood, "grace"))
    assert "2 works await your review" in html
    assert 'href="/review/"' in html


def test_a_teacher_with_nothing_to_review_is_told_so(greenwood):
    html = _home(client_as(greenwood, "peter"))  # Media Studies: nothing submitted here
    assert "Nothing is waiting for your review." in html
    assert "0 works" not in html


def test_a_guardian_sees_her_childs_latest_work(greenwood):
    _work("Amina for family", "class")
    _work("Brian class piece", "class", owner="brian")
    html = _home(client_as(greenwood, "mama.amina@greenwood.test"))
    assert "Your children&#x27;s latest work" in html or "Your children's latest work" in html
    assert "Amina for family" in html
    assert "Brian class piece" not in html
    assert "Your classes" not in html
    assert 'id="home-latest"' not in html  # her children's work, not the same cards twice


def test_a_guardian_of_another_child_does_not_see_it(greenwood):
    with schema_context("greenwood"):
        guardianship_ensure(guardian=user_named("mama.amina"), student=user_named("david"))
    html = _home(client_as(greenwood, "mama.amina@greenwood.test"))
    assert "Our school garden" in html  # David's, class only: now her child's
    _work("Cynthia class piece", "class", owner="cynthia")
    assert "Cynthia class piece" not in _home(client_as(greenwood, "mama.amina@greenwood.test"))


# --- Queries and the cache -------------------------------------------------------------------
def _queries(client) -> int:
    client.get("/")  # renditions made, per-process caches warm
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_same_queries_with_3_and_30_public_works(greenwood):
    """A visitor, a student, a teacher and a guardian: each one's home page costs the same
    number of queries whatever the number of works."""
    logins = [None, "amina", "grace", "mama.amina@greenwood.test"]
    clients = {
        login: client_as(greenwood, login) if login else client_for(greenwood) for login in logins
    }
    for number in range(2):  # with the demo's public work: 3
        _work(f"Early {number}", "public", owner="brian")
    three = {login: _queries(client) for login, client in clients.items()}
    for number in range(27):
        _work(f"Later {number}", "public", owner=("amina", "brian", "cynthia")[number % 3])
    assert {login: _queries(client) for login, client in clients.items()} == three


def test_publishing_a_work_shows_on_the_next_visitors_home_page(
    greenwood, redis_caches, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    for _attempt in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(greenwood).get("/")
        if response.get(pagecache.HEADER) == pagecache.HIT:
            break
    assert response.get(pagecache.HEADER) == pagecache.HIT  # a visitor's copy is cached
    with django_capture_on_commit_callbacks(execute=True):
        _work("Fresh on the home page")
    response = client_for(greenwood).get("/")
    assert response.get(pagecache.HEADER) != pagecache.HIT
    assert "Fresh on the home page" in response.content.decode()
