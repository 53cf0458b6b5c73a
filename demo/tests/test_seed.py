"""The demo: `manage.py seed_demo` loads it once (the test session's seed) and a second run
changes nothing; each school has people of every role, in their classes."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context
from rolepermissions.checkers import has_role

from accounts.models import User
from accounts.roles import GUARDIAN, SCHOOL_ADMIN, STUDENT, TEACHER
from classrooms.models import Classroom, Enrolment, TeacherAssignment
from demo.data import DEMO_CONSENT_NOTE, DEMO_CONSENTS, OPERATOR_USERNAME, SCHOOLS
from demo.seed import ERROR_NOT_ALLOWED, DemoSeedRefused, seed
from families.consent import consent_state
from families.models import ConsentRecord, Guardianship, Purpose, RecordedBy
from mediahub.tests.test_settings import PRODUCTION_ENV, ROOT
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
                    list(Guardianship.objects.order_by("pk").values_list("guardian", "student")),
                    list(ConsentRecord.objects.order_by("pk").values_list("pk", "student")),
                )
        return School.objects.count(), rows

    call_command("seed_demo")  # the story (demo.story), which the test session's seed leaves out
    capsys.readouterr()
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
        assert roles.count(GUARDIAN) == 1
        with schema_context(spec.slug):
            assert User.objects.count() == 8
            admin = User.objects.get(email=f"admin@{spec.slug}.test")
            assert has_role(admin, SCHOOL_ADMIN) and not admin.is_superuser
            for person in spec.people:
                user = User.objects.get(email=person.email(spec.slug))
                assert has_role(user, person.role_name)
            for family in spec.families:
                linked = Guardianship.objects.filter(guardian__username=family.guardian)
                assert sorted(linked.values_list("student__username", flat=True)) == sorted(
                    family.children
                )
            for demo_class in spec.classes:
                classroom = Classroom.objects.get(name=demo_class.name)
                assert sorted(t.username for t in classroom.teachers.all()) == sorted(
                    demo_class.teachers
                )
                assert sorted(s.username for s in classroom.students.all()) == sorted(
                    demo_class.students
                )


# --- Never on a real platform ------------------------------------------------------------------
def test_demo_families_consented_but_one_per_school():
    for spec in SCHOOLS:
        assert len(spec.no_consent) == 1
        with schema_context(spec.slug):
            for person in spec.people:
                if person.role_name != STUDENT:
                    continue
                student = User.objects.get(username=person.username)
                expected = person.username not in spec.no_consent
                state = consent_state(student)
                assert [state[p] for p in DEMO_CONSENTS] == [expected] * len(DEMO_CONSENTS)
                assert state[Purpose.FULL_NAME] is False
                assert all(
                    r.note == DEMO_CONSENT_NOTE and r.recorded_as == RecordedBy.SCHOOL_ADMIN
                    for r in ConsentRecord.objects.filter(student=student)
                )


def test_seed_demo_is_refused_where_the_settings_do_not_allow_it(
    settings, django_assert_num_queries
):
    # Something for the seed to make: without the refusal, it would make the operator again.
    User.objects.filter(username=OPERATOR_USERNAME).update(username="former-operator")
    schools = School.objects.count()
    settings.DEBUG, settings.DEMO_SEED_ALLOWED = False, False

    with django_assert_num_queries(0), pytest.raises(CommandError) as refused:
        call_command("seed_demo")
    with pytest.raises(DemoSeedRefused):
        seed()  # called directly, as the tests' set-up does: the same rule

    assert str(refused.value) == str(ERROR_NOT_ALLOWED)
    assert not User.objects.filter(username=OPERATOR_USERNAME).exists()
    assert School.objects.count() == schools


def _python(*args: str, **env) -> subprocess.CompletedProcess:
    # A settings module imported on its own: an unreachable DATABASE_URL, never the test's.
    inherited = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DEMO_SEED_ALLOWED")}
    full_env = {**inherited, **PRODUCTION_ENV, "DATABASE_URL": UNREACHABLE, **env}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


UNREACHABLE = "postgres://mediahub:secret@127.0.0.1:9/mediahub"  # nothing listens on port 9


def test_manage_py_seed_demo_with_the_production_settings_refuses_before_the_database():
    result = _python("manage.py", "seed_demo", DEMO_SEED_ALLOWED="True")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "CommandError: The demo was not loaded" in result.stderr
    assert "port 9" not in result.stderr and "connection" not in result.stderr.lower()


@pytest.mark.parametrize(
    "module, env, allowed",
    [
        ("mediahub.settings.dev", {"DEBUG": "True"}, "True"),  # make run
        ("mediahub.settings.dev", {"DEBUG": "False"}, "False"),
        ("mediahub.settings.dev", {"DEBUG": "False", "DEMO_SEED_ALLOWED": "True"}, "True"),
        ("mediahub.settings.production", {"DEMO_SEED_ALLOWED": "True"}, "False"),
        ("mediahub.settings.test", {}, "True"),
    ],
)
def test_which_settings_allow_the_demo(module, env, allowed):
    result = _python("-c", f"import {module} as s; print(s.DEMO_SEED_ALLOWED)", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == allowed
