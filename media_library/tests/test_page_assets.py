"""A work shows only its own file: one its owner uploaded to its class. Checked in the model
(every save and revision), so neither the Wagtail admin's page editor nor any other form can
attach another class's private image, document or video, or another student's file."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from classrooms.models import Classroom
from conftest import client_as, user_named
from media_library import services
from media_library.models import ERROR_ASSET_NOT_THIS_WORKS, MediaPage
from media_library.oversight import media_move
from media_library.tests import samples

pytestmark = pytest.mark.django_db


def _upload(classroom: str, owner: str, title: str, data=None, name="work.png"):
    return services.media_upload(
        classroom=Classroom.objects.get(name=classroom),
        uploaded_by=user_named(owner),
        file=samples.uploaded(data or samples.png(), name),
        title=title,
        visibility="private",
    )


@pytest.fixture
def works(greenwood):
    with schema_context(greenwood.schema_name):
        return {
            "art_private": _upload("Art", "amina", "Amina's private sketch"),
            "media_studies": _upload("Media Studies", "david", "David's poster"),
            "media_studies_other": _upload("Media Studies", "cynthia", "Cynthia's poster"),
        }


@pytest.mark.parametrize("whose", ["art_private", "media_studies_other"])
def test_the_model_refuses_a_file_that_is_not_the_works_own(greenwood, works, whose):
    with schema_context(greenwood.schema_name):
        page = MediaPage.objects.get(pk=works["media_studies"].pk)
        page.image_id = works[whose].image_id
        with pytest.raises(ValidationError) as error:
            page.save_revision(user=user_named("peter"))
        assert error.value.message_dict == {"image": [str(ERROR_ASSET_NOT_THIS_WORKS)]}
        with pytest.raises(ValidationError):
            page.save()
        assert MediaPage.objects.get(pk=page.pk).image_id == works["media_studies"].image_id


def _edit_form_data(response) -> dict:
    """Every field of the admin's page editor as the browser would post it, unchanged."""
    form = BeautifulSoup(response.content, "html.parser").find("form", id="page-edit-form")
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.get("type") in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        if field.name == "textarea":
            data[name] = field.text
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen["value"] if chosen else ""
        else:
            data[name] = field.get("value", "")
    # The body's StreamField is drawn by the editor's script; these works have no blocks.
    data.setdefault("body-count", "0")
    return data


def test_a_teacher_cannot_publish_another_classs_private_image_on_their_page(greenwood, works):
    """Peter edits his student's work in the Wagtail admin and posts the id of the Art class's
    private image: the editor refuses it, and nothing changes or goes live."""
    client = client_as(greenwood, "peter")
    page_id = works["media_studies"].pk
    url = f"/admin/pages/{page_id}/edit/"
    data = _edit_form_data(client.get(url))
    data["image"] = str(works["art_private"].image_id)
    data["action-publish"] = "action-publish"
    response = client.post(url, data)
    assert response.status_code == 200  # the editor again, with the error
    assert str(ERROR_ASSET_NOT_THIS_WORKS) in response.content.decode().replace("&#x27;", "'")
    with schema_context(greenwood.schema_name):
        page = MediaPage.objects.get(pk=page_id)
        assert page.image_id == works["media_studies"].image_id
        assert not page.live
        latest = page.get_latest_revision_as_object()
        assert latest.image_id == works["media_studies"].image_id


def test_the_teacher_may_still_edit_the_work_with_its_own_file(greenwood, works):
    client = client_as(greenwood, "peter")
    page_id = works["media_studies"].pk
    url = f"/admin/pages/{page_id}/edit/"
    data = _edit_form_data(client.get(url))
    data["title"] = "David's poster, final"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context(greenwood.schema_name):
        latest = MediaPage.objects.get(pk=page_id).get_latest_revision_as_object()
        assert latest.title == "David's poster, final"


def test_moving_a_work_to_another_class_takes_its_files_along(greenwood, works):
    """The move puts the files in the new class's collection before the page goes there, so
    the rule holds after it (media_library.oversight.media_move)."""
    with schema_context(greenwood.schema_name):
        page = MediaPage.objects.get(pk=works["art_private"].pk)
        moved = media_move(
            page=page,
            classroom=Classroom.objects.get(name="Media Studies"),
            user=user_named("admin@greenwood.test"),
        )
        moved.full_clean()  # the rule holds in its new class
        assert (
            moved.image.collection_id == Classroom.objects.get(name="Media Studies").collection_id
        )
