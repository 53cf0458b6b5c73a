"""Roles: each maps onto Wagtail's permissions; a school admin changes a person's role in
the Wagtail admin and their groups and permissions change at once; roles are per school."""

import pytest
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context
from rolepermissions.checkers import has_role

from accounts.models import User
from accounts.services import user_role_set
from accounts.tests.factories import UserFactory
from classrooms.models import Classroom
from conftest import client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(greenwood):
    return client_as(greenwood, "admin@greenwood.test")


def _edit_data(user, **changes):
    return {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name or "First",
        "last_name": user.last_name or "Last",
        "display_name": user.display_name,
        "is_active": "on",
        "role": "teacher",
        **changes,
    }


def test_changing_role_in_wagtail_admin_changes_groups_and_permissions(greenwood, admin_client):
    with schema_context(greenwood.schema_name):
        grace = User.objects.get(username="grace")
        art_group = Classroom.objects.get(name="Art").teacher_group
        assert grace.has_perm("wagtailadmin.access_admin")

    response = admin_client.post(
        f"/admin/users/edit/{grace.pk}/", _edit_data(grace, role="student")
    )

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    with schema_context(greenwood.schema_name):
        grace = User.objects.get(pk=grace.pk)
        assert set(grace.groups.values_list("name", flat=True)) == {"student"}
        assert not grace.has_perm("wagtailadmin.access_admin")
        assert art_group not in grace.groups.all()
    # At once: her next request to the admin is refused.
    assert client_as(greenwood, "grace").get("/admin/").status_code == 302


def test_editing_a_user_keeps_their_role_and_class_groups(greenwood, admin_client):
    with schema_context(greenwood.schema_name):
        grace = User.objects.get(username="grace")
        before = set(grace.groups.values_list("name", flat=True))
    response = admin_client.post(
        f"/admin/users/edit/{grace.pk}/", _edit_data(grace, display_name="Ms Wanjiru")
    )
    assert response.status_code == 302
    with schema_context(greenwood.schema_name):
        grace = User.objects.get(pk=grace.pk)
        assert grace.display_name == "Ms Wanjiru"
        assert set(grace.groups.values_list("name", flat=True)) == before


def test_creating_a_user_in_wagtail_admin_gives_the_chosen_role(greenwood, admin_client):
    data = {
        "username": "kim",
        "email": "kim@greenwood.test",
        "first_name": "Kim",
        "last_name": "Nduta",
        "display_name": "",
        "role": "school_admin",
        "password1": "a-Long-pass-phrase-42",
        "password2": "a-Long-pass-phrase-42",
    }
    response = admin_client.post("/admin/users/new/", data)
    assert response.status_code == 302
    with schema_context(greenwood.schema_name):
        kim = User.objects.get(username="kim")
        assert has_role(kim, "school_admin")
        assert kim.has_perm("accounts.change_user")


def test_the_groups_field_offers_no_role_or_class_groups(greenwood, admin_client):
    with schema_context(greenwood.schema_name):
        grace = User.objects.get(username="grace")
    response = admin_client.get(f"/admin/users/edit/{grace.pk}/")
    offered = {group.name for group in response.context["form"].fields["groups"].queryset}
    assert not offered & {"school_admin", "teacher", "student", "guardian"}
    assert not any(name.startswith("Teachers of") for name in offered)


def test_role_is_per_school(greenwood, riverside):
    with schema_context(greenwood.schema_name):
        user_role_set(user=UserFactory(username="zed", email="zed@x.test"), role="teacher")
    with schema_context(riverside.schema_name):
        zed = UserFactory(username="zed", email="zed@x.test")
        assert not has_role(zed, "teacher")
        assert not zed.has_perm("wagtailadmin.access_admin")


def test_role_groups_map_onto_wagtail_permissions(greenwood):
    with schema_context(greenwood.schema_name):
        admins = Group.objects.get(name="school_admin")
        codenames = set(admins.permissions.values_list("codename", flat=True))
        assert {"access_admin", "add_user", "change_user", "add_group", "add_workflow"} <= codenames
        assert "change_site" not in codenames  # a school can't repoint its own host name
        assert admins.page_permissions.filter(page__depth=1).count() == 6
        assert admins.collection_permissions.filter(collection__depth=1).exists()
        teacher_perms = Group.objects.get(name="teacher").permissions
        assert list(teacher_perms.values_list("codename", flat=True)) == ["access_admin"]
        assert not Group.objects.get(name="student").permissions.exists()
        assert not Group.objects.get(name="guardian").permissions.exists()
        assert not Group.objects.get(name="guardian").page_permissions.exists()
        assert not Group.objects.get(name="guardian").collection_permissions.exists()


def test_a_guardian_made_a_teacher_is_no_longer_linked_to_children(greenwood):
    with schema_context(greenwood.schema_name):
        guardian = User.objects.get(email="mama.amina@greenwood.test")
        assert has_role(guardian, "guardian") and guardian.guardianships.exists()
        user_role_set(user=guardian, role="teacher")
        assert not guardian.guardianships.exists()
    response = client_as(greenwood, "mama.amina@greenwood.test").get("/my-children/")
    assert response.status_code == 404
