"""Stored files follow the visibility rules too: a file is served only to those who may see a
page using it, its uploader, and the people who manage its collection; 404 for anyone else."""

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from classrooms.models import Classroom
from conftest import client_as, client_for
from media_library import services
from media_library.models import SchoolImage
from media_library.tests import samples

pytestmark = pytest.mark.django_db


def _work(visibility, *, publish=True, data=None, name="a.png"):
    page = services.media_upload(
        classroom=Classroom.objects.get(name="Art"),
        uploaded_by=User.objects.get(username="amina"),
        file=samples.uploaded(data or samples.png(), name),
        title=f"A {visibility} work",
        visibility=visibility,
    )
    if publish:
        page.get_latest_revision().publish()
        page.refresh_from_db()
    return page


def _get(greenwood, who, url):
    client = client_as(greenwood, who) if who else client_for(greenwood)
    return client.get(url).status_code


@pytest.mark.parametrize(
    ("visibility", "who", "status"),
    [
        ("private", "amina", 200),  # the owner
        ("private", "grace", 200),  # her teacher
        ("private", "brian", 404),  # a classmate
        ("private", None, 404),
        ("class", "brian", 200),
        ("class", "david", 404),  # another class
        ("class", None, 404),
        ("school", "david", 200),
        ("school", None, 404),
        ("public", None, 200),
    ],
)
def test_the_file_follows_its_pages_visibility(greenwood, visibility, who, status):
    with schema_context(greenwood.schema_name):
        url = _work(visibility).image.file.url
    assert url.startswith("/media/greenwood/")
    assert _get(greenwood, who, url) == status


def test_renditions_follow_their_image(greenwood):
    with schema_context(greenwood.schema_name):
        image = _work("class").image
        url = image.get_rendition("fill-100x100").url
    assert _get(greenwood, "brian", url) == 200
    assert _get(greenwood, None, url) == 404


def test_a_draft_file_is_for_its_owner_and_teachers(greenwood):
    with schema_context(greenwood.schema_name):
        url = _work("public", publish=False).image.file.url
    assert _get(greenwood, "amina", url) == 200
    assert _get(greenwood, "grace", url) == 200
    assert _get(greenwood, None, url) == 404
    assert _get(greenwood, "brian", url) == 404


def test_documents_redirect_to_the_checked_file(greenwood):
    with schema_context(greenwood.schema_name):
        page = _work("class", data=samples.pdf(), name="essay.pdf")
        document_url = page.document.url
    response = client_as(greenwood, "brian").get(document_url)
    assert response.status_code == 302 and response["Location"].startswith("/media/greenwood/")
    assert _get(greenwood, "brian", response["Location"]) == 200
    assert _get(greenwood, None, response["Location"]) == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 404),  # a visitor
        ("david", 404),  # a student of another class
        ("peter", 404),  # a teacher of another class
        ("brian", 404),  # a classmate: the work is private
        ("amina", 302),  # its owner
        ("grace", 302),  # her class's teacher
    ],
)
def test_a_private_documents_url_follows_the_visibility_rules(greenwood, who, status):
    with schema_context(greenwood.schema_name):
        page = _work("private", data=samples.pdf(), name="essay.pdf")
        document_url = page.document.url
    response = (client_as(greenwood, who) if who else client_for(greenwood)).get(document_url)
    assert response.status_code == status
    if status == 302:  # to the stored file, which checks again
        assert response["Location"] == page.document.file.url
        assert _get(greenwood, who, response["Location"]) == 200


def test_another_schools_path_and_unknown_files_are_404(greenwood, riverside):
    with schema_context(greenwood.schema_name):
        name = _work("public").image.file.name
    assert client_for(riverside).get(f"/media/greenwood/{name}").status_code == 404
    assert client_for(greenwood).get("/media/greenwood/original_images/nope.png").status_code == 404
    assert client_for(greenwood).get("/media/greenwood/../../etc/passwd").status_code == 404


def test_a_teachers_admin_upload_is_for_those_who_manage_its_collection(greenwood):
    from django.core.files.base import ContentFile

    with schema_context(greenwood.schema_name):
        art = Classroom.objects.get(name="Art")
        image = SchoolImage.objects.create(
            title="Worksheet",
            file=ContentFile(samples.png(), name="sheet.png"),
            collection=art.collection,
            uploaded_by_user=User.objects.get(username="grace"),
        )
        url = image.file.url
    assert _get(greenwood, "grace", url) == 200
    assert _get(greenwood, "admin@greenwood.test", url) == 200
    assert _get(greenwood, "peter", url) == 404  # teaches another class
    assert _get(greenwood, "amina", url) == 404
