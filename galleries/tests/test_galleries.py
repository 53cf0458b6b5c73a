"""Teachers' galleries: the chooser offers only approved work of the teacher's own classes,
the same rule holds for what is posted, galleries are made only under one's own classes and
published as other teacher pages are, and a gallery shows each visitor only the work they
may see, in a number of queries that does not grow with the gallery."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from classrooms.models import Classroom
from conftest import client_as, client_for, user_named
from families.consent import consent_allows
from families.models import Purpose
from families.tests.factories import consent_for
from galleries.forms import ERROR_NOT_CHOOSABLE
from galleries.models import GalleryPage
from galleries.selectors import gallery_media_choosable
from media_library import services
from media_library.models import MediaPage
from media_library.tests import samples

pytestmark = pytest.mark.django_db

CHOOSER = "/admin/galleries/choose-media/"


def _work(title, *, owner="amina", classroom="Art", visibility="public", approve=True):
    with schema_context("greenwood"):
        student = user_named(owner)
        if not consent_allows(student, Purpose.PUBLIC):  # david's family has not consented
            consent_for(student)
        page = services.media_upload(
            classroom=Classroom.objects.get(name=classroom),
            uploaded_by=user_named(owner),
            file=samples.uploaded(samples.png(), "w.png"),
            title=title,
            visibility=visibility,
        )
        if approve:
            services.media_review(
                page=page,
                user=Classroom.objects.get(name=classroom).teachers.first(),
                decision="approve",
            )
        return MediaPage.objects.get(pk=page.pk)


def _items(ids):
    data = {
        str(i): {"type": "item", "value": str(pk), "deleted": "", "order": str(i)}
        for i, pk in enumerate(ids)
    }
    return {**data, "count": str(len(ids))}


def _gallery_form(title, *, media=None, grid=(), publish=True):
    blocks = [("text", rich_text("<p>Our best work this term.</p>"))]
    if media is not None:
        blocks.append(("media", {"item": str(media), "caption": "First prize"}))
    if grid:
        blocks.append(("grid", {"heading": "Term 1", "columns": "3", "items": _items(grid)}))
    data = nested_form_data(
        {
            "title": title,
            "slug": title.lower().replace(" ", "-"),
            "intro": rich_text(""),
            "body": streamfield(blocks),
        }
    )
    if publish:
        data["action-publish"] = "action-publish"
    return data


def _class_page(name):
    with schema_context("greenwood"):
        return Classroom.objects.get(name=name).page_id


def _add_url(class_name):
    return f"/admin/pages/add/galleries/gallerypage/{_class_page(class_name)}/"


def test_the_chooser_offers_only_approved_work_of_the_teachers_classes(greenwood):
    approved = _work("Approved in Art")
    pending = _work("Pending in Art", approve=False)
    other = _work("Approved in Media", owner="david", classroom="Media Studies")
    grace = client_as(greenwood, "grace")
    html = grace.get(CHOOSER, HTTP_X_REQUESTED_WITH="XMLHttpRequest").json()["html"]
    assert approved.title in html and "Sunset over the lake" in html
    assert pending.title not in html and other.title not in html
    assert "Our school garden" not in html  # demo work of Media Studies
    assert grace.get(f"{CHOOSER}chosen/{other.pk}/").status_code == 404
    assert grace.get(f"{CHOOSER}chosen/{approved.pk}/").status_code == 200
    with schema_context("greenwood"):
        admin_sees = set(
            gallery_media_choosable(user=user_named("admin@greenwood.test")).values_list(
                "title", flat=True
            )
        )
        assert {approved.title, other.title} <= admin_sees and pending.title not in admin_sees
        assert not gallery_media_choosable(user=user_named("amina")).exists()


def test_students_cannot_open_the_chooser(greenwood):
    work = _work("Approved for the chooser")
    for url in (CHOOSER, f"{CHOOSER}chosen/{work.pk}/"):
        response = client_as(greenwood, "amina").get(url)
        assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_a_teacher_makes_and_publishes_a_gallery_under_their_class(greenwood):
    works = [_work(f"Work {n}") for n in range(3)]
    grace = client_as(greenwood, "grace")
    response = grace.post(
        _add_url("Art"),
        _gallery_form("Best of term", media=works[0].pk, grid=[w.pk for w in works[1:]]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context("greenwood"):
        gallery = GalleryPage.objects.get(title="Best of term")
        assert gallery.live and gallery.owner == user_named("grace")
        assert gallery.get_parent().pk == _class_page("Art")
        url = gallery.url
    page = client_for(greenwood).get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert all(w.title in html for w in works) and "First prize" in html
    assert "Our best work this term." in html
    # The class page lists its galleries.
    art = client_for(greenwood).get(url.rsplit("/", 2)[0] + "/")
    assert "Best of term" in art.content.decode()


def test_not_under_a_class_they_do_not_teach(greenwood):
    work = _work("Mine")
    response = client_as(greenwood, "grace").post(
        _add_url("Media Studies"), _gallery_form("Not mine", grid=[work.pk])
    )
    assert response.status_code == 404
    with schema_context("greenwood"):
        assert not GalleryPage.objects.filter(title="Not mine").exists()


@pytest.mark.parametrize("which", ["other class", "pending"])
def test_posting_work_the_chooser_would_not_offer_is_refused(greenwood, which):
    work = (
        _work("Elsewhere", owner="david", classroom="Media Studies")
        if which == "other class"
        else _work("Unapproved", approve=False)
    )
    response = client_as(greenwood, "grace").post(
        _add_url("Art"), _gallery_form("Sneaky", grid=[work.pk])
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["body"].as_data()[0].messages
    assert ERROR_NOT_CHOOSABLE.format(title=work.title) in errors
    with schema_context("greenwood"):
        assert not GalleryPage.objects.filter(title="Sneaky").exists()


def _gallery(items, title="Show"):
    """The address of a published gallery under Art with these works in one grid."""
    with schema_context("greenwood"):
        parent = Classroom.objects.get(name="Art").page
        gallery = GalleryPage(
            title=title,
            slug=title.lower(),
            owner=user_named("grace"),
            body=[("grid", {"heading": "", "columns": "3", "items": list(items)})],
        )
        parent.add_child(instance=gallery)
        gallery.save_revision(user=user_named("grace")).publish()
        return GalleryPage.objects.get(pk=gallery.pk).url


def test_a_gallery_shows_each_visitor_only_what_they_may_see(greenwood):
    public = _work("For everyone")
    school_only = _work("For the school", visibility="school")
    url = _gallery([public, school_only])
    visitor = client_for(greenwood).get(url).content.decode()
    assert "For everyone" in visitor and "For the school" not in visitor
    member = client_as(greenwood, "cynthia").get(url).content.decode()
    assert "For everyone" in member and "For the school" in member


def test_query_count_does_not_grow_with_the_gallery(greenwood):
    works = [_work(f"Piece {n}") for n in range(12)]
    small, large = _gallery(works[:2], "Small"), _gallery(works, "Large")
    client = client_for(greenwood)
    client.get(small), client.get(large)  # renditions made once, as in production
    counts = []
    for url in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _walk_and_lookup(home, request, parts):
    """What Wagtail's own walk finds for `parts`, and what HomePage.route finds."""
    from django.http import Http404
    from wagtail.models import Page

    results = []
    for route in (Page.route, type(home).route):
        try:
            results.append(route(home, request, parts).page.pk)
        except Http404:
            results.append(404)
    return results


def test_the_home_page_finds_deep_pages_as_wagtails_walk_does(greenwood, rf):
    from wagtail.models import Page, Site

    from classrooms.models import ClassroomPage

    with schema_context("greenwood"):
        home = Site.objects.get(is_default_site=True).root_page.specific
        art = ClassroomPage.objects.get(title__startswith="Art")
        draft = GalleryPage(title="Draft gallery", live=False)
        art.add_child(instance=draft)
        request = rf.get("/")
        pages = Page.objects.descendant_of(home).filter(depth__gt=home.depth + 1)
        paths = [p.url_path[len(home.url_path) :].strip("/").split("/") for p in pages]
        paths += [["art-form-2", "no-such-page"], ["no-such-class", "x"], [art.slug, "a", "b"]]
        assert len(paths) > 5
        for parts in paths:
            walk, lookup = _walk_and_lookup(home, request, parts)
            assert lookup == walk, parts
        assert _walk_and_lookup(home, request, [art.slug, draft.slug]) == [404, 404]


def test_a_gallery_is_served_with_its_class_in_the_breadcrumb(greenwood):
    with schema_context("greenwood"):
        gallery = GalleryPage.objects.get(title="Art: best of term")
        url, parent = gallery.url, gallery.get_parent()
    html = client_for(greenwood).get(url).content.decode()
    assert f'<a href="{parent.url}">{parent.title}</a>' in html
