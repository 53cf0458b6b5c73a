"""A MediaPage's own place in the page tree redirects to its detail page, for those who may
see it, and is a 404 for everyone else; the Wagtail admin previews it as its detail page."""

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from classrooms.models import Classroom
from classrooms.services import classroom_create
from conftest import client_as, client_for
from media_library import services
from media_library.tests import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def class_work(greenwood):
    with schema_context(greenwood.schema_name):
        page = services.media_upload(
            classroom=Classroom.objects.get(name="Art"),
            uploaded_by=User.objects.get(username="amina"),
            file=samples.uploaded(samples.png(), "a.png"),
            title="Class only",
            visibility="class",
        )
        page.get_latest_revision().publish()
        page.refresh_from_db()
        return page.pk, page.url


def test_members_are_sent_to_the_detail_page(greenwood, class_work):
    pk, url = class_work
    response = client_as(greenwood, "brian").get(url)
    assert response.status_code == 302 and response["Location"] == f"/work/{pk}/"


@pytest.mark.parametrize("who", [None, "david"])
def test_others_get_a_404_at_the_page_tree_url(greenwood, class_work, who):
    _, url = class_work
    client = client_as(greenwood, who) if who else client_for(greenwood)
    assert client.get(url).status_code == 404


def test_the_admin_previews_a_submission_as_its_detail_page(greenwood, class_work):
    from media_library.models import MediaPage

    pk, _ = class_work
    with schema_context(greenwood.schema_name):
        draft = MediaPage.objects.get(pk=pk).get_latest_revision_as_object()
        draft.title = "Class only, edited"
        response = draft.make_preview_request()
        response.render()
    assert response.status_code == 200
    assert b"Class only, edited" in response.content


def test_class_pages_never_take_the_sites_own_addresses(greenwood):
    with schema_context(greenwood.schema_name):
        for name in ["Dashboard", "Upload", "Work"]:
            page = classroom_create(name=name).page
            assert page.slug not in {"dashboard", "upload", "work"}


def test_the_class_page_shows_the_work_the_visitor_may_see(greenwood, class_work):
    with schema_context(greenwood.schema_name):
        art_url = Classroom.objects.get(name="Art").page.url
    member = client_as(greenwood, "brian").get(art_url).content.decode()
    visitor = client_for(greenwood).get(art_url).content.decode()
    assert "Class only" in member and "Sunset over the lake" in member
    assert "Class only" not in visitor and "Sunset over the lake" in visitor  # public demo work
