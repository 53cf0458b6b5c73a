"""Uploads through the Wagtail admin follow the students' rules: type from the bytes, and no
location data in stored photos."""

from pathlib import Path

import pytest
from django_tenants.utils import schema_context
from PIL import Image

from classrooms.models import Classroom
from conftest import client_as
from media_library.admin_forms import ERROR_WRONG_KIND
from media_library.models import SchoolDocument, SchoolImage
from media_library.tests import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def art_collection(greenwood):
    with schema_context(greenwood.schema_name):
        return Classroom.objects.get(name="Art").collection_id


def test_a_teachers_admin_photo_upload_loses_its_location(greenwood, art_collection):
    client = client_as(greenwood, "grace")
    response = client.post(
        "/admin/images/add/",
        {
            "title": "Field trip",
            "collection": art_collection,
            "file": samples.uploaded(samples.jpeg(exif_gps=True, orientation=6), "trip.jpg"),
        },
    )
    assert response.status_code == 302, response.content[:2000]
    with schema_context(greenwood.schema_name):
        image = SchoolImage.objects.get(title="Field trip")
        with Image.open(Path(image.file.path)) as stored:
            assert not stored.getexif().get_ifd(0x8825)


def test_an_html_file_named_jpg_is_refused_in_the_admin(greenwood, art_collection):
    client = client_as(greenwood, "grace")
    response = client.post(
        "/admin/images/add/",
        {
            "title": "Sneaky",
            "collection": art_collection,
            "file": samples.uploaded(samples.html(), "sneaky.jpg"),
        },
    )
    assert response.status_code == 200
    with schema_context(greenwood.schema_name):
        assert not SchoolImage.objects.filter(title="Sneaky").exists()


def test_a_document_must_be_a_pdf(greenwood, art_collection):
    client = client_as(greenwood, "grace")
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "Not a PDF",
            "collection": art_collection,
            "file": samples.uploaded(samples.png(), "notes.pdf"),
        },
    )
    assert response.status_code == 200
    assert ERROR_WRONG_KIND.format(a_kind="a photo", expected="a PDF", kind_plural="photos") in (
        response.content.decode()
    )
    with schema_context(greenwood.schema_name):
        assert not SchoolDocument.objects.filter(title="Not a PDF").exists()
