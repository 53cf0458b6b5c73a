import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context
from rolepermissions.checkers import has_role

from accounts.models import User
from classrooms.models import Classroom, Enrolment, TeacherAssignment
from tenants import demo
from tenants.models import Domain, School
from tenants.validators import SLUG_ERROR_TAKEN

pytestmark = pytest.mark.django_db


def test_create_school_command_then_again_with_same_slug(capsys):
    args = [
        "--name",
        "Bay School",
        "--slug",
        "bay",
        "--admin-email",
        "head@bay.test",
        "--admin-password",
        "a-Long-pass-phrase-42",
    ]
    call_command("create_school", *args)
    assert "Created Bay School at http://bay.localhost:8000/" in capsys.readouterr().out
    counts = (School.objects.count(), Domain.objects.count())

    with pytest.raises(CommandError) as caught:
        call_command("create_school", *args)

    assert SLUG_ERROR_TAKEN.format(slug="bay") in str(caught.value)
    assert (School.objects.count(), Domain.objects.count()) == counts


def test_seed_demo_twice_changes_nothing(capsys):
    def state():
        rows = {}
        for spec in demo.SCHOOLS:
            with schema_context(spec.slug):
                rows[spec.slug] = (
                    list(User.objects.order_by("pk").values_list("pk", "email", "password")),
                    list(Group.objects.order_by("pk").values_list("pk", "name")),
                    list(Classroom.objects.order_by("pk").values_list("pk", "join_code")),
                    list(Enrolment.objects.order_by("pk").values_list("classroom", "student")),
                    list(
                        TeacherAssignment.objects.order_by("pk").values_list("classroom", "teacher")
                    ),
                )
        return School.objects.count(), rows

    before = state()
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "Nothing new: the demo is loaded." in out
    assert state() == before


def test_demo_has_every_role_in_each_school():
    for spec in demo.SCHOOLS:
        roles = [p.role for p in spec.people]
        assert roles.count("school admin") == 1
        assert roles.count("teacher") == 2
        assert roles.count("student") == 4
        with schema_context(spec.slug):
            assert User.objects.count() == 7
            admin = User.objects.get(email=f"admin@{spec.slug}.test")
            assert has_role(admin, "school_admin") and not admin.is_superuser
            for person in spec.people:
                user = User.objects.get(email=person.email(spec.slug))
                assert has_role(user, demo.ROLE_NAMES[person.role])
            for demo_class in spec.classes:
                classroom = Classroom.objects.get(name=demo_class.name)
                assert sorted(t.username for t in classroom.teachers.all()) == sorted(
                    demo_class.teachers
                )
                assert sorted(s.username for s in classroom.students.all()) == sorted(
                    demo_class.students
                )
