"""Classes in the Wagtail admin."""

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from classrooms.models import Classroom
from conftest import client_as

pytestmark = pytest.mark.django_db


def test_school_admin_creates_a_class_and_assigns_teachers(greenwood):
    client = client_as(greenwood, "admin@greenwood.test")
    with schema_context(greenwood.schema_name):
        peter = User.objects.get(username="peter")
    response = client.post(
        "/admin/classes/new/",
        {"name": "Drama", "grade": "Form 4", "subject": "Arts", "teachers": [peter.pk]},
    )
    assert response.status_code == 302
    with schema_context(greenwood.schema_name):
        drama = Classroom.objects.get(name="Drama")
        assert list(drama.teachers.all()) == [peter]
        assert drama.page.title == "Drama (Form 4)" and drama.collection.name == "Drama (Form 4)"
    peters = client_as(greenwood, "peter")
    assert peters.get(f"/admin/classes/{drama.pk}/people/").status_code == 200
    assert peters.get(f"/admin/pages/{drama.page_id}/").status_code == 200


def test_teacher_edits_own_class_but_cannot_assign_teachers(greenwood):
    client = client_as(greenwood, "grace")
    with schema_context(greenwood.schema_name):
        art = Classroom.objects.get(name="Art")
    form = client.get(f"/admin/classes/edit/{art.pk}/").context["form"]
    assert "teachers" not in form.fields
    response = client.post(
        f"/admin/classes/edit/{art.pk}/", {"name": "Art", "grade": "Form 2", "subject": "Fine art"}
    )
    assert response.status_code == 302
    with schema_context(greenwood.schema_name):
        art.refresh_from_db()
        assert art.subject == "Fine art"
        assert [t.username for t in art.teachers.all()] == ["grace"]


def test_teacher_regenerates_own_join_code_but_not_another_class(greenwood):
    client = client_as(greenwood, "grace")
    with schema_context(greenwood.schema_name):
        art, media = Classroom.objects.get(name="Art"), Classroom.objects.get(name="Media Studies")
        old_art, old_media = art.join_code, media.join_code
    assert client.post(f"/admin/classes/{art.pk}/join-code/").status_code == 302
    assert client.post(f"/admin/classes/{media.pk}/join-code/").status_code == 404
    with schema_context(greenwood.schema_name):
        art.refresh_from_db()
        media.refresh_from_db()
        assert art.join_code != old_art and media.join_code == old_media


def test_teacher_removes_a_student_from_own_class(greenwood):
    client = client_as(greenwood, "grace")
    with schema_context(greenwood.schema_name):
        art = Classroom.objects.get(name="Art")
        amina = User.objects.get(username="amina")
    response = client.post(f"/admin/classes/{art.pk}/students/{amina.pk}/remove/")
    assert response.status_code == 302
    with schema_context(greenwood.schema_name):
        assert not art.students.filter(pk=amina.pk).exists()


def test_only_school_admins_archive(greenwood):
    with schema_context(greenwood.schema_name):
        art = Classroom.objects.get(name="Art")
    assert (
        client_as(greenwood, "grace").post(f"/admin/classes/{art.pk}/archive/").status_code == 404
    )
    assert (
        client_as(greenwood, "admin@greenwood.test")
        .post(f"/admin/classes/{art.pk}/archive/")
        .status_code
        == 302
    )
    with schema_context(greenwood.schema_name):
        art.refresh_from_db()
        assert art.is_archived


def test_a_class_page_cannot_be_deleted_while_the_class_exists(greenwood):
    client = client_as(greenwood, "admin@greenwood.test")
    with schema_context(greenwood.schema_name):
        art = Classroom.objects.get(name="Art")
    response = client.post(f"/admin/pages/{art.page_id}/delete/")
    assert response.status_code == 302
    with schema_context(greenwood.schema_name):
        assert Classroom.objects.filter(pk=art.pk, page_id=art.page_id).exists()


def test_class_list_shows_a_teacher_only_their_classes(greenwood):
    response = client_as(greenwood, "grace").get("/admin/classes/")
    html = response.content.decode()
    assert "Art" in html and "Media Studies" not in html


def test_only_school_admins_mark_a_class_trusted(greenwood):
    with schema_context(greenwood.schema_name):
        art = Classroom.objects.get(name="Art")
    data = {"name": "Art", "grade": "Form 2", "subject": "Art", "is_trusted": "on"}
    client_as(greenwood, "grace").post(f"/admin/classes/edit/{art.pk}/", data)
    with schema_context(greenwood.schema_name):
        art.refresh_from_db()
        assert not art.is_trusted  # the field is not a teacher's to set
        grace_pk = art.teachers.get().pk
    response = client_as(greenwood, "admin@greenwood.test").post(
        f"/admin/classes/edit/{art.pk}/", {**data, "teachers": [grace_pk]}
    )
    assert response.status_code == 302
    with schema_context(greenwood.schema_name):
        art.refresh_from_db()
        assert art.is_trusted
