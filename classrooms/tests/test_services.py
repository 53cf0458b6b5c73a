"""Classes: created with their collection, page and permissions; teachers and students."""

import pytest
from django.core.exceptions import ValidationError
from rolepermissions.checkers import has_role
from wagtail.models import Collection, Page

from accounts.models import User
from accounts.services import user_role_set
from accounts.tests.factories import UserFactory
from classrooms import services
from classrooms.models import Classroom, ClassroomPage
from classrooms.selectors import classroom_get_by_join_code, classroom_list

pytestmark = pytest.mark.django_db


def _user(username, role):
    user = UserFactory(username=username, email=f"{username}@greenwood.test")
    user_role_set(user=user, role=role)
    return user


def test_a_class_gets_collection_page_and_teacher_permissions(school):
    teacher = _user("tina", "teacher")
    classroom = services.classroom_create(
        name="Biology", grade="Form 1", subject="Science", teachers=[teacher]
    )

    assert classroom.collection.get_parent() == Collection.get_first_root_node()
    assert classroom.collection.name == "Biology (Form 1)"
    page = classroom.page
    assert isinstance(page.specific, ClassroomPage) and page.live
    assert page.get_parent().specific_class.__name__ == "HomePage"
    assert len(classroom.join_code) == 8
    teacher = User.objects.get(pk=teacher.pk)  # fresh permission cache
    assert teacher.has_perm("wagtailadmin.access_admin")
    assert classroom.teacher_group in teacher.groups.all()
    perms = page.permissions_for_user(teacher)
    assert perms.can_edit() and perms.can_publish()
    # Adding pages is granted too; it shows once 3/6 gives class pages a child type.
    granted = set(
        classroom.teacher_group.page_permissions.values_list("permission__codename", flat=True)
    )
    assert granted == set(services.TEACHER_PAGE_PERMISSIONS)
    assert classroom.teacher_group.collection_permissions.filter(
        collection=classroom.collection, permission__codename="add_image"
    ).exists()
    other_class = Classroom.objects.get(name="Art")
    assert not other_class.page.permissions_for_user(teacher).can_edit()


def test_only_teachers_can_be_assigned_and_only_students_enrolled(school):
    student = _user("sam", "student")
    teacher = _user("tina", "teacher")
    classroom = Classroom.objects.get(name="Art")
    with pytest.raises(ValidationError):
        services.classroom_teacher_assign(classroom=classroom, teacher=student)
    with pytest.raises(ValidationError):
        services.classroom_student_enrol(classroom=classroom, student=teacher)


def test_archived_class_takes_no_students(school):
    classroom = Classroom.objects.get(name="Art")
    services.classroom_archive(classroom=classroom)
    with pytest.raises(ValidationError) as caught:
        services.classroom_student_enrol(classroom=classroom, student=_user("sam", "student"))
    assert str(services.ERROR_ARCHIVED) in caught.value.messages


def test_regenerating_the_join_code_retires_the_old_one(school):
    classroom = Classroom.objects.get(name="Art")
    old = classroom.join_code
    new = services.classroom_join_code_regenerate(classroom=classroom)
    assert new != old
    assert classroom_get_by_join_code(old) is None
    assert classroom_get_by_join_code(classroom.join_code_display.lower()) == classroom


def test_unassigning_a_teacher_takes_the_class_permissions_away(school):
    grace = User.objects.get(username="grace")
    classroom = Classroom.objects.get(name="Art")
    services.classroom_teacher_unassign(classroom=classroom, teacher=grace)
    grace = User.objects.get(pk=grace.pk)
    assert not classroom.page.permissions_for_user(grace).can_edit()


def test_changing_role_ends_what_the_old_role_held(school):
    grace = User.objects.get(username="grace")
    user_role_set(user=grace, role="student")
    grace = User.objects.get(pk=grace.pk)
    assert has_role(grace, "student") and not has_role(grace, "teacher")
    assert not grace.has_perm("wagtailadmin.access_admin")
    assert not grace.assignments.exists()
    assert not Classroom.objects.get(name="Art").page.permissions_for_user(grace).can_edit()


def test_class_lists_per_role(school):
    admin = User.objects.get(email="admin@greenwood.test")
    grace = User.objects.get(username="grace")
    cynthia = User.objects.get(username="cynthia")
    amina = User.objects.get(username="amina")
    names = lambda qs: sorted(c.name for c in qs)  # noqa: E731
    assert names(classroom_list(user=admin)) == ["Art", "Media Studies"]
    assert names(classroom_list(user=grace)) == ["Art"]
    assert names(classroom_list(user=cynthia)) == ["Art", "Media Studies"]
    assert names(classroom_list(user=amina)) == ["Art"]


def test_renaming_a_class_renames_its_page_and_collection(school):
    classroom = Classroom.objects.get(name="Art")
    services.classroom_update(classroom=classroom, name="Fine Art", grade="Form 2", subject="Art")
    assert Page.objects.get(pk=classroom.page_id).title == "Fine Art (Form 2)"
    assert Collection.objects.get(pk=classroom.collection_id).name == "Fine Art (Form 2)"
