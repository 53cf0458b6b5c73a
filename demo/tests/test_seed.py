"""The demo: `manage.py seed_demo` loads it once (the test session's seed) and a second run
changes nothing; each school has people of every role, in their classes."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django_tenants.utils import schema_context
from rolepermissions.checkers import has_role

from accounts.models import User
from accounts.roles import SCHOOL_ADMIN, STUDENT, TEACHER
from classrooms.models import Classroom, Enrolment, TeacherAssignment
from demo.data import SCHOOLS
from tenants.models import School

pytestmark = pytest.mark.django_db


def test_seed_demo_twice_changes_nothing(capsys):
    def state():
        rows = {}
        for spec in SCHOOLS:
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
    for spec in SCHOOLS:
        roles = [p.role_name for p in spec.people]
        assert roles.count(SCHOOL_ADMIN) == 1
        assert roles.count(TEACHER) == 2
        assert roles.count(STUDENT) == 4
        with schema_context(spec.slug):
            assert User.objects.count() == 7
            admin = User.objects.get(email=f"admin@{spec.slug}.test")
            assert has_role(admin, SCHOOL_ADMIN) and not admin.is_superuser
            for person in spec.people:
                user = User.objects.get(email=person.email(spec.slug))
                assert has_role(user, person.role_name)
            for demo_class in spec.classes:
                classroom = Classroom.objects.get(name=demo_class.name)
                assert sorted(t.username for t in classroom.teachers.all()) == sorted(
                    demo_class.teachers
                )
                assert sorted(s.username for s in classroom.students.all()) == sorted(
                    demo_class.students
                )
